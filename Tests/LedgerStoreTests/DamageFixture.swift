import Foundation
import LedgerTestSupport
@testable import LedgerStore

/// Ledgers made by the built `incidents` tool, copied and damaged byte by byte, and the commands
/// that are run on them.
enum DamageFixture {
    /// A ledger of generated incidents with every database in use: the log and its indexes, the
    /// Merkle tree, and projection states and checkpoints (written by running the read commands
    /// once). Copy it before damaging it.
    final class Template: Sendable {
        let directory: TemporaryDirectory
        var ledger: String { directory.file("incident-ledger") }
        /// The pages of the undamaged file and who holds each.
        let map: PageStructure.Map
        /// An incident that exists.
        let incident = "INC-000007"
        /// A review period the generated incidents fall in.
        let period = "2026-Q1"

        init(incidents: Int, seed: Int) throws {
            directory = TemporaryDirectory("damage-template")
            directory.removeAtExit()
            let tool = ChildProcess.executable("incidents")
            let made = try ChildProcess.run(
                "/bin/sh", ["-c", "'\(tool)' init >/dev/null && '\(tool)' generate --incidents \(incidents) --seed \(seed) | '\(tool)' append >/dev/null"],
                directory: directory.path)
            guard made.status == 0 else { throw FixtureError(message: "cannot make the template ledger: \(made.stderr)") }
            for arguments in DamageFixture.commands(incident: incident, period: period) {
                _ = try ChildProcess.run(tool, arguments + ["--ledger", directory.file("incident-ledger")])
            }
            guard let map = try PageStructure.check(directory: directory.file("incident-ledger")) else {
                throw FixtureError(message: "the template ledger has no data file")
            }
            self.map = map
        }

        /// A fresh copy of the ledger, damaged by `damage` (given the copy's data.mdb path).
        func copy(in parent: TemporaryDirectory, _ damage: (String) throws -> Void) throws -> String {
            let copy = parent.file("ledger-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: ledger + "/data.mdb", toPath: copy + "/data.mdb")
            try damage(copy + "/data.mdb")
            return copy
        }

        /// The first page of each kind (`branch`/`leaf`) held by `database`, if it has one.
        func page(of owner: PageStructure.Owner, flags: UInt16) throws -> UInt64? {
            let data = try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb"))
            for (number, holder) in map.owners.enumerated() where holder == owner {
                let offset = number * map.pageSize + 10
                if UInt16(data[offset]) | UInt16(data[offset + 1]) << 8 == flags { return UInt64(number) }
            }
            return nil
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The commands run on every damaged copy; `verify` first, as a user would.
    static func commands(incident: String, period: String) -> [[String]] {
        [["verify"], ["log"], ["show", incident, "--as-of", "2026-11-01T00:00:00Z"], ["list"], ["review", period, "--as-of", "2026-11-01T00:00:00Z"]]
    }

    /// Flips the bits `mask` of the byte at `offset`.
    static func flip(_ file: String, at offset: Int, mask: UInt8 = 0x01) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        let byte = try handle.read(upToCount: 1)?.first ?? 0
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: [byte ^ mask])
    }

    /// Cuts the file to `size` bytes.
    static func truncate(_ file: String, to size: Int) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file))
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(size))
    }

    /// Runs the built tool on the ledger at `ledger` with a time limit.
    static func run(_ arguments: [String], ledger: String, timeout: Double = 60) throws -> ChildProcess.TimedOutcome {
        try ChildProcess.run(
            ChildProcess.executable("incidents"), arguments + ["--ledger", ledger],
            directory: (ledger as NSString).deletingLastPathComponent, timeout: timeout)
    }

    /// Whether `outcome` is a refusal as docs/cli.md promises: a non-zero exit and one line on
    /// standard error that starts with `incidents:`.
    static func isClearRefusal(_ outcome: ChildProcess.TimedOutcome) -> Bool {
        guard case .exited(let status) = outcome.ending, status != 0 else { return false }
        // The refusal is the last line; a notice may come before it (a damaged projection state
        // found and being rebuilt when the fault came), itself one `incidents:` line.
        let lines = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        return !lines.isEmpty && lines.count <= 2 && lines.allSatisfy { $0.hasPrefix("incidents: ") }
    }
}

extension DamageFixture {
    /// One small template shared by the damage tests (each test damages its own copy).
    static let shared: Result<Template, FixtureError> = Result { () throws(FixtureError) -> Template in
        do {
            return try Template(incidents: 12, seed: 5)
        } catch {
            throw FixtureError(message: "\(error)")
        }
    }

    static func template() throws -> Template { try shared.get() }
}
