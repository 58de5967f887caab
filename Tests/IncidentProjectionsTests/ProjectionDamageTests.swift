import Foundation
import IncidentEvents
import IncidentGenerator
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Synchronization
import Testing
@testable import IncidentProjections

/// A damaged stored state is rebuilt from the log and reported, never used; a ledger that cannot
/// be written is caught up in memory; `verify`'s comparison names damage and tells it from lag.
@Suite struct ProjectionDamageTests {
    /// The notices a runner gave.
    final class Notices: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func add(_ line: String) { lines.withLock { $0.append(line) } }
    }

    static func runner(_ ledger: Ledger, _ notices: Notices) -> ProjectionRunner {
        ProjectionRunner(ledger: ledger, notice: { notices.add($0) })
    }

    /// A ledger of 12 generated incidents, its incident-state projection caught up.
    static func ledger(seed: UInt64) async throws -> (TemporaryDirectory, [IncidentSummary]) {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 10 * 86_400))
        try await ledger.append(inOrder: HistoryGenerator.everyFamily(incidents: 12, seed: seed)[...])
        let runner = ProjectionRunner(ledger: ledger)
        try runner.catchUp(IncidentStateProjection.self)
        return (directory, try runner.states(IncidentStateProjection.self))
    }

    static func fileDigest(_ path: String) throws -> Hash256 {
        Hash256.sha256([UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))))
    }

    /// One byte flipped at a seeded random place in one incident's stored key or state.
    static func damageOneState(_ directory: TemporaryDirectory, _ states: [IncidentSummary], seed: UInt64) throws -> (victim: String, offset: Int) {
        var random = SeededGenerator(seed: seed &* 104_729)
        let victim = states.randomElement(using: &random)!
        let needle = FileDamage.projectionKey(IncidentStateProjection.name, victim.incident)
        let length = needle.count + IncidentStateProjection.encode(victim).count + 8
        let offset = Int.random(in: 0..<length, using: &random)
        #expect(try FileDamage.flipEverywhere(in: directory.file("data.mdb"), after: needle, offset: offset) > 0)
        return (victim.incident, offset)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func aDamagedStateIsNamedByVerifyThenRebuiltAndReported(seed: UInt64) async throws {
        let (directory, undamaged) = try await Self.ledger(seed: seed)
        let (victim, offset) = try Self.damageOneState(directory, undamaged, seed: seed)
        let context = "seed \(seed): \(victim) at byte \(offset)"
        let ledger = try Ledger.open(at: directory.path)
        let notices = Notices()
        let runner = Self.runner(ledger, notices)

        let comparison = try runner.compareWithLog(IncidentStateProjection.self)
        #expect(!comparison.isIntact, "\(context)")
        #expect(comparison.eventsBehind == 0)
        #expect(!(try runner.status(IncidentStateProjection.self).isCurrent), "\(context)")

        #expect(try runner.state(IncidentStateProjection.self, key: victim) == undamaged.first { $0.incident == victim }, "\(context)")
        #expect(try runner.states(IncidentStateProjection.self) == undamaged, "\(context)")
        #expect(notices.all.count == 1, "\(context): \(notices.all)")
        #expect(notices.all.first?.contains("rebuilding incident-state from the log") == true, "\(context)")
        #expect(try runner.compareWithLog(IncidentStateProjection.self).isIntact, "\(context)")
        #expect(try runner.status(IncidentStateProjection.self).isCurrent, "\(context)")
    }

    @Test func aCatchUpOverADamagedStateRebuildsInsteadOfFoldingOnIt() async throws {
        let (directory, undamaged) = try await Self.ledger(seed: 11)
        let (victim, _) = try Self.damageOneState(directory, undamaged, seed: 11)
        let ledger = try Ledger.open(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 20 * 86_400))
        let note = Catalog.proposed(
            .noteAdded(InternalNoteAdded(text: "later")), occurredAt: SampleEvents.epoch.adding(seconds: 15 * 86_400),
            actor: Actor(kind: .person, id: "p"), source: "t")
        _ = try await ledger.append([note], to: victim)
        let notices = Notices()
        let runner = Self.runner(ledger, notices)
        try runner.catchUp(IncidentStateProjection.self)
        #expect(notices.all.count == 1, "\(notices.all)")
        #expect(try runner.compareWithLog(IncidentStateProjection.self).isIntact)
    }

    @Test func aReadOnlyLedgerIsCaughtUpInMemoryAndNothingIsWritten() async throws {
        let history = HistoryGenerator.everyFamily(incidents: 10, seed: 21)
        let directory = TemporaryDirectory()
        let writable = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 10 * 86_400))
        try await writable.append(inOrder: history[..<(history.count / 2)])
        try ProjectionRunner(ledger: writable).catchUp(IncidentStateProjection.self)
        try await writable.append(inOrder: history[(history.count / 2)...])
        let before = try Self.fileDigest(directory.path)

        let ledger = try Ledger.open(at: directory.path, readOnly: true)
        #expect(!ledger.isWritable)
        let notices = Notices()
        let runner = Self.runner(ledger, notices)
        #expect(try runner.catchUp(IncidentStateProjection.self) == history.count - history.count / 2)
        #expect(notices.all.count == 1 && notices.all[0].contains("in memory"), "\(notices.all)")
        let inMemory = try runner.states(IncidentStateProjection.self)
        #expect(inMemory.count == 10)
        #expect(!(try runner.status(IncidentStateProjection.self).isCurrent), "the stored projection stays behind")

        // A rebuild is a write: refused on a read-only ledger, with nothing written.
        #expect(throws: LedgerError.self) { try runner.rebuild(IncidentStateProjection.self) }
        #expect(try Self.fileDigest(directory.path) == before)

        let onDisk = ProjectionRunner(ledger: writable)
        try onDisk.catchUp(IncidentStateProjection.self)
        #expect(try onDisk.states(IncidentStateProjection.self) == inMemory)
    }

    @Test func aDamagedStateOfAReadOnlyLedgerIsRebuiltInMemory() async throws {
        let (directory, undamaged) = try await Self.ledger(seed: 31)
        _ = try Self.damageOneState(directory, undamaged, seed: 31)
        let before = try Self.fileDigest(directory.path)
        let notices = Notices()
        let runner = Self.runner(try Ledger.open(at: directory.path, readOnly: true), notices)
        #expect(try runner.states(IncidentStateProjection.self) == undamaged)
        #expect(try runner.catchUp(IncidentStateProjection.self) == 0)
        #expect(notices.all.count == 1 && notices.all[0].contains("in memory"), "\(notices.all)")
        #expect(try Self.fileDigest(directory.path) == before)
    }

    @Test func aProjectionBehindTheLogIsNotDamage() async throws {
        let (directory, _) = try await Self.ledger(seed: 41)
        let ledger = try Ledger.open(at: directory.path)
        try await ledger.append(inOrder: HistoryGenerator.everyFamily(incidents: 2, seed: 42)[...])
        let comparison = try ProjectionRunner(ledger: ledger).compareWithLog(IncidentStateProjection.self)
        #expect(comparison.isIntact)
        #expect(comparison.eventsBehind > 0)
    }
}
