import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// Figures on real data mean what they say: what the source marks resolved is resolved, a time it never
/// recorded is no time, silence ends with the incident, and "now" is the time the report is made.
@Suite struct HonestFiguresTests {
    static let realFile = ImportCommandTests.realFile

    /// The metrics whose observations are durations (or shares judged on durations) of an incident's clocks.
    static let clockMetrics = [
        "time_to_detect", "time_to_acknowledge", "time_to_first_public_update", "time_to_first_public_update_from_declaration",
        "time_to_escalate", "time_to_mitigate", "time_to_mitigate_from_declaration", "time_to_resolve", "time_to_resolve_from_declaration",
        "longest_update_gap", "eta_error", "time_to_postmortem",
    ]

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func afterGitHubsHistoryNoIncidentIsOpenAndNoClockHoldsABackfilledSample() async throws {
        let cli = CLI()
        try await cli.run("init")
        let imported = try await cli.run("import", "statuspage", Self.realFile)
        #expect(imported.status == 0, "\(imported.stderr)")

        let open = try await cli.run("list", "--status", "open", "--ids")
        #expect(open.status == 0, "\(open.stderr)")
        #expect(open.stdout.isEmpty, "open after the import: \(open.stdout)")

        // The back-filled incidents, read from the file itself: created and resolved at one instant.
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.realFile))) as? [String: Any])
        let incidents = try #require(document["incidents"] as? [[String: Any]])
        let backfilled = Set(incidents.filter { ($0["created_at"] as? String) == ($0["resolved_at"] as? String) }.compactMap { $0["id"] as? String }.map { "SP-" + $0 })
        #expect(backfilled.count == 839)

        for metric in Self.clockMetrics {
            let result = try await cli.run("metrics", metric, "--by", "incident", "--format", "json", "--as-of", "2024-01-01T00:00:00Z")
            #expect(result.status == 0, "\(metric): \(result.stderr)")
            let groups = try #require(try Self.json(result.stdout)["groups"] as? [[String: Any]])
            for group in groups {
                guard let name = group["name"] as? String, backfilled.contains(name) else { continue }
                let value = try #require(group["value"] as? [String: Any])
                #expect(value["count"] as? Int == 0, "\(metric) measured back-filled \(name)")
                let excluded = value["excluded"] as? [String: Int] ?? [:]
                #expect(excluded["back-filled by the source: times not known"] == 1, "\(metric) \(name): \(excluded)")
            }
        }
        // The quarters that were all back-filled read "no sample", not "0s".
        let quarter = try await Self.json(try cli.run("metrics", "time_to_resolve", "--period", "2017-Q3", "--format", "json").stdout)
        let overall = try #require(quarter["overall"] as? [String: Any])
        #expect(overall["count"] as? Int == 0)
        #expect((overall["excluded"] as? [String: Int])?["back-filled by the source: times not known"] ?? 0 > 0)

        // The postmortem of one says its figures are not the response's.
        let postmortem = try await cli.run("postmortem", "SP-nk9gdvl03ztg")
        #expect(postmortem.status == 0, "\(postmortem.stderr)")
        #expect(postmortem.stdout.contains("The source never recorded this incident's times (back-filled by the source: times not known)"))

        // The independent script reads the same definitions off the exported events.
        let exported = try await cli.run("log", "--json")
        let python = try await ChildProcess.run("/usr/bin/env", ["python3", ReviewCommandTests.repository + "/Tools/crosscheck-metrics.py"], stdin: exported.stdout)
        #expect(python.status == 0, "\(python.stderr)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [String: [String: Any]])
        for metric in ["time_to_resolve_from_declaration", "longest_update_gap"] {
            let ours = try await #require(try Self.json(try cli.run("metrics", metric, "--format", "json").stdout)["overall"] as? [String: Any])
            let statistics = try #require(ours["statistics"] as? [String: Any])
            let theirs = try #require(expected[metric])
            for key in ["count", "p90", "maximum"] { #expect(statistics[key] as? Int == theirs[key] as? Int, "\(metric) \(key)") }
            #expect(try #require(statistics["median"] as? Double) == theirs["median"] as? Double, "\(metric) median")
            #expect(ours["excluded"] as? [String: Int] == theirs["excluded"] as? [String: Int], "\(metric) excluded")
        }
    }

    /// A new ledger holding one unplanned sev2 incident, INC-1, declared and resolved at the times given.
    static func ledgerOfOneIncident(impactStarted: String, declared: String, resolved: String) throws -> CLI {
        let cli = CLI()
        try cli.run("init")
        let declare = try cli.run(
            "declare", "INC-1", "--title", "Checkout errors", "--kind", "unplanned", "--severity", "sev2",
            "--impact-started-at", impactStarted, "--at", declared)
        #expect(declare.status == 0, "\(declare.stderr)")
        #expect(try cli.run("resolve", "INC-1", "--summary", "Fixed", "--at", resolved).status == 0)
        return cli
    }

    /// One resolved incident: its time to resolve is a figure from one observation, marked in text
    /// (the review and the metrics table) and Markdown with a footnote, greyed out in HTML, and
    /// flagged in JSON.
    @Test func aFigureFromOneIncidentIsMarkedAsASmallSampleInEveryFormat() async throws {
        let cli = try Self.ledgerOfOneIncident(impactStarted: "2026-01-05T10:00:00Z", declared: "2026-01-05T10:00:00Z", resolved: "2026-01-05T10:30:00Z")
        let asOf = ["--as-of", "2026-04-01T00:00:00Z"]

        let text = try await cli.run(["review", "2026-Q1"] + asOf)
        #expect(text.status == 0, "\(text.stderr)")
        let resolve = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("Time to resolve ") })
        #expect(resolve.contains("30m 00s†"), "\(resolve)")
        #expect(text.stdout.contains("\n† n < 5: too few to compare.\n"))
        #expect(text.stdout.contains("the mean of the two middle values of an even count"))
        #expect(text.stdout.contains("p90 and p95 by nearest rank"))
        let markdown = try await cli.run(["review", "2026-Q1", "--format", "markdown"] + asOf)
        #expect(markdown.stdout.contains("| 30m 00s† |"))
        #expect(markdown.stdout.contains("\n† n < 5: too few to compare.\n"))

        let html = try await cli.run(["review", "2026-Q1", "--format", "html"] + asOf)
        #expect(html.stdout.contains("<td class=\"num small-sample\" title=\"n &lt; 5: too few to compare\">30m 00s</td>"))
        #expect(html.stdout.contains(".small-sample { color: var(--muted);"))

        let metric = try await cli.run("metrics", "time_to_resolve", "--by", "severity")
        #expect(metric.status == 0, "\(metric.stderr)")
        #expect(metric.stdout.contains("\nall   30m 00s†  n=1"), "\(metric.stdout)")
        #expect(metric.stdout.hasSuffix("\n† n < 5: too few to compare.\n"))
        // By incident, each row is that incident's own figure: only the overall one is a small sample.
        let byIncident = try await cli.run("metrics", "time_to_resolve", "--by", "incident")
        #expect(byIncident.stdout.contains("\nall    30m 00s†  n=1"), "\(byIncident.stdout)")
        #expect(byIncident.stdout.contains("\nINC-1  30m 00s  n=1"), "\(byIncident.stdout)")

        let json = try await Self.json(try cli.run(["review", "2026-Q1", "--format", "json"] + asOf).stdout)
        let rows = try #require(json["rows"] as? [[String: Any]])
        let row = try #require(rows.first { $0["metric"] as? String == "time_to_resolve" })
        #expect((row["current"] as? [String: Any])?["smallSample"] as? Bool == true)
        // The previous quarter has no incident: no figure, so not a small one.
        #expect((row["previous"] as? [String: Any])?["smallSample"] as? Bool == false)
    }

    /// `declare --at 01:00; resolve --at 00:30; update --at 01:00`: the update came after the end, so
    /// there is no silence while open (it was 2,162 days, to the ledger's last write).
    @Test func anIncidentResolvedBeforeItsDeclarationHasNoSilenceAfterItsEnd() async throws {
        let cli = try Self.ledgerOfOneIncident(impactStarted: "2020-01-01T00:00:00Z", declared: "2020-01-01T01:00:00Z", resolved: "2020-01-01T00:30:00Z")
        let update = try await cli.run(
            "update", "INC-1", "--status", "resolved", "--audience", "public", "--channels", "status_page", "--text", "Fixed.", "--at", "2020-01-01T01:00:00Z")
        #expect(update.status == 0, "\(update.stderr)")
        let gap = try await Self.json(try cli.run("metrics", "longest_update_gap", "--by", "incident", "--format", "json").stdout)
        let overall = try #require(gap["overall"] as? [String: Any])
        #expect(overall["count"] as? Int == 0)
        #expect(overall["excluded"] as? [String: Int] == ["no public update while open": 1])
    }

    /// A promise of a next update now past is missed at once, without any other write; `--as-of` fixes
    /// the report's time, so a review made twice is the same bytes; `show` and `timeline` flag it.
    @Test func aPastPromiseIsOverdueOnTheReportsClock() async throws {
        let cli = CLI()
        try await cli.run("init")
        await #expect(try cli.run("declare", "INC-1", "--title", "Checkout errors", "--kind", "unplanned", "--severity", "sev2", "--at", "2026-03-14T10:00:00Z").status == 0)
        let update = try await cli.run(
            "update", "INC-1", "--status", "investigating", "--audience", "public", "--channels", "status_page", "--text", "Looking.",
            "--next-update-by", "2026-03-14T10:30:00Z", "--at", "2026-03-14T10:00:00Z")
        #expect(update.status == 0, "\(update.stderr)")

        func promises(_ asOf: String) throws -> [String: Any] {
            let result = try cli.run("metrics", "update_promises_kept", "--format", "json", "--as-of", asOf)
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try Self.json(result.stdout)["overall"] as? [String: Any])
        }
        let before = try promises("2026-03-14T10:20:00Z")
        #expect(before["count"] as? Int == 0)
        #expect(before["excluded"] as? [String: Int] == ["not yet due": 1])
        let after = try promises("2026-03-14T10:31:00Z")
        #expect(after["count"] as? Int == 1)
        #expect(after["total"] as? Int == 0)
        // Without --as-of the wall clock (2026-12 or later on this machine) is past the promise.
        let now = try await Self.json(try cli.run("metrics", "update_promises_kept", "--format", "json").stdout)
        #expect((now["overall"] as? [String: Any])?["count"] as? Int == 1)

        let review = ["review", "2026-Q1", "--as-of", "2026-03-14T11:00:00Z"]
        let first = try await cli.run(review)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("judged as of 2026-03-14T11:00:00Z"))
        await #expect(try cli.run(review).stdout == first.stdout)

        let overdue = try await cli.run("show", "INC-1", "--as-of", "2026-03-14T11:00:00Z")
        #expect(overdue.status == 0, "\(overdue.stderr)")
        let line = try #require(overdue.stdout.split(separator: "\n").first { $0.hasPrefix("overdue update ") })
        #expect(line.contains("promised by 2026-03-14T10:30:00Z"))
        #expect(line.hasSuffix("none since: 30m late as of 2026-03-14T11:00:00Z"))
        await #expect(!(try cli.run("show", "INC-1", "--as-of", "2026-03-14T10:20:00Z").stdout.contains("overdue")))
        let timeline = try await cli.run("timeline", "INC-1", "--as-of", "2026-03-14T11:00:00Z")
        #expect(timeline.stdout.contains("! promised the next update by 2026-03-14T10:30:00Z; none has come yet — 30 min late"), "\(timeline.stdout)")
    }
}
