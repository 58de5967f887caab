import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import LedgerStore

/// Paths that are not ledgers get one clear error and are left exactly as they were.
@Suite struct BadLedgerTests {
    @Test func aMissingPathIsNotFound() {
        let directory = TemporaryDirectory()
        #expect { _ = try Ledger.open(at: directory.file("nothing-here")) } throws: { error in
            let error = error as? LedgerError
            return error?.code == .ledgerNotFound && error?.message.contains("incidents init") == true
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("nothing-here")))
    }

    @Test func anEmptyDirectoryIsNotFoundAndStaysEmpty() throws {
        let directory = TemporaryDirectory()
        #expect { _ = try Ledger.open(at: directory.path) } throws: { ($0 as? LedgerError)?.code == .ledgerNotFound }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func aFileIsNotALedger() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("notes.txt")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: file))
        #expect { _ = try Ledger.open(at: file) } throws: { ($0 as? LedgerError)?.code == .notALedger }
        #expect { _ = try Ledger.create(at: file) } throws: { ($0 as? LedgerError)?.code == .notALedger }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "hello")
    }

    /// LMDB says MDB_INVALID: data.mdb's meta pages are not LMDB's, which in a ledger's directory is damage.
    @Test func garbageInDataFileIsDamage() throws {
        let directory = TemporaryDirectory()
        let garbage = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: URL(fileURLWithPath: directory.file("data.mdb")))
        #expect { _ = try Ledger.open(at: directory.path) } throws: { ($0 as? LedgerError)?.code == .corrupt }
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.file("data.mdb"))) == garbage)
    }

    @Test func anotherLMDBEnvironmentIsNotALedger() throws {
        let directory = TemporaryDirectory()
        try RawLMDB.withDatabase(directory.path, nil) { _, _ in }
        #expect { _ = try Ledger.open(at: directory.path) } throws: { ($0 as? LedgerError)?.code == .notALedger }
    }

    @Test func aLedgerFromANewerFormatIsRefusedUntouched() async throws {
        let directory = TemporaryDirectory()
        do {
            let ledger = try Ledger.create(at: directory.path)
            _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        }
        try RawLMDB.modify(directory.path, database: "meta", key: Array("format-version".utf8)) { bytes in
            bytes = withUnsafeBytes(of: UInt32(99).bigEndian) { Array($0) }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.file("data.mdb")))
        #expect { _ = try Ledger.open(at: directory.path) } throws: { error in
            let error = error as? LedgerError
            return error?.code == .unsupportedFormat && error?.message.contains("format 99") == true
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.file("data.mdb"))) == before)
    }

    @Test func creatingOverAnExistingLedgerChangesNothing() async throws {
        let directory = TemporaryDirectory()
        do {
            let ledger = try Ledger.create(at: directory.path)
            _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        }
        #expect { _ = try Ledger.create(at: directory.path) } throws: { ($0 as? LedgerError)?.code == .alreadyExists }
        #expect(try Ledger.open(at: directory.path).read { try $0.eventCount() } == 1)
    }

    @Test func anUnwritableLocationIsRefused() {
        #expect { _ = try Ledger.create(at: "/proc/incident-ledger-test") } throws: { ($0 as? LedgerError)?.code == .permissionDenied }
    }
}
