import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// The tool end to end: its output and exit codes for success and for each kind of bad input.
@Suite struct CLIEndToEndTests {
    @Test func theQuickStartFlowWorks() async throws {
        let cli = CLI()
        let created = try await cli.run("init")
        #expect(created.status == 0)
        #expect(created.stdout.contains("created an empty ledger at incident-ledger"))

        let file = try cli.write(
            "incident.jsonl",
            [
                CLI.event(id: "0190f5d2-8c3a-7b1e-9f00-2a4c6e8b0d12"),
                CLI.event(type: "incident.acknowledged", at: "2026-03-14T09:30:00Z", payload: #"{"by":"jane"}"#),
                CLI.event(stream: "INC-2", at: "2026-03-15T00:00:00Z"),
            ].joined(separator: "\n") + "\n")
        let appended = try await cli.run("append", file)
        #expect(appended.status == 0, "\(appended.stderr)")
        #expect(appended.stdout.contains("appended 2 events to INC-1 at positions 1–2; INC-1 is now at version 2"))
        #expect(appended.stdout.contains("appended 1 event to INC-2 at position 3"))

        let shown = try await cli.run("show", "INC-1")
        #expect(shown.status == 0)
        #expect(shown.stdout.hasPrefix("incident              INC-1\ntitle                 Checkout errors"))
        #expect(shown.stdout.contains("acknowledged          2026-03-14T09:30:00Z"))
        #expect(shown.stdout.contains("#1  2026-03-14T09:26:53Z  INC-1 v1  incident.declared (schema 2)  by person:jane@example.com via cli"))
        #expect(shown.stdout.contains(#"{"kind":"unplanned","severity":"sev1","title":"Checkout errors"}"#))

        let verified = try await cli.run("verify")
        #expect(verified.status == 0)
        #expect(verified.stdout.hasPrefix("ok: 3 events verified"))

        let info = try await cli.run("info", "--json")
        #expect(info.status == 0)
        let parsed = try JSONParser.parse(info.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(parsed["events"] == 3)
        #expect(parsed["headPosition"] == 3)
    }

    @Test func retryingTheSameInputWritesNothing() async throws {
        let cli = CLI()
        try await cli.run("init")
        let event = CLI.event(id: "0190f5d2-8c3a-7b1e-9f00-2a4c6e8b0d12")
        await #expect(try cli.run("append", stdin: event).status == 0)
        let again = try await cli.run("append", "--json", stdin: event)
        #expect(again.status == 0)
        let result = try JSONParser.parse(again.stdout.trimmingCharacters(in: .newlines))
        #expect(result["alreadyRecorded"] == true)
        #expect(result["firstPosition"] == 1)
    }

    @Test func logFiltersAndPrintsJSONLines() async throws {
        let cli = CLI()
        try await cli.run("init")
        let lines = [CLI.event(stream: "INC-0", at: "2026-03-10T10:00:00Z"), CLI.event(stream: "INC-1", at: "2026-03-11T10:00:00Z")]
            + (2..<6).map { index in CLI.note(stream: "INC-\(index % 2)", "note \(index)", at: "2026-03-1\(index)T10:00:00Z") }
        await #expect(try cli.run("append", stdin: lines.joined(separator: "\n")).status == 0)

        let all = try await cli.run("log", "--json")
        let parsed = try all.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(parsed.map { $0["position"] } == (1...6).map { .integer(Int64($0)) })
        #expect(parsed.allSatisfy { $0["previousHash"]?.stringValue?.count == 64 })

        let incident = try await cli.run("log", "--json", "--incident", "INC-1")
        #expect(incident.stdout.split(separator: "\n").count == 3)
        let typed = try await cli.run("log", "--type", "incident.note_added")
        #expect(typed.stdout.components(separatedBy: "incident.note_added").count - 1 == 4)
        let ranged = try await cli.run("log", "--json", "--since", "2026-03-12T00:00:00Z", "--until", "2026-03-14T00:00:00Z")
        #expect(ranged.stdout.split(separator: "\n").count == 2)
        let limited = try await cli.run("log", "--json", "--limit", "4", "--from", "2")
        #expect(limited.stdout.split(separator: "\n").count == 4)
        #expect(limited.stdout.hasPrefix(#"{"actor""#))
    }

    @Test func theLedgerOptionAndEnvironmentVariableNameTheLedger() async throws {
        let cli = CLI()
        await #expect(try cli.run("init", "--ledger", "elsewhere").status == 0)
        await #expect(try cli.run("append", stdin: CLI.event(), environment: ["INCIDENTS_LEDGER": "elsewhere"]).status == 0)
        await #expect(try cli.run("verify", "--ledger", "elsewhere").stdout.hasPrefix("ok: 1 events"))
        #expect(!FileManager.default.fileExists(atPath: cli.ledgerPath))
    }

    @Test func helpExplainsAndExitsZero() async throws {
        let cli = CLI()
        let help = try await cli.run("--help")
        #expect(help.status == 0)
        for command in ["init", "append", "log", "show", "verify", "info", "Exit codes"] {
            #expect(help.stdout.contains(command))
        }
        let appendHelp = try await cli.run("append", "--help")
        #expect(appendHelp.status == 0)
        #expect(appendHelp.stdout.contains("--expected-version"))
    }
}
