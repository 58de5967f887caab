import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import LedgerStore

@Suite struct BatchAndConcurrencyTests {
    @Test func aBatchOverSeveralIncidentsIsAllOrNothing() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        _ = try await ledger.append([SampleEvents.event(1)], to: "INC-3")
        let headBefore = try ledger.read { try $0.head() }
        let batch = [
            StreamAppend(stream: "INC-1", events: [SampleEvents.event(2), SampleEvents.event(3)]),
            StreamAppend(stream: "INC-2", events: [SampleEvents.event(4)]),
            StreamAppend(stream: "INC-3", expectedVersion: .noStream, events: [SampleEvents.event(5)]),
        ]
        await #expect(throws: LedgerError.self) { _ = try await ledger.append(batch) }
        #expect(try ledger.read { try $0.head() } == headBefore)
        #expect(try ledger.read { try $0.version(ofStream: "INC-1") } == 0)

        var fixed = batch
        fixed[2].expectedVersion = .exact(1)
        let results = try await ledger.append(fixed)
        #expect(results.map(\.positions) == [2...3, 4...4, 5...5])
        #expect(try ledger.verify().isIntact)
    }

    /// Submissions that arrive together share a transaction; a refused one must not take the others down.
    @Test func oneRefusedSubmissionLeavesTheOthersOfItsGroupIntact() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for number in 1...40 {
                group.addTask {
                    // Every fifth append expects a stream that does not exist yet to exist.
                    let expected: ExpectedVersion = number % 5 == 0 ? .streamExists : .any
                    return (try? await ledger.append([SampleEvents.event(number)], to: "INC-\(number)", expecting: expected)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 32)
        #expect(try ledger.read { try $0.eventCount() } == 32)
        #expect(try ledger.verify().isIntact)
    }

    /// Many tasks at once: every acknowledged event is present exactly once, positions 1…N with no gap.
    @Test func manyConcurrentAppendersGetDenseUniquePositions() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let writers = 64
        let perWriter = 25
        let acknowledged = try await withThrowingTaskGroup(of: [(UInt64, UUID)].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var mine = [(UInt64, UUID)]()
                    for number in 0..<perWriter {
                        let event = SampleEvents.event(writer * 1000 + number)
                        // Half the writers share one incident, to contend on its versions.
                        let stream = writer % 2 == 0 ? "INC-shared" : "INC-\(writer)"
                        let result = try await ledger.append([event], to: stream)
                        mine.append((result.positions.lowerBound, event.id))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [(UInt64, UUID)]()) { $0 += $1 }
        }
        let total = writers * perWriter
        #expect(acknowledged.count == total)
        #expect(Set(acknowledged.map(\.0)) == Set(1...UInt64(total)))
        try ledger.read { reader throws in
            for (position, id) in acknowledged {
                #expect(try reader.event(at: position)?.id == id)
            }
            #expect(try reader.version(ofStream: "INC-shared") == UInt64(writers / 2 * perWriter))
        }
        #expect(try ledger.verify().isIntact)
    }

    /// Several processes append to one ledger at once; LMDB's file lock serialises their writers.
    @Test func severalProcessesAppendToOneLedger() async throws {
        let directory = TemporaryDirectory()
        _ = try Ledger.create(at: directory.path)
        let processes = 4
        let perProcess = 60
        let outcomes = try await withThrowingTaskGroup(of: ChildProcess.Outcome.self) { group in
            for index in 0..<processes {
                group.addTask {
                    try ChildProcess.run(
                        ChildProcess.executable("LedgerTestChild"), ["count", directory.path, "P\(index)", "\(perProcess)"])
                }
            }
            return try await group.reduce(into: [ChildProcess.Outcome]()) { $0.append($1) }
        }
        for outcome in outcomes {
            #expect(outcome.status == 0, "child failed: \(outcome.stderr)")
        }
        let ledger = try Ledger.open(at: directory.path)
        let report = try ledger.verify()
        #expect(report.isIntact)
        #expect(report.eventsChecked == processes * perProcess * 2)
        try ledger.read { reader throws in
            for index in 0..<processes {
                #expect(try reader.version(ofStream: "P\(index)") == UInt64(perProcess))
            }
            #expect(try reader.version(ofStream: "shared") == UInt64(processes * perProcess))
            var seen = Set<UUID>()
            try reader.forEachEvent { seen.insert($0.id); return true }
            #expect(seen.count == processes * perProcess * 2)
        }
    }
}
