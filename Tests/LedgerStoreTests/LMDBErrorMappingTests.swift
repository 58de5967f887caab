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

    @Test func aLedgerErrorConvertsToItselfAndOtherErrorsToNothing() {
        #expect(LedgerError(converting: LedgerError(.duplicateEventID, "x"))?.code == .duplicateEventID)
        #expect(LedgerError(converting: CancellationError()) == nil)
    }
}
