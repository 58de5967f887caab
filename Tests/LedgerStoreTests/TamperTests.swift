import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import LedgerStore

/// A single changed byte in any stored event must be detected, and verify must name its position.
@Suite struct TamperTests {
    static let eventCount = 30

    static func makeLedger() async throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        for number in 1...eventCount {
            _ = try await ledger.append([SampleEvents.event(number)], to: "INC-\(number % 3)")
        }
        #expect(try ledger.verify().isIntact)
        return directory
    }

    /// Byte offsets inside a record: the format byte, position, stream version, event id, previous
    /// hash, occurredAt, recordedAt, schema version, actor kind, a string length, the stream id, and
    /// the payload's last byte (counted from the end).
    static let offsets = [0, 3, 12, 20, 40, 70, 78, 82, 83, 84, 87, -2]

    @Test(arguments: [1, 2, 15, 29, 30], offsets)
    func aFlippedByteIsFoundAtItsPosition(position: Int, offset: Int) async throws {
        let directory = try await Self.makeLedger()
        try RawLMDB.modify(directory.path, database: "log", key: RawLMDB.positionKey(UInt64(position))) { bytes in
            let index = offset >= 0 ? offset : bytes.count + offset
            bytes[index] ^= 0x01
        }
        let report = try Ledger.open(at: directory.path).verify()
        #expect(report.problem?.position == UInt64(position), "\(String(describing: report.problem))")
    }

    @Test func aRemovedRecordIsFound() async throws {
        let directory = try await Self.makeLedger()
        try RawLMDB.delete(directory.path, database: "log", key: RawLMDB.positionKey(12))
        let report = try Ledger.open(at: directory.path).verify()
        #expect(report.problem?.position == 12)
    }

    @Test func aTruncatedTailIsFound() async throws {
        let directory = try await Self.makeLedger()
        try RawLMDB.delete(directory.path, database: "log", key: RawLMDB.positionKey(30))
        let report = try Ledger.open(at: directory.path).verify()
        #expect(report.problem != nil)
        #expect(report.problem?.reason.contains("chain head") == true)
    }

    @Test func aDamagedIndexIsFound() async throws {
        let directory = try await Self.makeLedger()
        let id = SampleEvents.event(7).id
        try RawLMDB.modify(directory.path, database: "event-id-index", key: withUnsafeBytes(of: id.uuid) { Array($0) }) { bytes in
            bytes = RawLMDB.positionKey(8)
        }
        let report = try Ledger.open(at: directory.path).verify()
        #expect(report.problem?.position == 7)
        #expect(report.problem?.reason.contains("event-id index") == true)
    }
}
