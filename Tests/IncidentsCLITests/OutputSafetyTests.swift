import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Files a command writes never clobber the ledger, nor any file unless --force, and are whole or
/// absent; an export killed halfway leaves a folder that the next export removes.
@Suite struct OutputSafetyTests {
    /// A ledger with one incident and a key, and a second ledger folder `other` beside it.
    static func ledger() throws -> CLI {
        let cli = CLI()
        try cli.run("init")
        #expect(try cli.run("append", stdin: [CLI.event(), CLI.note("a note")].joined(separator: "\n")).status == 0)
        #expect(try cli.run("keys", "create").status == 0)
        #expect(try cli.run("init", "--ledger", "other").status == 0)
        return cli
    }

    /// Every command that writes a file, as arguments with the path last but its flags.
    static func writers(_ path: String) -> [[String]] {
        [
            ["postmortem", "INC-1", "--output", path], ["review", "2026-Q1", "--output", path], ["keys", "export", "--output", path],
            ["checkpoint", "--output", path], ["generate", "--incidents", "1", "--output", path],
        ]
    }

    static func contents(_ directory: String) throws -> [String: Data] {
        var all = [String: Data]()
        for name in try FileManager.default.subpathsOfDirectory(atPath: directory) {
            all[name] = FileManager.default.contents(atPath: directory + "/" + name)
        }
        return all
    }

    /// `postmortem … --output incident-ledger/data.mdb` destroyed the ledger once. Now every
    /// writing command refuses any path inside a ledger directory — the data file, the lock, the
    /// keys, a new name there, reached through `..` or a link, or another ledger's folder — with
    /// --force too, and the ledger keeps every byte.
    @Test func noCommandWritesIntoALedgerDirectory() async throws {
        let cli = try Self.ledger()
        try FileManager.default.createDirectory(atPath: cli.directory.file("reports"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: cli.directory.file("alias"), withDestinationPath: cli.ledgerPath)
        try FileManager.default.createSymbolicLink(atPath: cli.directory.file("innocent.md"), withDestinationPath: cli.ledgerPath + "/data.mdb")
        await #expect(try cli.run("checkpoint").status == 0)
        let before = try Self.contents(cli.ledgerPath)
        let otherBefore = try Self.contents(cli.directory.file("other"))
        let paths = [
            "incident-ledger/data.mdb", "incident-ledger/lock.mdb", "incident-ledger/keys/checkpoint.key", "incident-ledger/new.md",
            "reports/../incident-ledger/data.mdb", "alias/data.mdb", "alias/keys/new.pub", "innocent.md", "other/report.md", cli.ledgerPath + "/x.md",
        ]
        for path in paths {
            for arguments in Self.writers(path) + [["schema", "export", path], ["export", "-o", path]] {
                for force in [[], ["--force"]] where !(force.count == 1 && arguments[0] == "export") {
                    let refused = try await cli.run(arguments + force)
                    #expect(refused.status == 3, "\(arguments + force): \(refused.stderr)")
                    #expect(refused.stderr.contains("is inside the ledger directory"), "\(arguments + force): \(refused.stderr)")
                    #expect(refused.stderr.hasSuffix("writing there could destroy the ledger — name a path outside it\n"))
                }
            }
        }
        #expect(try Self.contents(cli.ledgerPath) == before)
        #expect(try Self.contents(cli.directory.file("other")) == otherBefore)
        await #expect(try cli.run("verify").status == 0)
        // The ledger named with --ledger counts as well, wherever the command is run from.
        let elsewhere = try await cli.run("postmortem", "INC-1", "--ledger", cli.ledgerPath, "--output", cli.ledgerPath + "/../incident-ledger/r.md")
        #expect(elsewhere.status == 3)
    }

    /// A second write to the same file is refused (exit 3) and the file kept; --force replaces it,
    /// whole, with no temporary file left beside it.
    @Test func anExistingFileIsReplacedOnlyWithForce() async throws {
        let cli = try Self.ledger()
        for (number, arguments) in Self.writers("out-\(UUID().uuidString.prefix(4))").enumerated() {
            let path = cli.directory.file(arguments[arguments.firstIndex(of: "--output")! + 1])
            try Data("precious \(number)\n".utf8).write(to: URL(fileURLWithPath: path))
            let refused = try await cli.run(arguments)
            #expect(refused.status == 3, "\(arguments)")
            #expect(refused.stderr.hasSuffix("exists already; it was kept — give --force to replace it, or name a new file\n"), "\(refused.stderr)")
            #expect(FileManager.default.contents(atPath: path) == Data("precious \(number)\n".utf8))
            let forced = try await cli.run(arguments + ["--force"])
            #expect(forced.status == 0, "\(arguments): \(forced.stderr)")
            let written = try #require(FileManager.default.contents(atPath: path))
            #expect(written.count > 20 && written.last == UInt8(ascii: "\n"))
        }
        let schemas = try await cli.run("schema", "export", "schemas")
        #expect(schemas.status == 0)
        let again = try await cli.run("schema", "export", "schemas")
        #expect(again.status == 3)
        #expect(again.stderr.contains("give --force to replace the schemas in schemas"))
        await #expect(try cli.run("schema", "export", "schemas", "--force").status == 0)
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: cli.directory.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    /// An export SIGKILLed halfway leaves only `DIR.partial-PID`; the next export to the same place
    /// removes it (its process is gone) and writes a bundle that verifies, while a partial folder
    /// whose process is alive (an export running now) is left alone.
    @Test func aKilledExportsFolderIsRemovedByTheNextExport() async throws {
        let cli = CLI()
        try await cli.run("init")
        let history = try await cli.run("generate", "--incidents", "60", "--seed", "12")
        await #expect(try cli.run("append", stdin: history.stdout).status == 0)
        await #expect(try cli.run("keys", "create").status == 0)
        let bundle = cli.directory.file("bundle")

        var killed: String?
        for _ in 0..<5 where killed == nil {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ChildProcess.executable("incidents"))
            // Filtered with an inclusion proof per event and a CSV: slow enough to be caught halfway.
            process.arguments = ["export", "-o", "bundle", "--since", "2000-01-01T00:00:00Z", "--csv"]
            process.currentDirectoryURL = URL(fileURLWithPath: cli.directory.path)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try ChildProcess.start(process)
            let partial = "\(bundle).partial-\(process.processIdentifier)"
            let deadline = Date().addingTimeInterval(20)
            while !FileManager.default.fileExists(atPath: partial + "/events.jsonl"), process.isRunning, Date() < deadline {
                usleep(500)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal, FileManager.default.fileExists(atPath: partial) {
                killed = partial
            } else if FileManager.default.fileExists(atPath: bundle) {
                try FileManager.default.removeItem(atPath: bundle)  // finished first: try again
            }
        }
        let partial = try #require(killed, "no export was caught halfway in 5 tries")
        #expect(!FileManager.default.fileExists(atPath: bundle))
        let running = "\(bundle).partial-\(getpid())"  // this test process: alive
        try FileManager.default.createDirectory(atPath: running, withIntermediateDirectories: false)

        let next = try await cli.run("export", "-o", "bundle")
        #expect(next.status == 0, "\(next.stderr)")
        #expect(!FileManager.default.fileExists(atPath: partial))
        #expect(FileManager.default.fileExists(atPath: running))
        await #expect(try cli.run("verify-export", "bundle").status == 0)
        await #expect(try cli.run("verify").status == 0)
    }
}
