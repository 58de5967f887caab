import CLMDB
@testable import LedgerStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Each LMDB return code a ledger call can meet is reported in the ledger's terms, and the same
/// way whichever call met it: damage as corrupt, a full disk as storage-full.
@Suite struct LMDBErrorMappingTests {
    static let expected: [(Int32, LedgerError.Code)] = [
        (MDB_CORRUPTED, .corrupt), (MDB_PAGE_NOTFOUND, .corrupt), (MDB_INVALID, .corrupt), (MDB_VERSION_MISMATCH, .corrupt),
        (MDB_INCOMPATIBLE, .corrupt), (MDB_BAD_TXN, .corrupt),
        (ENOSPC, .storageFull), (EFBIG, .storageFull), (EDQUOT, .storageFull), (EIO, .storage),
        (EACCES, .permissionDenied), (EROFS, .permissionDenied),
    ]

    @Test(arguments: expected.indices)
    func eachCodeMapsToItsKind(index: Int) throws {
        let (code, kind) = Self.expected[index]
        for operation in ["cursor", "read", "commit"] {
            let converted = try #require(LedgerError(converting: LMDBError(code: code, operation: operation)))
            #expect(converted.code == kind, "\(operation): \(converted.message)")
            #expect(!converted.message.contains("\n"))
        }
    }

    /// A failed read is reported as a failed read of that ledger, never as a write that wrote nothing;
    /// damage stays damage, reported the same way as for a write.
    @Test(arguments: expected.indices)
    func aFailedReadSaysTheReadFailed(index: Int) {
        let (code, _) = Self.expected[index]
        let error = LMDBError(code: code, operation: "read").readError(path: "/srv/ledger")
        #expect(error.ledgerPath == "/srv/ledger")
        #expect(!error.message.contains("write") && !error.message.contains("nothing was written"), "\(error.message)")
        if LMDBError(code: code, operation: "read").ledgerError.code == .corrupt {
            #expect(error.code == .corrupt)
        } else {
            #expect(error.message.contains("read") && error.message.contains("/srv/ledger"), "\(error.message)")
        }
    }

    /// Library errors are facts: no command, option or environment variable of the tool in them.
    @Test(arguments: expected.indices)
    func noMessageNamesTheTool(index: Int) {
        let (code, _) = Self.expected[index]
        let lmdb = LMDBError(code: code, operation: "commit")
        for message in [lmdb.ledgerError.message, lmdb.readError(path: "p").message, LedgerError.notWritable("p").message] {
            #expect(!message.contains("incidents") && !message.contains("--") && !message.contains("INCIDENTS_"), "\(message)")
        }
    }

    @Test func aLedgerErrorConvertsToItselfAndOtherErrorsToNothing() {
        #expect(LedgerError(converting: LedgerError(.duplicateEventID, "x"))?.code == .duplicateEventID)
        #expect(LedgerError(converting: CancellationError()) == nil)
    }
}
