import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// One bad record among good ones: refused with its index, field and rule and nothing written, or
/// with --keep-going the good ones written and the bad one in a rejects file; for imports and `append`.
@Suite struct KeepGoingCommandTests {
    static let mapping = #"""
        {"kind": "event-log", "source": "desk", "streamPrefix": "D-",
         "columns": {"incident": "id", "time": "at", "status": "status", "severity": "impact"},
         "title": "Ticket {id}",
         "statuses": {"Work": {"lifecycle": "open", "status": "investigating"}, "Resolved": {"lifecycle": "resolved"}},
         "severities": {"1": "sev1", "3": "sev3"}}
        """#

    /// Three tickets; B is dated in 2099, which the ledger refuses (a fact recorded before it happened).
    static let log = """
        id,at,status,impact
        A,2024-01-01T10:00:00Z,Work,3
        B,2099-01-01T10:00:00Z,Work,1
        A,2024-01-01T11:00:00Z,Resolved,3
        C,2024-01-02T10:00:00Z,Work,3

        """

    func read(_ cli: CLI, _ name: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: cli.directory.file(name))), as: UTF8.self)
    }

    @Test func aBadRowIsNamedAndNothingIsWrittenUnlessKeepGoing() async throws {
        let cli = CLI()
        try await cli.run("init")
        let log = try cli.write("log.csv", Self.log)
        let mapping = try cli.write("mapping.json", Self.mapping)
        let before = try await cli.run("info").stdout

        let refused = try await cli.run("import", "events-csv", log, "--mapping", mapping)
        #expect(refused.status == 3)
        #expect(refused.stderr.hasPrefix("incidents: 1 of 3 records is refused: line 3 (incident 'B'): incident.declared occurredAt: 2099-01-01T10:00:00Z is more than 300 seconds in the future"))
        #expect(refused.stderr.contains("nothing was written"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        await #expect(try cli.run("info").stdout == before)

        let kept = try await cli.run("import", "events-csv", log, "--mapping", mapping, "--keep-going")
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("incidents: 2 imported, 0 already present, 0 skipped (3 in the document)"))
        #expect(kept.stdout.contains("rejected: 1 record, written to log.csv.rejects.jsonl"))
        #expect(kept.stderr.contains("rejected: line 3 (incident 'B'): incident.declared occurredAt: "))
        let reject = try JSONParser.parse(Array(try read(cli, "log.csv.rejects.jsonl").utf8))
        #expect(reject["index"] == .integer(3))
        #expect(reject["unit"] == .string("line"))
        #expect(reject["incident"] == .string("B"))
        #expect(reject["field"] == .string("incident.declared occurredAt"))
        #expect(reject["rule"]?.stringValue?.contains("in the future") == true)
        #expect(reject["record"]?["rows"] == .array([.object(["id": "B", "at": "2099-01-01T10:00:00Z", "status": "Work", "impact": "1"])]))
        await #expect(try cli.run("list", "--ids").stdout == "D-A\nD-C\n")

        // The rejects file is never replaced without --force; the refusal comes before anything is recorded.
        let again = try await cli.run("import", "events-csv", log, "--mapping", mapping, "--keep-going")
        #expect(again.status == 3)
        #expect(again.stderr.contains("log.csv.rejects.jsonl exists already"))
        let forced = try await cli.run("import", "events-csv", log, "--mapping", mapping, "--keep-going", "--force", "--json")
        #expect(forced.status == 0, "\(forced.stderr)")
        let summary = try JSONParser.parse(forced.stdout)
        #expect(summary["incidentsAlreadyPresent"] == .integer(2))
        #expect(summary["recordsRejected"] == .integer(1))
    }

    @Test func keepGoingOptionsThatDoNotFitAreUsageErrors() async throws {
        let cli = CLI()
        try await cli.run("init")
        let mapping = try cli.write("mapping.json", Self.mapping)
        let fromPipe = try await cli.run("import", "events-csv", "-", "--mapping", mapping, "--keep-going", stdin: Self.log)
        #expect(fromPipe.status == 2)
        #expect(fromPipe.stderr.contains("--keep-going with standard input needs --rejects FILE"))
        await #expect(try cli.run("import", "events-csv", "-", "--mapping", mapping, "--rejects", "r.jsonl", stdin: Self.log).status == 2)
        let piped = try await cli.run("import", "events-csv", "-", "--mapping", mapping, "--keep-going", "--rejects", "r.jsonl", stdin: Self.log)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(try read(cli, "r.jsonl").split(separator: "\n").count == 1)
    }

    @Test func appendReportsEachBadLineAndKeepsGoingWhenAsked() async throws {
        let cli = CLI()
        try await cli.run("init")
        let lines = [
            CLI.event(stream: "INC-1"),
            CLI.event(stream: "INC-2", payload: #"{"title":"t","kind":"unplanned","severity":"bad"}"#),
            "{oops",
            CLI.event(stream: "INC-3"),
        ].joined(separator: "\n") + "\n"
        let file = try cli.write("events.jsonl", lines)
        let before = try await cli.run("verify").stdout

        let refused = try await cli.run("append", file)
        #expect(refused.status == 3)
        #expect(refused.stderr.hasPrefix("incidents: 2 of 4 records are refused: line 2 (incident 'INC-2'): payload.severity: must be one of sev1"))
        #expect(refused.stderr.contains("; line 3: "))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        await #expect(try cli.run("verify").stdout == before)

        let kept = try await cli.run("append", file, "--keep-going")
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("appended 1 event to INC-1"))
        #expect(kept.stdout.contains("appended 1 event to INC-3"))
        #expect(kept.stderr.hasSuffix("rejected: 2 of 4 records, written to events.jsonl.rejects.jsonl\n"))
        let rejects = try read(cli, "events.jsonl.rejects.jsonl").split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
        #expect(rejects.map { $0["index"] } == [.integer(2), .integer(3)])
        #expect(rejects[0]["field"] == .string("payload.severity"))
        #expect(rejects[1]["record"] == .string("{oops"))
        await #expect(try cli.run("list", "--ids").stdout == "INC-1\nINC-3\n")
        await #expect(try cli.run("append", file, "--keep-going", "--expected-version", "any").status == 2)
    }

    @Test func warningsAllListsEveryWarning() async throws {
        let cli = CLI()
        try await cli.run("init")
        // 25 tickets whose second row has a status the mapping does not know: 25 unknown_value warnings.
        var rows = ["id,at,status,impact"]
        for number in 1...25 {
            rows.append("T\(number),2024-01-01T10:00:00Z,Work,3")
            rows.append("T\(number),2024-01-01T10:05:00Z,Sleeping,3")
        }
        let log = try cli.write("log.csv", rows.joined(separator: "\n") + "\n")
        let mapping = try cli.write("mapping.json", Self.mapping)
        let summary = try await cli.run("import", "events-csv", log, "--mapping", mapping)
        #expect(summary.status == 0, "\(summary.stderr)")
        let shown = summary.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: [unknown_value]") }
        #expect(shown.count == 6)
        #expect(shown.last == "warning: [unknown_value] … and 20 more (25 in all; --warnings all lists every one)")
        let all = try await cli.run("import", "events-csv", log, "--mapping", mapping, "--warnings", "all")
        #expect(all.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: [unknown_value]") }.count == 25)
        #expect(all.stdout.contains("warnings: 25 (unknown_value 25)"))
    }
}
