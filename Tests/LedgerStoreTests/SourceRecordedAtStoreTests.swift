import Foundation
import LedgerModel
import LedgerTestSupport
import Synchronization
import Testing
@testable import LedgerStore

/// Events with `sourceRecordedAt` in a ledger: stored in record format 2 beside format 1 records,
/// the ledger's format raised with the first of them, and refused when later than `recordedAt`.
@Suite struct SourceRecordedAtStoreTests {
    static func imported(_ number: Int, knownAt: Timestamp) -> ProposedEvent {
        var event = SampleEvents.event(number)
        event.sourceRecordedAt = knownAt
        return event
    }

    @Test func mixedFormatsReadBackVerifyAndRaiseTheLedgerFormatOnce() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock())
        _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        let headBefore = try ledger.read { try $0.head() }
        #expect(try ledger.info().formatVersion == 1, "a ledger without the field stays format 1")
        let events = [Self.imported(2, knownAt: SampleEvents.epoch.adding(seconds: -30)), SampleEvents.event(3)]
        _ = try await ledger.append(events, to: "INC-1")
        #expect(try ledger.info().formatVersion == 2)
        try ledger.read { reader throws in
            var all = [RecordedEvent]()
            try reader.forEachEvent { all.append($0); return true }
            #expect(all.map(\.proposed) == [SampleEvents.event(1)] + events)
            #expect(all.map(\.knownAt) == [all[0].recordedAt, SampleEvents.epoch.adding(seconds: -30), all[2].recordedAt])
            #expect(try reader.event(at: 1)?.previousHash == .zero)
        }
        // The format 1 record before them is linked to as it was hashed then.
        #expect(try ledger.read { try $0.event(at: 2)?.previousHash } == headBefore.hash)
        #expect(try ledger.verify().isIntact)
        // A retry of the imported events is recognised, and a later format 1 append keeps format 2.
        #expect(try await ledger.append(events, to: "INC-1").alreadyRecorded)
        _ = try await ledger.append([SampleEvents.event(4)], to: "INC-1")
        #expect(try ledger.info().formatVersion == 2)
        let reopened = try Ledger.open(at: directory.path)
        #expect(try reopened.verify().isIntact)
    }

    /// Older builds rely on the ledger's format to refuse records they cannot read: `verify`
    /// reports a format 2 record in a ledger whose format-version says 1.
    @Test func verifyReportsAFormatTwoRecordInALedgerThatSaysFormatOne() async throws {
        let directory = TemporaryDirectory()
        do {
            let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock())
            _ = try await ledger.append([SampleEvents.event(1), Self.imported(2, knownAt: SampleEvents.epoch)], to: "INC-1")
            #expect(try ledger.verify().isIntact)
        }
        try RawLMDB.modify(directory.path, database: "meta", key: Array("format-version".utf8)) { bytes in
            bytes = withUnsafeBytes(of: UInt32(1).bigEndian) { Array($0) }
        }
        let report = try Ledger.open(at: directory.path).verify()
        #expect(report.problem?.position == 2)
        #expect(report.problem?.reason == "the record is of format 2 but the ledger's format-version says 1")
    }

    @Test func aSourceTimeLaterThanTheLedgerClockIsRefusedAndNothingWritten() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 60))
        let batch = [SampleEvents.event(1), Self.imported(2, knownAt: SampleEvents.epoch.adding(seconds: 61))]
        await #expect {
            _ = try await ledger.append(batch, to: "INC-1")
        } throws: { error in
            let error = error as! LedgerError
            return error.code == .invalidInput
                && error.message.hasPrefix("event 2: sourceRecordedAt: 2026-03-14T09:01:01Z is in the future (the ledger's clock reads 2026-03-14T09:01:00Z)")
                && error.message.hasSuffix("; nothing was written")
        }
        #expect(try ledger.read { try $0.eventCount() } == 0)
        #expect(try ledger.info().formatVersion == 1)
        // The same instant as the ledger's clock is allowed.
        _ = try await ledger.append([Self.imported(2, knownAt: SampleEvents.epoch.adding(seconds: 60))], to: "INC-1")
    }

    /// The writer checks again against the recordedAt it assigns, which comes from its own reading
    /// of the clock: a clock that went back between the two readings cannot let a source time
    /// later than recordedAt into the log.
    @Test func theWriterRefusesASourceTimeLaterThanTheRecordedAtItAssigns() async throws {
        let directory = TemporaryDirectory()
        let readings = Mutex(0)
        // Creating the ledger reads it first; the check before the writer (the second reading)
        // reads 09:10, the writer 09:00.
        let ledger = try Ledger.create(at: directory.path, clock: {
            let count = readings.withLock { count in count += 1; return count }
            return SampleEvents.epoch.adding(seconds: count == 2 ? 600 : 0)
        })
        await #expect {
            _ = try await ledger.append([Self.imported(1, knownAt: SampleEvents.epoch.adding(seconds: 300))], to: "INC-1")
        } throws: { error in
            let error = error as! LedgerError
            return error.code == .invalidInput && error.message.contains("sourceRecordedAt: 2026-03-14T09:05:00Z is in the future")
        }
        #expect(try ledger.read { try $0.eventCount() } == 0)
        #expect(try ledger.info().formatVersion == 1)
    }
}
