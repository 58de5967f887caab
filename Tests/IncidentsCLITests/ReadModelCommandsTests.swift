import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// list, show, timeline, replay and projections, end to end on the sample incident.
@Suite struct ReadModelCommandsTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/examples/sample-incident.jsonl").path
    static let incident = "INC-2026-0042"

    /// The sample incident, a correction of its detection time, a note recorded late about 23:15,
    /// and an update whose promise of the next one was broken.
    static func ledger() throws -> CLI {
        let cli = CLI()
        try cli.run("init")
        #expect(try cli.run("append", sample).status == 0)
        let at = { (time: String) in ["--at", time, "--actor", "person:reviewer"] }
        #expect(try cli.run(["correct", incident, "--target", "6f1c2a10-0000-4000-8000-000000000001",
                             "--fields", #"{"detectedAt":"2026-03-14T23:07:00Z"}"#, "--reason", "the first alert fired at 23:07"] + at("2026-03-15T09:00:00Z")).status == 0)
        #expect(try cli.run(["note", incident, "--text", "Paged the payments team"] + at("2026-03-14T23:15:00Z")).status == 0)
        #expect(try cli.run(["reopen", incident, "--reason", "errors again"] + at("2026-03-15T01:00:00Z")).status == 0)
        #expect(try cli.run(["update", incident, "--status", "investigating", "--audience", "public", "--channels", "status_page",
                             "--text", "Errors are back.", "--next-update-by", "2026-03-15T01:30:00Z"] + at("2026-03-15T01:05:00Z")).status == 0)
        #expect(try cli.run(["update", incident, "--status", "monitoring", "--audience", "public", "--channels", "status_page",
                             "--text", "Stable again."] + at("2026-03-15T02:10:00Z")).status == 0)
        return cli
    }

    @Test func listFiltersIncidents() async throws {
        let cli = try Self.ledger()
        try await cli.run(["declare", "INC-7", "--title", "Slow search", "--kind", "unplanned", "--severity", "sev3", "--at", "2026-03-20T10:00:00Z"])
        let all = try await cli.run("list")
        #expect(all.status == 0)
        #expect(all.stdout.contains("INC-2026-0042  sev1  investigating"))
        #expect(all.stdout.contains("2 incidents"))
        await #expect(try cli.run("list", "--severity", "sev3").stdout.contains("INC-7"))
        await #expect(!(try cli.run("list", "--severity", "sev3").stdout.contains(Self.incident)))
        await #expect(try cli.run("list", "--status", "resolved").stdout.contains("no incidents match"))
        await #expect(try cli.run("list", "--since", "2026-03-16T00:00:00Z", "--json").stdout.split(separator: "\n").count == 1)
        await #expect(try cli.run("list", "--status", "sleeping").status == 2)
    }

    @Test func listFiltersByServiceTextAndPeriod() async throws {
        let cli = try Self.ledger()
        await #expect(try cli.run(["declare", "INC-8", "--title", "Atención: pagos lentos", "--kind", "unplanned", "--severity", "sev2",
                             "--services", "Zürich-gateway,billing", "--at", "2026-04-01T00:00:00Z"]).status == 0)
        let ids = { (arguments: [String]) throws -> [String] in
            let run = try cli.run(["list", "--ids"] + arguments)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            return run.stdout.split(separator: "\n").map(String.init)
        }
        #expect(try ids(["--service", "CHECKOUT-API"]) == [Self.incident])
        #expect(try ids(["--service", "zu\u{0308}rich-gateway"]) == ["INC-8"])
        #expect(try ids(["--service", "checkout"]).isEmpty)
        #expect(try ids(["--text", "ATENCION"]) == ["INC-8"])
        #expect(try ids(["--text", "eu-west"]) == [Self.incident])
        #expect(try ids(["--text", "inc-2026"]) == [Self.incident])
        #expect(try ids(["--period", "2026-Q1"]) == [Self.incident])
        #expect(try ids(["--period", "2026-04"]) == ["INC-8"])
        #expect(try ids(["--period", "2026-03-01..2026-04-02", "--service", "billing"]) == ["INC-8"])
        #expect(try ids(["--period", "2026-Q2", "--text", "checkout"]).isEmpty)
        await #expect(try cli.run("list", "--text", "pagos").stdout.contains("1 incident\n"))
    }

    @Test func showGivesTheCorrectedStateAndTheEvents() async throws {
        let cli = try Self.ledger()
        let shown = try await cli.run("show", Self.incident)
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("detected              2026-03-14T23:07:00Z"))
        #expect(shown.stdout.contains("reopened              1 time"))
        #expect(shown.stdout.contains("#12  2026-03-14T23:15:00Z  INC-2026-0042 v12  incident.note_added"))
        let json = try await cli.run("show", Self.incident, "--json")
        let state = try JSONParser.parse(String(json.stdout.split(separator: "\n")[0]))
        #expect(state["correctionCount"] == 1)
        #expect(state["publicUpdateCount"] == 4)
    }

    @Test func theTimelineIsInTheOrderThingsHappened() async throws {
        let cli = try Self.ledger()
        let timeline = try await cli.run("timeline", Self.incident)
        #expect(timeline.status == 0)
        let lines = timeline.stdout.split(separator: "\n").map(String.init)
        let note = try #require(lines.firstIndex { $0.contains("Note: Paged the payments team") })
        let acknowledged = try #require(lines.firstIndex { $0.contains("Acknowledged by") })
        let firstUpdate = try #require(lines.firstIndex { $0.contains("#3  [public]") })
        #expect(acknowledged < note && note < firstUpdate, "the late note sits where it happened")
        #expect(lines[0].contains("(corrected by #11)"))
        #expect(lines[0].contains("detected 2026-03-14T23:07:00Z"))
        #expect(timeline.stdout.contains("Correction of #1: detectedAt = \"2026-03-14T23:07:00Z\""))
        #expect(timeline.stdout.contains("! promised the next update by 2026-03-15T01:30:00Z; the next came 2026-03-15T02:10:00Z — 40 min late"))

        let publicOnly = try await cli.run("timeline", Self.incident, "--kind", "public", "--json")
        let entries = try publicOnly.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(entries.filter { $0["kind"] == "public" }.count == 4)
        #expect(entries.contains { $0["missedUpdate"] == true && $0["lateBySeconds"] == 2400 })
        await #expect(try cli.run("timeline", Self.incident, "--kind", "gossip").status == 2)
        await #expect(try cli.run("timeline", "INC-404").status == 3)
    }

    @Test func replayStepsAndAnswersForAMoment() async throws {
        let cli = try Self.ledger()
        let steps = try await cli.run("replay", Self.incident)
        #expect(steps.status == 0)
        #expect(steps.stdout.contains("step 1  #1"))
        #expect(steps.stdout.contains("detectedAt: \"2026-03-14T23:09:00Z\" → \"2026-03-14T23:07:00Z\""))
        let late = try await cli.run("replay", Self.incident, "--at", "2030-01-01T00:00:00Z")
        #expect(late.stdout.contains("phase                 investigating"))
        #expect(late.stdout.contains("reopened              1 time"))
        let occurred = try await cli.run("replay", Self.incident, "--at", "2026-03-14T23:30:00Z", "--as-occurred")
        #expect(occurred.stdout.contains("phase                 investigating"))
        #expect(occurred.stdout.contains("detected              2026-03-14T23:07:00Z"))
        #expect(occurred.stdout.contains("customer messages     1 from 1 customer"))
        await #expect(try cli.run("replay", Self.incident, "--at", "2001-01-01T00:00:00Z").status == 3)
        await #expect(try cli.run("replay", Self.incident, "--as-occurred").status == 2)
    }

    /// Writes store the projections' catch-up (issue 14: reads never write; LedgerServiceTests shows
    /// a read leaving a stale stored projection as it was).
    @Test func projectionsReportAndRebuild() async throws {
        let empty = CLI()
        try await empty.run("init")
        await #expect(try empty.run("projections", "status").stdout.contains("never built"))
        let cli = try Self.ledger()
        await #expect(try cli.run("projections", "status").stdout.contains("current"))
        try await cli.run("list")
        await #expect(try cli.run("projections", "status").stdout.contains("current"))
        let rebuilt = try await cli.run("projections", "rebuild")
        #expect(rebuilt.status == 0)
        #expect(rebuilt.stdout.hasPrefix("rebuilt incident-state from 15 events"))
        await #expect(try cli.run("projections", "rebuild", "nonsense").status == 2)
    }
}
