import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// `incidents import statuspage`, end to end through the built tool.
@Suite struct ImportCommandTests {
    static let realFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data/githubstatus_incidents_2010-2023.json").path

    /// A two-incident document.
    static let small = #"""
        {"page": {"id": "p"}, "incidents": [
          {"id": "one", "name": "Git errors", "status": "resolved", "impact": "minor",
           "created_at": "2023-05-01T10:00:00Z", "started_at": "2023-05-01T10:00:00Z", "resolved_at": "2023-05-01T11:00:00Z",
           "components": [], "incident_updates": [
             {"id": "u1", "status": "investigating", "body": "Looking", "created_at": "2023-05-01T10:00:00Z", "display_at": "2023-05-01T10:00:00Z"}]},
          {"id": "two", "name": "API errors", "status": "resolved", "impact": "major",
           "created_at": "2023-05-02T10:00:00Z", "started_at": "2023-05-02T10:00:00Z", "resolved_at": "2023-05-02T11:00:00Z",
           "components": [], "incident_updates": []}
        ]}
        """#

    /// A status page exported again later: an incident that gained an update since gets just that
    /// update; one edited at the source keeps what the ledger recorded, with a warning, and nothing
    /// is overwritten.
    @Test func aLaterExportAddsTheNewUpdatesAndKeepsWhatWasRecorded() async throws {
        let cli = CLI()
        try await cli.run("init")
        let first = try await cli.run("import", "statuspage", try cli.write("first.json", Self.small))
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("events: 6 imported, 0 already present, 0 skipped"), "\(first.stdout)")

        let gained = Self.small.replacingOccurrences(
            of: #""display_at": "2023-05-01T10:00:00Z"}]},"#,
            with: #""display_at": "2023-05-01T10:00:00Z"}, {"id": "u2", "status": "postmortem", "body": "We wrote it up", "created_at": "2023-05-03T09:00:00Z", "display_at": "2023-05-03T09:00:00Z"}]},"#)
        #expect(gained != Self.small)
        let later = try await cli.run("import", "statuspage", try cli.write("later.json", gained))
        #expect(later.status == 0, "\(later.stderr)")
        #expect(later.stdout.contains("incidents: 1 imported, 1 already present, 0 skipped (2 in the document)"), "\(later.stdout)")
        #expect(later.stdout.contains("events: 1 imported, 6 already present, 0 skipped"), "\(later.stdout)")
        await #expect(try cli.run("timeline", "SP-one").stdout.contains("Public update (postmortem, public, status_page): We wrote it up"))

        let head = try await cli.run("verify").stdout
        // The update's text, and so the resolution's summary taken from it: two events differ.
        let edited = gained.replacingOccurrences(of: #""body": "Looking""#, with: #""body": "Looking into it""#)
        let again = try await cli.run("import", "statuspage", try cli.write("edited.json", edited))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("events: 0 imported, 7 already present, 0 skipped"), "\(again.stdout)")
        #expect(again.stderr.contains("warning: [changed_since_import] one: 2 of its events already recorded differ from what the source gives now"), "\(again.stderr)")
        await #expect(try cli.run("verify").stdout == head, "nothing was written")
        await #expect(try cli.run("timeline", "SP-one").stdout.contains("): Looking\n"))
    }

    @Test func realHistoryImportsVerifiesAndIsIdempotent() async throws {
        let cli = CLI()
        try await cli.run("init")
        let started = Date()
        let first = try await cli.run("import", "statuspage", Self.realFile)
        let seconds = Date().timeIntervalSince(started)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("incidents: 1282 imported, 0 already present, 0 skipped (1282 in the document)"))
        #expect(first.stdout.contains("events: 5990 imported, 0 already present, 0 skipped"))
        #expect(first.stdout.contains("backfilled 839"))
        #expect(first.stdout.contains("resolution_before_start 3"))
        // More than 20 back-filled warnings: the first 5 and a count.
        let backfilled = first.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: [backfilled]") }
        #expect(backfilled.count == 6)
        #expect(backfilled.last?.contains("834 more") == true)
        #expect(first.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("warning: ") })
        #expect(seconds < 60, "the import took \(seconds) seconds")

        let verified = try await cli.run("verify")
        #expect(verified.status == 0)
        #expect(verified.stdout.hasPrefix("ok: 5990 events verified"))

        let again = try await cli.run("import", "statuspage", Self.realFile, "--json")
        #expect(again.status == 0, "\(again.stderr)")
        let summary = try JSONParser.parse(again.stdout)
        #expect(summary["eventsImported"] == .integer(0))
        #expect(summary["eventsAlreadyPresent"] == .integer(5990))
        #expect(summary["incidentsAlreadyPresent"] == .integer(1282))
        #expect(summary["warnings"]?["backfilled"] == .integer(839))
        await #expect(try cli.run("verify").stdout.hasPrefix("ok: 5990 events verified"))
    }

    @Test func malformedFileWritesNothing() async throws {
        let cli = CLI()
        try await cli.run("init")
        let before = try await cli.run("verify").stdout
        for text in [#"{"incidents": [{"id": "x""#, #"{"hello": "world"}"#] {
            let file = try cli.write("bad.json", text)
            let outcome = try await cli.run("import", "statuspage", file)
            #expect(outcome.status == 3)
            #expect(outcome.stderr.contains("nothing was written"))
        }
        await #expect(try cli.run("import", "statuspage", "missing.json").status == 3)
        await #expect(try cli.run("verify").stdout == before)
    }

    @Test func refusedIncidentFailsTheWholeImportUnlessContinueOnError() async throws {
        let cli = CLI()
        try await cli.run("init")
        // SP-two is already declared by someone else, so the import's declaration of it is refused.
        try await cli.run("append", try cli.write("taken.json", CLI.event(stream: "SP-two")))
        let file = try cli.write("small.json", Self.small)
        let before = try await cli.run("verify").stdout

        let atomic = try await cli.run("import", "statuspage", file)
        #expect(atomic.status == 3)
        #expect(atomic.stderr == "incidents: 1 of 2 records is refused: record 2 (incident 'two'): incident.declared type: SP-two is already declared; correct the declaration with event.corrected instead; nothing was written — correct it, or give --keep-going to record the others and write it to a rejects file\n")
        await #expect(try cli.run("verify").stdout == before)

        // --continue-on-error is the former name of --keep-going, kept for scripts.
        let lenient = try await cli.run("import", "statuspage", file, "--continue-on-error", "--json")
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stderr.contains("rejected: record 2 (incident 'two'): incident.declared type: SP-two is already declared"))
        let summary = try JSONParser.parse(lenient.stdout)
        #expect(summary["incidentsImported"] == .integer(1))
        #expect(summary["recordsRejected"] == .integer(1))
        #expect(summary["rejectsFile"] == .string("small.json.rejects.jsonl"))
        #expect(summary["eventsImported"] == .integer(4))
        await #expect(try cli.run("verify").stdout.hasPrefix("ok: 5 events verified"))
        let rejects = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: cli.directory.file("small.json.rejects.jsonl")))))
        #expect(rejects["index"] == .integer(2))
        #expect(rejects["unit"] == .string("record"))
        #expect(rejects["record"]?["id"] == .string("two"))
    }

    @Test func prefixNamesTheIncidents() async throws {
        let cli = CLI()
        try await cli.run("init")
        let file = try cli.write("small.json", Self.small)
        let outcome = try await cli.run("import", "statuspage", file, "--prefix", "GH-")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.isEmpty)
        let list = try await cli.run("list")
        #expect(list.stdout.contains("GH-one"))
        #expect(list.stdout.contains("GH-two"))
    }
}
