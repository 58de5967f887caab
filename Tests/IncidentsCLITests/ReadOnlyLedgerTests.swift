import Foundation
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A user who may read the ledger's files but not write them can run every read command, with
/// the output its owner gets; write commands fail with one line; a read on current projections
/// writes nothing, whoever runs it.
@Suite(.serialized) struct ReadOnlyLedgerTests {
    static let incident = "INC-000007"

    /// The read commands, in an order where none changes what the next one prints: info, status
    /// and verify (which name the stored projections' state) before the commands that catch up.
    static let readCommands: [[String]] = [
        ["info"], ["projections", "status"], ["verify"], ["log"], ["log", "--json"], ["show", incident, "--as-of", "2026-11-01T00:00:00Z"], ["show", incident, "--json", "--as-of", "2026-11-01T00:00:00Z"],
        ["list"], ["list", "--json"], ["review", "2026-Q1", "--as-of", "2026-11-01T00:00:00Z"], ["review", "--format", "json", "--as-of", "2026-11-01T00:00:00Z"], ["timeline", incident, "--as-of", "2026-11-01T00:00:00Z"],
        ["replay", incident], ["replay", incident, "--json"], ["postmortem", incident, "--as-of", "2026-11-01T00:00:00Z"],
        ["metrics"], ["metrics", "time_to_resolve", "--by", "severity", "--as-of", "2026-11-01T00:00:00Z"], ["schema", "list"], ["schema", "show", "incident.declared"],
    ]

    /// A generated ledger of 30 incidents, its projections never built, with a key pair outside it.
    ///
    /// The events are appended by the store directly, as an older build or another tool would:
    /// a write through `incidents` stores the projections' catch-up, and this test needs them behind.
    static func ledger() async throws -> CLI {
        let cli = CLI()
        await #expect(try cli.run("init").status == 0)
        let generated = try await cli.run("generate", "--incidents", "30", "--seed", "7")
        let events = try generated.stdout.split(separator: "\n").map { line in try StreamEvent(json: try JSONParser.parse(String(line))) }
        try await Ledger.open(at: cli.ledgerPath).append(inOrder: events[...])
        await #expect(try cli.run("keys", "create", "--keys", cli.directory.file("keys")).status == 0)
        return cli
    }

