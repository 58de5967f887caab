import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The ledgers this process has open, one per directory: LMDB forbids opening one environment
/// twice in a process (closing either copy drops the other's file locks), so every open of a
/// directory already open returns the open ``Ledger``.
///
/// Entries are weak: a ledger nobody holds any more closes, and the next open opens it afresh —
/// after its environment has really closed, which may be a moment later than the ledger's release
/// (a writer's queue may still hold it).
final class OpenLedgers: Sendable {
    static let shared = OpenLedgers()

    private struct Entry {
        weak var ledger: Ledger?
    }

    /// Ledgers by the real path of their directory.
    private let ledgers = Mutex<[String: Entry]>([:])
    /// The real paths of the LMDB environments still open, released ledgers' included.
    private let environments = Mutex<Set<String>>([])

    /// The open ledger at `path` (a read-only view of it for `readOnly`), else the one `open` opens.
    func open(at path: String, readOnly: Bool, _ open: () throws(LedgerError) -> Ledger) throws(LedgerError) -> Ledger {
        try ledgers.withLock { (ledgers) throws(LedgerError) -> Ledger in
            if let key = Self.realPath(path), let ledger = ledgers[key]?.ledger { return readOnly ? ledger.readOnlyView() : ledger }
            return try register(open(), in: &ledgers)
        }
    }

    /// The new ledger `create` makes at `path` (which fails when a ledger is there, open or not).
    func create(at path: String, _ create: () throws(LedgerError) -> Ledger) throws(LedgerError) -> Ledger {
        try ledgers.withLock { (ledgers) throws(LedgerError) -> Ledger in try register(create(), in: &ledgers) }
    }

    private func register(_ ledger: Ledger, in ledgers: inout [String: Entry]) -> Ledger {
        ledgers[ledger.environment.realPath] = Entry(ledger: ledger)
        ledgers = ledgers.filter { $0.value.ledger != nil }
        return ledger
    }

    /// Called by an environment about to open at `realPath`: waits (up to ten seconds) until an
    /// environment of a released ledger there has closed.
    func environmentWillOpen(_ realPath: String) {
        for _ in 0..<10_000 {
            let free = environments.withLock { open in open.insert(realPath).inserted }
            if free { return }
            usleep(1000)
        }
        // Still open: a ledger leaked by its holder. Opening again is what LMDB warns against, but
        // refusing would leave the directory unusable for the rest of the process.
    }

    /// Called by an environment once it has closed.
    func environmentDidClose(_ realPath: String) {
        _ = environments.withLock { $0.remove(realPath) }
    }

    /// The canonical absolute path of `path` (symbolic links resolved), or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
