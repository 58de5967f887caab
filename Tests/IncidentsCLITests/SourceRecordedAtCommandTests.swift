import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// What the ledger learned when (`sourceRecordedAt`), end to end: imports carry their source's
/// record times, so the timeline marks late only what the source was late with, `replay --at`
/// shows imported history as its source knew it, and both verifiers read the mixed formats.
@Suite struct SourceRecordedAtCommandTests {
    /// Declared 10:00; updates posted promptly at 10:00 (investigating) and 10:20 (identified);
    /// resolved at 11:00 with the update that said so. The import happens years later.
    static let prompt = #"""
        {"incident": {"id": "p1", "name": "Git errors", "status": "resolved", "impact": "minor",
         "created_at": "2023-05-01T10:00:00Z", "started_at": "2023-05-01T09:55:00Z", "resolved_at": "2023-05-01T11:00:00Z",
         "components": [], "incident_updates": [
           {"id": "u1", "status": "investigating", "body": "Looking", "created_at": "2023-05-01T10:00:00Z", "display_at": "2023-05-01T10:00:00Z"},
           {"id": "u2", "status": "identified", "body": "Found it", "created_at": "2023-05-01T10:20:30Z", "display_at": "2023-05-01T10:20:00Z"},
           {"id": "u3", "status": "resolved", "body": "Fixed", "created_at": "2023-05-01T11:00:00Z", "display_at": "2023-05-01T11:00:00Z"}]}}
        """#

    static func lines(_ text: String) throws -> [JSONValue] {
        try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    @Test func anImportPostedPromptlyIsNotLateAndReplaysAsItsSourceKnewIt() async throws {
        let cli = CLI()
        try await cli.run("init")
        await #expect(try cli.run("import", "statuspage", try cli.write("prompt.json", Self.prompt)).status == 0)

        let timeline = try await Self.lines(try cli.run("timeline", "SP-p1", "--json").stdout)
        #expect(timeline.count >= 6)
        #expect(timeline.allSatisfy { $0["late"] == .bool(false) }, "\(timeline)")
        #expect(timeline.allSatisfy { $0["sourceRecordedAt"] != nil })
        await #expect(!(try cli.run("timeline", "SP-p1").stdout.contains("recorded late")))

        // Before the change `replay --at` refused: everything was recorded today, by the import.
        func replay(_ time: String) throws -> JSONValue {
            let outcome = try cli.run("replay", "SP-p1", "--at", time, "--json")
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return try JSONParser.parse(outcome.stdout)
        }
        let early = try replay("2023-05-01T10:10:00Z")
        #expect(early["phase"] == "investigating")
        #expect(early["publicUpdateCount"] == .integer(1))
        #expect(early["resolvedAt"] == nil || early["resolvedAt"] == .null)
        // u2 was displayed at 10:20:00 but posted at 10:20:30: at 10:20:10 the source had not yet recorded it.
        #expect(try replay("2023-05-01T10:20:10Z")["publicUpdateCount"] == .integer(1))
        let identified = try replay("2023-05-01T10:30:00Z")
        #expect(identified["phase"] == "identified")
        #expect(identified["publicUpdateCount"] == .integer(2))
        let resolved = try replay("2023-05-01T12:00:00Z")
        #expect(resolved["phase"] == "resolved")
        #expect(resolved["resolvedAt"] == "2023-05-01T11:00:00Z")
        let before = try await cli.run("replay", "SP-p1", "--at", "2023-05-01T09:59:00Z")
        #expect(before.status == 3)
        #expect(before.stderr.hasPrefix("incidents: nothing of SP-p1 was known at 2023-05-01T09:59:00Z"))
    }

    @Test func anUpdateThePagePostedLateIsMarkedLateAtItsSource() async throws {
        let cli = CLI()
        try await cli.run("init")
        let late = Self.prompt.replacingOccurrences(of: #""created_at": "2023-05-01T10:20:30Z""#, with: #""created_at": "2023-05-01T10:40:00Z""#)
        await #expect(try cli.run("import", "statuspage", try cli.write("late.json", late)).status == 0)
        let timeline = try await Self.lines(try cli.run("timeline", "SP-p1", "--json").stdout)
        let lateOnes = timeline.filter { $0["late"] == .bool(true) }
        // The update and the status change it carried, both posted 20 minutes after their displayed time.
        #expect(lateOnes.count == 2)
        #expect(lateOnes.allSatisfy { $0["sourceRecordedAt"] == "2023-05-01T10:40:00Z" })
        await #expect(try cli.run("timeline", "SP-p1").stdout.contains("(recorded late at the source, 2023-05-01T10:40:00Z)"))
    }

    @Test func aSourceTimeInTheFutureIsRefusedWithOneLineAndNothingWritten() async throws {
        let cli = CLI()
        try await cli.run("init")
        try await cli.run("append", stdin: CLI.event())
        let before = try await cli.run("verify").stdout
        let future = Timestamp.now().adding(seconds: 86_400).rfc3339
        let event = CLI.note("n").replacingOccurrences(of: #""source":"cli""#, with: #""source":"cli","sourceRecordedAt":"\#(future)""#)
        let outcome = try await cli.run("append", stdin: event)
        #expect(outcome.status == 3)
        #expect(outcome.stderr.hasPrefix("incidents: event 1: sourceRecordedAt: \(future) is in the future"), "\(outcome.stderr)")
        #expect(outcome.stderr.hasSuffix("nothing was written\n"))
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        await #expect(try cli.run("verify").stdout == before)
        let flag = try await cli.run("note", "INC-1", "--text", "n", "--source-recorded-at", future)
        #expect(flag.status == 3)
        #expect(flag.stderr.hasPrefix("incidents: event 1: sourceRecordedAt: \(future) is in the future"), "\(flag.stderr)")
        await #expect(try cli.run("verify").stdout == before)
    }

    @Test func aRecordingVerbTakesTheSourceTimeAndTheLedgerBecomesFormatTwo() async throws {
        let cli = CLI()
        try await cli.run("init")
        try await cli.run("append", stdin: CLI.event())
        await #expect(try JSONParser.parse(try cli.run("info", "--json").stdout)["formatVersion"] == .integer(1))
        let recorded = try await cli.run("note", "INC-1", "--text", "from the ticket", "--at", "2026-03-14T10:00:00Z", "--source-recorded-at", "2026-03-14T10:01:00+01:00")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let last = try await #require(try Self.lines(try cli.run("log", "--json").stdout).last)
        #expect(last["sourceRecordedAt"] == "2026-03-14T09:01:00Z")
        await #expect(try JSONParser.parse(try cli.run("info", "--json").stdout)["formatVersion"] == .integer(2))
        await #expect(try cli.run("verify").status == 0)
    }

    /// Tools/verify-chain.py reads a ledger of both record formats to the chain head `verify`
    /// gives, and refuses a changed source time.
    @Test func thePythonChainVerifierReadsMixedFormatsAndRefusesATamperedSourceTime() async throws {
        let cli = CLI()
        try await cli.run("init")
        try await cli.run("append", stdin: CLI.event())
        await #expect(try cli.run("import", "statuspage", try cli.write("prompt.json", Self.prompt)).status == 0)
        try await cli.run("append", stdin: CLI.note("after the import"))
        let exported = try await cli.run("log", "--json").stdout
        let formats = try Self.lines(exported).map { $0["sourceRecordedAt"] == nil ? 1 : 2 }
        #expect(formats.first == 1 && formats.last == 1 && formats.contains(2))
        let script = IndependentChainTests.repository + "/Tools/verify-chain.py"
        let python = try await ChildProcess.run("/usr/bin/env", ["python3", script], stdin: exported)
        #expect(python.status == 0, "\(python.stderr)")
        let head = { (text: String) in (text.components(separatedBy: "chain head ").last ?? "").prefix { $0 != "\n" } }
        await #expect(head(python.stdout) == head(try cli.run("verify").stdout))

        let tampered = exported.replacingOccurrences(of: #""sourceRecordedAt":"2023-05-01T10:20:30Z""#, with: #""sourceRecordedAt":"2023-05-01T10:20:00Z""#)
        #expect(tampered != exported)
        let refused = try await ChildProcess.run("/usr/bin/env", ["python3", script], stdin: tampered)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("previousHash does not match the record before it"))
    }
}