    static func digest(_ path: String) throws -> Hash256 {
        Hash256.sha256([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Why the unprivileged run cannot be made here, or nil when it can.
    static var cannotRunAsNobody: String? {
        if getuid() != 0 { return "not running as root, so the test cannot switch to the user nobody" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") { return "/usr/bin/setpriv is not installed" }
        return nil
    }

    /// Runs the tool copied into `bin` as the user nobody (uid and gid 65534, no groups).
    static func runAsNobody(_ cli: CLI, _ bin: String, _ arguments: [String], stdin: String? = nil) throws -> ChildProcess.Outcome {
        try ChildProcess.run(
            "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", bin] + arguments, stdin: stdin,
            environment: ["HOME": "/tmp"], directory: cli.directory.path)
    }

    @Test func everyReadCommandWorksForAUserWhoCannotWriteTheLedger() async throws {
        if let reason = Self.cannotRunAsNobody {
            print("skipped everyReadCommandWorksForAUserWhoCannotWriteTheLedger: \(reason)")
            return
        }
        let cli = try await Self.ledger()
        let files = FileManager.default
        // The tool in a folder nobody can reach (the build folder may not be); the Swift runtime
        // it loads from /opt/swift is world-readable.
        let bin = cli.directory.file("bin/incidents")
        try files.createDirectory(atPath: cli.directory.file("bin"), withIntermediateDirectories: true)
        try files.copyItem(atPath: ChildProcess.executable("incidents"), toPath: bin)
        // A private key only its owner may read (as `keys create` makes it), owned by nobody.
        try files.copyItem(atPath: cli.directory.file("keys"), toPath: cli.directory.file("nobody-keys"))
        let outputs = cli.directory.file("out")
        try files.createDirectory(atPath: outputs, withIntermediateDirectories: true)
        for path in [outputs, cli.directory.file("nobody-keys")] + (try files.contentsOfDirectory(atPath: cli.directory.file("nobody-keys"))).map({ cli.directory.file("nobody-keys/\($0)") }) {
            #expect(chown(path, 65534, 65534) == 0)
        }
        for directory in [cli.directory.path, cli.directory.file("bin"), cli.ledgerPath] {
            #expect(chmod(directory, 0o755) == 0)
        }
        for file in ["data.mdb", "lock.mdb"] { #expect(chmod(cli.ledgerPath + "/" + file, 0o644) == 0) }
        let data = cli.ledgerPath + "/data.mdb"
        let untouched = try Self.digest(data)

        // Neither file writable: every read works, unlocked, and projections are caught up in memory.
        var asNobody = [[String]: ChildProcess.Outcome]()
        for command in Self.readCommands {
            let outcome = try Self.runAsNobody(cli, bin, command)
            #expect(outcome.status == 0, "\(command): \(outcome.stderr)")
            let notes = outcome.stderr.split(separator: "\n")
            #expect(notes.allSatisfy { $0.hasPrefix("incidents: ") }, "\(command): \(outcome.stderr)")
            if command[0] != "schema", command != ["metrics"] {  // the commands that open the ledger
                #expect(notes.contains { $0.contains("takes no reader lock") }, "\(command): \(outcome.stderr)")
            }
            asNobody[command] = outcome
        }
        #expect(asNobody[["list"]]!.stderr.contains("caught projection incident-state up with"))
        #expect(asNobody[["review", "2026-Q1", "--as-of", "2026-11-01T00:00:00Z"]]!.stderr.contains("in memory"))
        let nobodyExport = try Self.runAsNobody(cli, bin, ["export", "--keys", cli.directory.file("nobody-keys"), "-o", outputs + "/bundle"])
        #expect(nobodyExport.status == 0, "\(nobodyExport.stderr)")
        #expect(try Self.digest(data) == untouched, "a read by a user who cannot write changed data.mdb")

        // Write commands fail with one line, exit 5, and write nothing.
        let writes: [([String], String?)] = [
            (["declare", "INC-NEW", "--title", "t", "--kind", "unplanned", "--severity", "sev3"], nil),
            (["append"], CLI.event(stream: "INC-NEW")), (["projections", "rebuild"], nil),
        ]
        for (command, stdin) in writes {
            let outcome = try Self.runAsNobody(cli, bin, command, stdin: stdin)
            #expect(outcome.status == 5, "\(command): \(outcome.stderr)")
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(command): \(outcome.stderr)")
            #expect(lines.first?.hasPrefix("incidents: the ledger at ") == true, "\(command): \(outcome.stderr)")
            #expect(lines.first?.contains("is not accessible for writing by this user") == true, "\(command): \(outcome.stderr)")
            #expect(lines.first?.contains("ask for write access") == true, "\(command): \(outcome.stderr)")
        }
        #expect(try Self.digest(data) == untouched)

        // The owner gets the same output; reads never write, so a write of the owner's stores the catch-ups.
        for command in Self.readCommands {
            let outcome = try await cli.run(command)
            #expect(outcome.status == 0, "\(command): \(outcome.stderr)")
            #expect(outcome.stdout == asNobody[command]!.stdout, "\(command) prints otherwise for its owner")
        }
        await #expect(try cli.run("projections", "rebuild").status == 0)
        let ownerExport = try await cli.run("export", "--keys", cli.directory.file("keys"), "-o", outputs + "/owner-bundle")
        #expect(ownerExport.stdout.replacingOccurrences(of: "owner-bundle", with: "bundle") == nobodyExport.stdout)
        let verified = try await cli.run("verify-export", "--key", cli.directory.file("keys/checkpoint.pub"), outputs + "/bundle")
        #expect(verified.status == 0, "\(verified.stderr)")

        // lock.mdb writable, projections current: reads take the lock as usual and say nothing.
        #expect(chmod(cli.ledgerPath + "/lock.mdb", 0o666) == 0)
        let current = try Self.digest(data)
        for command in Self.readCommands {
            let outcome = try Self.runAsNobody(cli, bin, command)
            #expect(outcome.status == 0, "\(command): \(outcome.stderr)")
            #expect(outcome.stderr.isEmpty, "\(command): \(outcome.stderr)")
            await #expect(outcome.stdout == (try cli.run(command)).stdout, "\(command) prints otherwise for its owner")
        }
        #expect(try Self.digest(data) == current)
    }

    /// Run as the owner: no read command starts a write, even with the stored projections behind the
    /// log (reads catch up in memory; issue 14).
    @Test func readCommandsOnCurrentProjectionsLeaveDataMdbUntouched() async throws {
        let cli = try await Self.ledger()
        await #expect(try cli.run("review", "2026-Q1").status == 0)
        await #expect(try cli.run("list").status == 0)
        let data = cli.ledgerPath + "/data.mdb"
        let before = try FileManager.default.attributesOfItem(atPath: data)
        let digest = try Self.digest(data)
        for command in Self.readCommands {
            let outcome = try await cli.run(command)
            #expect(outcome.status == 0, "\(command): \(outcome.stderr)")
            #expect(outcome.stderr.isEmpty, "\(command): \(outcome.stderr)")
        }
        let after = try FileManager.default.attributesOfItem(atPath: data)
        #expect(after[.modificationDate] as? Date == before[.modificationDate] as? Date)
        #expect(after[.size] as? Int == before[.size] as? Int)
        #expect(try Self.digest(data) == digest)
    }
}
