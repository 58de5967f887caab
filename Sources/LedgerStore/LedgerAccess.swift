import CLMDB

#if canImport(Glibc)
import Glibc
#endif

/// How a ledger's files are open: for writing, or — when this user may not write them — for reading only.
public enum LedgerAccess: Sendable, Hashable {
    /// data.mdb and lock.mdb are writable: reads and writes.
    case readWrite
    /// data.mdb is not writable but lock.mdb is (`MDB_RDONLY`), or the ledger was opened read-only
    /// (also as a read-only view of a ledger this process has open for writing): reads take LMDB's
    /// reader lock as usual, so a writer in another process never reuses the pages a read is looking at.
    case readOnly
    /// Neither file is writable (`MDB_RDONLY | MDB_NOLOCK`): reads take no reader lock, so a writer
    /// working at the same time may reuse pages a read is looking at. Safe when nobody writes meanwhile.
    case readOnlyUnlocked

    var lmdbFlags: UInt32 {
        switch self {
        case .readWrite: 0
        case .readOnly: UInt32(MDB_RDONLY)
        case .readOnlyUnlocked: UInt32(MDB_RDONLY) | UInt32(MDB_NOLOCK)
        }
    }

    /// The access to try after `self` was refused by the system, or nil when none is left.
    ///
    /// liblmdb (0.9.24) opens lock.mdb read–write even with `MDB_RDONLY` and falls back to no locking
    /// only on a read-only file system (`EROFS`); a lock file this user may not write (`EACCES`)
    /// needs `MDB_NOLOCK`.
    func next(after code: Int32) -> LedgerAccess? {
        guard code == EACCES || code == EPERM || code == EROFS else { return nil }
        switch self {
        case .readWrite: return .readOnly
        case .readOnly: return code == EROFS ? nil : .readOnlyUnlocked
        case .readOnlyUnlocked: return nil
        }
    }
}

extension LedgerError {
    /// A write asked of a ledger that is open for reading only.
    public static func notWritable(_ path: String) -> LedgerError {
        LedgerError(
            .permissionDenied, "the ledger at \(path) is not accessible for writing by this user (its files are read-only to it); nothing was written",
            detail: .readOnlyFiles, ledgerPath: path)
    }
}
