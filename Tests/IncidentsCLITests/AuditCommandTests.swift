import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// keys, checkpoint, export and verify-export, run as a user would.
@Suite struct AuditCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static func ledgerWithEvents() throws -> CLI {
        let cli = CLI()
        try cli.run("init")
        let lines = [CLI.event(), CLI.note("n-2"), CLI.event(stream: "INC-2"), CLI.note("n-4"), CLI.note(stream: "INC-2", "n-5")]
        #expect(try cli.run("append", stdin: lines.joined(separator: "\n")).status == 0)
        return cli
    }

    @Test func aMissingKeyIsExplainedAndChangesNothing() async throws {
        let cli = try Self.ledgerWithEvents()
        let checkpoint = try await cli.run("checkpoint")
        #expect(checkpoint.status == 3)
        #expect(checkpoint.stderr.contains("create one with `incidents keys create`"))
        await #expect(try cli.run("export", "-o", "bundle").status == 3)
        #expect(!FileManager.default.fileExists(atPath: cli.directory.file("bundle")))
        await #expect(try cli.run("verify").status == 0)
    }

    @Test func exportAndVerifyEndToEnd() async throws {
        let cli = try Self.ledgerWithEvents()
        let created = try await cli.run("keys", "create")
        #expect(created.status == 0, "\(created.stderr)")
        await #expect(try cli.run("keys", "create").status == 3)  // never replaced
        let mode = try FileManager.default.attributesOfItem(atPath: cli.ledgerPath + "/keys/checkpoint.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        await #expect(try cli.run("keys", "export", "--output", "ledger.pub").status == 0)
        await #expect(try cli.run("keys", "show").stdout.contains("key id"))

        let checkpoint = try await cli.run("checkpoint", "--output", "earlier.txt")
        #expect(checkpoint.status == 0)
        let lines = checkpoint.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6 && lines[0].hasPrefix("incident-ledger/") && lines[1] == "5" && lines[3].isEmpty && lines[4].hasPrefix("\u{2014} "))

        let full = try await cli.run("export", "--output", "full", "--csv")
        #expect(full.status == 0, "\(full.stderr)")
        let exported = try String(contentsOfFile: cli.directory.file("full/events.jsonl"), encoding: .utf8)
        await #expect(exported == (try cli.run("log", "--json").stdout))
        await #expect(try cli.run("export", "--output", "full").status == 3)  // an existing bundle is kept

        await #expect(try cli.run("export", "--output", "notes", "--type", "incident.note_added", "--incident", "INC-1").status == 0)
        await #expect(try cli.run("note", "INC-2", "--text", "after the checkpoint").status == 0)
        await #expect(try cli.run("export", "--output", "next", "--since-checkpoint", "earlier.txt").status == 0)
        await #expect(try cli.run("export", "--output", "bad", "--since-checkpoint", "earlier.txt", "--incident", "INC-1").status == 2)

        for (bundle, extra) in [("full", [String]()), ("notes", []), ("next", ["--previous", "earlier.txt"]), ("full", ["--previous", "earlier.txt"])] {
            let swift = try await cli.run(["verify-export", bundle, "--key", "ledger.pub"] + extra)
            #expect(swift.status == 0, "\(bundle): \(swift.stderr)")
            let python = try await ChildProcess.run(
                "/usr/bin/env", ["python3", Self.repository + "/Tools/verify-export.py", bundle, "--key", "ledger.pub"] + extra,
                directory: cli.directory.path)
            #expect(python.status == 0, "\(bundle): \(python.stderr)")
        }
        await #expect(try cli.run("verify-export", "next", "--key", "ledger.pub").stdout.contains("incremental export of 1 events verified"))

        // One changed byte: both verifiers refuse, exit 1, and say what failed.
        let path = cli.directory.file("full/events.jsonl")
        try Data(exported.replacingOccurrences(of: #"{"text":"n-2"}"#, with: #"{"text":"n-7"}"#).utf8).write(to: URL(fileURLWithPath: path))
        let refused = try await cli.run("verify-export", "full", "--key", "ledger.pub")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("line 3: the previousHash of position 3 is not the hash of the line before it"))
        let python = try await ChildProcess.run(
            "/usr/bin/env", ["python3", Self.repository + "/Tools/verify-export.py", "full", "--key", "ledger.pub"], directory: cli.directory.path)
        #expect(python.status == 1 && python.stderr.contains("events.jsonl"))
        await #expect(try cli.run("verify-export", "nowhere", "--key", "ledger.pub").status == 3)
    }

    /// A forged file beside an honest bundle's: both verifiers refuse it, exit 1, in the same words;
    /// the Python verifier's batch mode gives each bundle its own verdict line.
    @Test func anUnlistedFileIsRefusedByBothVerifiers() async throws {
        let cli = try Self.ledgerWithEvents()
        await #expect(try cli.run("keys", "create").status == 0)
        await #expect(try cli.run("keys", "export", "--output", "ledger.pub").status == 0)
        await #expect(try cli.run("export", "--output", "honest").status == 0)
        await #expect(try cli.run("export", "--output", "forged", "--csv").status == 0)
        // The CSV's entry deleted from the manifest, the file kept (and then altered at will).
        let manifest = cli.directory.file("forged/manifest.json")
        var text = try String(contentsOfFile: manifest, encoding: .utf8)
        let entry = try #require(text.range(of: #"    "events.csv": \{[^}]*\},\n"#, options: .regularExpression))
        text.removeSubrange(entry)
        try Data(text.utf8).write(to: URL(fileURLWithPath: manifest))
        let message = "the bundle holds events.csv, which the manifest does not list (every file of a bundle must be listed with its hash)"
        let swift = try await cli.run("verify-export", "forged", "--key", "ledger.pub")
        #expect(swift.status == 1 && swift.stderr.hasPrefix("incidents: " + message), "\(swift.stderr)")
        let python = try await ChildProcess.run(
            "/usr/bin/env", ["python3", Self.repository + "/Tools/verify-export.py", "forged", "--key", "ledger.pub"], directory: cli.directory.path)
        #expect(python.status == 1 && python.stderr == "verify-export.py: \(message)\n", "\(python.stderr)")
        let batch = try await ChildProcess.run(
            "/usr/bin/env", ["python3", Self.repository + "/Tools/verify-export.py", "--batch", "honest", "forged", "--key", "ledger.pub"],
            directory: cli.directory.path)
        #expect(batch.status == 1 && batch.stdout == "honest\tok\nforged\t\(message)\n", "\(batch.stdout)")
    }
}
