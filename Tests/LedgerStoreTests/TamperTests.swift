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

/// Damage to LMDB's own pages (not to the records in them) is named by `verify`'s page-structure
/// check before LMDB follows a pointer, and no command dies by a signal (issue 12, item 6).
extension TamperTests {
    /// Every database a ledger keeps, the main one (which names them) and the free list.
    static let owners: [PageStructure.Owner] =
        [.main, .free] + ["log", "stream-index", "event-id-index", "meta", "projection-state", "projection-checkpoint", "merkle"].map { .database($0) }

    /// Page-structure damage: where in the page, which bits, and what it breaks. Offsets of 16 and
    /// up are in the first node's slot; the last is in the first node's key size.
    static let pageDamage: [(name: String, offset: Int, mask: UInt8)] = [
        ("page number", 0, 0x01), ("page flags", 10, 0x03), ("lower bound", 12, 0x01), ("upper bound", 15, 0x80),
        ("node offset", 17, 0x80), ("key size", -1, 0x80),
    ]

    @Test(arguments: owners, [DataFile.PageFlags.branch, DataFile.PageFlags.leaf])
    func aDamagedPageIsNamedByVerifyAndKillsNoCommand(owner: PageStructure.Owner, kind: UInt16) throws {
        let template = try DamageFixture.template()
        guard let page = try template.page(of: owner, flags: kind) else { return }  // too small to have one
        let name: String
        switch owner {
        case .database(let database): name = database
        case .main: name = "main"
        default: name = "free"
        }
        let original = try Data(contentsOf: URL(fileURLWithPath: template.ledger + "/data.mdb"))
        let start = Int(page) * template.map.pageSize
        let firstNode = Int(original[start + 16]) | Int(original[start + 17]) << 8
        for (damage, offset, mask) in Self.pageDamage {
            let parent = TemporaryDirectory()
            let at = start + (offset >= 0 ? offset : firstNode + 7)
            let ledger = try template.copy(in: parent) { try DamageFixture.flip($0, at: at, mask: mask) }
            let context = "\(damage) of page \(page) (database \(name))"
            #expect(throws: LedgerError.self, "\(context)") {
                do {
                    try Ledger.checkPageStructure(at: ledger)
                } catch let error as LedgerError where error.code == .corrupt && error.message.contains("page \(page) of database \(name)") {
                    throw error
                } catch {
                    Issue.record("\(context): \(error)")
                }
            }
            let verify = try DamageFixture.run(["verify"], ledger: ledger)
            #expect(verify.ending == .exited(1), "\(context): \(verify.ending) \(verify.stderr)")
            #expect(DamageFixture.isClearRefusal(verify) && verify.stderr.contains("database \(name)"), "\(context): \(verify.stderr)")
            for arguments in [["log"], ["list"]] {
                let outcome = try DamageFixture.run(arguments, ledger: ledger)
                if case .signalled(let signal) = outcome.ending { Issue.record("\(context): \(arguments) died by signal \(signal)") }
                if case .timedOut = outcome.ending { Issue.record("\(context): \(arguments) hung") }
            }
        }
    }
}
