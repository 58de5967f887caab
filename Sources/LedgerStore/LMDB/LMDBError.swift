import CLMDB

#if canImport(Glibc)
import Glibc
#endif

/// A return code from the LMDB C library (`mdb_strerror` gives its text).
struct LMDBError: Error, Sendable, CustomStringConvertible {
    var code: Int32
    /// What the ledger was doing when LMDB failed, for example `commit`.
    var operation: String

    /// `MDB_NOTFOUND`: no such key.
    static let notFound: Int32 = MDB_NOTFOUND
    /// `MDB_KEYEXIST`: a put with `MDB_NOOVERWRITE` found the key.
    static let keyExists: Int32 = MDB_KEYEXIST
    /// `MDB_MAP_FULL`: the memory map is full; grow it and retry.
    static let mapFull: Int32 = MDB_MAP_FULL
    /// `MDB_MAP_RESIZED`: another process grew the map; adopt its size and retry.
    static let mapResized: Int32 = MDB_MAP_RESIZED
    /// `MDB_TXN_FULL`: the transaction has too many dirty pages.
    static let transactionFull: Int32 = MDB_TXN_FULL

    var description: String {
        "\(operation): \(String(cString: mdb_strerror(code)))"
    }

    /// The ledger-level error a caller sees for this failure of a write (or of an unknown operation).
    var ledgerError: LedgerError {
        switch code {
        case ENOSPC, EFBIG, EDQUOT:
            LedgerError(.storageFull, "the disk is full (\(description)); nothing was written — free space and try again", cause: self)
        case EIO:
            LedgerError(.storage, "an I/O error stopped the write (\(description)) — the disk may be full or failing; nothing was written — check free space and the system log, then try again", cause: self)
        case EACCES, EPERM, EROFS:
            LedgerError(.permissionDenied, "permission denied (\(description)); nothing was written", cause: self)
        case MDB_INVALID, MDB_VERSION_MISMATCH:
            // The meta pages do not say "LMDB" or name another data version: a damaged data.mdb (a
            // ledger's directory never holds another program's file by that name).
            LedgerError(.corrupt, "data.mdb is damaged: it is not an LMDB file this build can read (\(description)) — restore the ledger from a backup", cause: self)
        // MDB_BAD_TXN: the transaction was poisoned by an earlier failure that LMDB itself swallowed
        // (a cursor's setup follows a named database's root and ignores MDB_PAGE_NOTFOUND), so the
        // next call reports the transaction, not the missing page. Only damage leads there.
        case MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INCOMPATIBLE, MDB_BAD_TXN:
            LedgerError(.corrupt, "the ledger's files are damaged (\(description))", detail: .damagedFiles, cause: self)
        default:
            LedgerError(.storage, "storage failure (\(description)); nothing was written", cause: self)
        }
    }

    /// The ledger-level error for this failure of a read of the ledger at `path`: what failed is
    /// the read, and nothing was being written.
    func readError(path: String) -> LedgerError {
        var error: LedgerError
        switch code {
        case EIO:
            error = LedgerError(.storage, "an I/O error stopped a read of the ledger at \(path) (\(description)) — the disk may be failing", cause: self)
        case EACCES, EPERM:
            error = LedgerError(.permissionDenied, "permission denied reading the ledger at \(path) (\(description))", cause: self)
        case ENOSPC, EFBIG, EDQUOT, EROFS:
            error = LedgerError(.storage, "a read of the ledger at \(path) failed (\(description))", cause: self)
        default:
            error = ledgerError
            if error.code == .storage || error.code == .storageFull {
                error = LedgerError(.storage, "a read of the ledger at \(path) failed (\(description))", cause: self)
            }
        }
        error.ledgerPath = path
        return error
    }
}

/// Throws an ``LMDBError`` for a non-zero LMDB return code.
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    guard code == 0 else { throw LMDBError(code: code, operation: operation()) }
}
