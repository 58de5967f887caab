import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import LedgerStore

#if canImport(Glibc)
import Glibc
#endif

/// A child process appends in a loop and reports each acknowledged position; it is killed with
/// SIGKILL at random moments, many times over. Afterwards every acknowledged event must be there,
/// positions must have no gap, and verify must pass.
@Suite struct CrashTests {
    @Test(arguments: [20_261_123] as [UInt64])
    func acknowledgedEventsSurviveSIGKILL(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        _ = try Ledger.create(at: directory.path)
        var random = SeededGenerator(seed: seed)
        var acknowledged = [(position: UInt64, id: String)]()
        let rounds = 25
        for _ in 0..<rounds {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ChildProcess.executable("LedgerTestChild"))
            process.arguments = ["loop", directory.path, "4"]
            let output = Pipe()
            process.standardOutput = output
            try ChildProcess.start(process)
            usleep(UInt32.random(in: 30_000...250_000, using: &random))
            kill(process.processIdentifier, SIGKILL)
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            // Only complete lines count: a line cut by the kill was never fully reported.
            let text = String(decoding: data, as: UTF8.self)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let position = UInt64(parts[0]) else {
                    Issue.record("unreadable line from the child: \(line)")
                    continue
                }
                acknowledged.append((position, String(parts[1])))
            }
        }
        #expect(acknowledged.count > rounds, "the child should have acknowledged appends before being killed")
        let ledger = try Ledger.open(at: directory.path)
        let report = try ledger.verify()
        #expect(report.isIntact, "\(String(describing: report.problem))")
        try ledger.read { reader throws in
            for (position, id) in acknowledged {
                #expect(try reader.event(at: position)?.id.lowercasedString == id)
            }
            #expect(Set(acknowledged.map(\.position)).count == acknowledged.count)
            #expect(try reader.eventCount() >= acknowledged.count)
        }
    }
}

/// A process killed while reading leaves its slot in LMDB's reader table for as long as other
/// processes keep the ledger open (the table is only reset when the first user opens it); opening
/// the ledger clears such slots, so a dead reader cannot pin old pages and grow the file forever.
@Suite struct StaleReaderTests {
    /// Starts a child that opens a read snapshot and keeps it; returns once it holds it.
    static func reader(_ path: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ChildProcess.executable("LedgerTestChild"))
        process.arguments = ["hold-read", path]
        let output = Pipe()
        process.standardOutput = output
        try ChildProcess.start(process)
        _ = output.fileHandleForReading.availableData  // "reading"
        return process
    }

    /// The reader slots taken, read without clearing anything (no transaction, no reader check).
    static func slots(_ path: String) throws -> Int {
        var count = 0
        try RawLMDB.withEnvironment(path) { env in count = RawLMDB.readerCount(env) }
        return count
    }

    @Test func openingALedgerClearsReadersOfKilledProcesses() async throws {
        let directory = TemporaryDirectory()
        do {
            let ledger = try Ledger.create(at: directory.path)
            _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        }
        // A live process keeps the ledger open throughout, as a long-running service would.
        let live = try Self.reader(directory.path)
        defer {
            kill(live.processIdentifier, SIGKILL)
            live.waitUntilExit()
        }
        let doomed = try Self.reader(directory.path)
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()
        #expect(try Self.slots(directory.path) == 2, "the live reader and the killed one's stale slot")
        let opener = try await ChildProcess.run(ChildProcess.executable("LedgerTestChild"), ["open", directory.path])
        #expect(opener.status == 0, "\(opener.stderr)")
        #expect(try Self.slots(directory.path) == 1, "only the live reader is left")
    }
}
