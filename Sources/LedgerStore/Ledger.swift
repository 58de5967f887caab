import CLMDB
import Dispatch
public import LedgerModel
public import Logging
public import Foundation
import Synchronization

/// An IncidentLedger ledger: one append-only, hash-chained event log in an LMDB environment.
///
/// Appends go through a single group-committing writer and return once durably committed. Reads
/// run in snapshot transactions and never block appends. Several processes may open the same
/// ledger at once; LMDB's file locks keep them correct. Within one process there is one `Ledger`
/// per ledger directory, shared by everyone in it (see ``open(at:readOnly:clock:logger:)``).
///
/// It is the LMDB implementation of ``EventStore`` and ``ProjectionStore``, whose async methods run
/// on the ledger's own threads; the synchronous ``read(_:)`` serves the projection engine and
/// verification on the caller's thread.
public final class Ledger: Sendable {
    /// The name of the default ledger directory, created in the current folder.
    public static let defaultDirectoryName = "incident-ledger"
    /// The newest on-disk format this build writes and reads. A ledger with a higher number was
    /// made by a newer build and is refused rather than misread.
    ///
    /// Format 1 holds records of format 1 only; a ledger becomes format 2 when the first record of
    /// format 2 (an event with `sourceRecordedAt`) is written, so that older builds refuse it
    /// instead of taking that record for damage.
    public static let formatVersion: UInt32 = 2
    /// The format of a new ledger.
    static let initialFormatVersion: UInt32 = 1

    /// The ledger's directory.
    public let path: String
    /// Whether the ledger can be written, or only read (its files are read-only to this user, or it
    /// was opened read-only).
    public let access: LedgerAccess
    /// Whether appends, projection commits and signing may write to the ledger.
    public var isWritable: Bool { access == .readWrite }
    /// For a mirror, the shared log it copies (see ``LedgerUpstream``); nil for a ledger of its own.
    /// A mirror's appends go to that log, never into the mirror directly.
    public let mirrorOf: String?
    /// Where a mirror's writes go while the process follows the shared log.
    let upstream: UpstreamSlot
    let environment: Environment
    private let writer: GroupCommitter
    private let clock: @Sendable () -> Timestamp
    /// Moved on by every commit of this process's writer: what subscriptions wait for.
    package let commits: CommitSignal
    /// The threads the async surface reads (and commits projections) on, so that no transaction
    /// runs on, or blocks, a task's thread.
    let workQueue: DispatchQueue
    /// For a read-only view: the shared ledger it shows, kept open while the view is held.
    private let shared: Ledger?

    private init(path: String, environment: Environment, mirrorOf: String?, clock: @escaping @Sendable () -> Timestamp, logger: Logger) {
        self.path = path
        self.environment = environment
        self.access = environment.access
        self.mirrorOf = mirrorOf
        self.upstream = UpstreamSlot()
        self.clock = clock
        self.commits = CommitSignal()
        self.workQueue = DispatchQueue(label: "incident-ledger.store", attributes: .concurrent)
        self.writer = GroupCommitter(environment: environment, clock: clock, logger: logger, commits: commits)
        self.shared = nil
    }

    /// The commits this process has made to the ledger and the appends they served, for a server's metrics.
    public var commitTotals: CommitTotals { writer.totals }

    /// A view of `shared` that only reads: the same environment, threads and commit signal, and
    /// every write refused.
    private init(readOnlyViewOf shared: Ledger) {
        path = shared.path
        environment = shared.environment
        access = .readOnly
        mirrorOf = shared.mirrorOf
        upstream = shared.upstream
        clock = shared.clock
        commits = shared.commits
        workQueue = shared.workQueue
        writer = shared.writer
        self.shared = shared
    }

    /// A view of this ledger that refuses every write, for a read-only open of a ledger open for writing.
    func readOnlyView() -> Ledger {
        isWritable ? Ledger(readOnlyViewOf: self) : self
    }

    /// Creates a new, empty ledger in the directory `path` (made if missing), and registers it as
    /// the process's one store for that directory (see ``open(at:readOnly:clock:logger:)``).
    ///
    /// - Parameters:
    ///   - clock: where `recordedAt` times come from; pass a fixed clock for repeatable tests.
    ///   - mirrorOf: makes the ledger a mirror of this shared log (see ``LedgerUpstream``): it is
    ///     never appended to except by copying that log.
    public static func create(
        at path: String, mirrorOf: String? = nil, clock: @escaping @Sendable () -> Timestamp = { .now() },
        logger: Logger = Logger(label: "incident-ledger")
    ) throws(LedgerError) -> Ledger {
        try OpenLedgers.shared.create(at: path) { () throws(LedgerError) in try makeNew(at: path, mirrorOf: mirrorOf, clock: clock, logger: logger) }
    }

    private static func makeNew(
        at path: String, mirrorOf: String?, clock: @escaping @Sendable () -> Timestamp, logger: Logger
    ) throws(LedgerError) -> Ledger {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw LedgerError(.notALedger, "\(path) is a file; a ledger is a directory — choose another path")
            }
            if files.fileExists(atPath: path + "/data.mdb") {
                throw LedgerError(.alreadyExists, "a ledger already exists at \(path); nothing was changed")
            }
        } else {
            do {
                try files.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw LedgerError(.permissionDenied, "cannot create the directory \(path): \(Self.reason(error)) — choose a writable location")
            }
        }
        let environment: Environment
        do {
            environment = try Environment.open(path: path, create: true, logger: logger)
            try environment.write(expectedBytes: 4096) { txn in
                let meta = environment.databases.meta
                try txn.put(meta, Keys.Meta.formatVersion, withUnsafeBytes(of: initialFormatVersion.bigEndian) { Array($0) })
                try txn.put(meta, Keys.Meta.ledgerID, withUnsafeBytes(of: UUID().uuid) { Array($0) })
                try txn.put(meta, Keys.Meta.createdAt, withUnsafeBytes(of: clock().microsecondsSinceEpoch.bigEndian) { Array($0) })
                if let mirrorOf { try txn.put(meta, Keys.Meta.mirrorOf, Array(mirrorOf.utf8)) }
            }
        } catch {
            throw Self.openError(error, path: path)
        }
        return Ledger(path: path, environment: environment, mirrorOf: mirrorOf, clock: clock, logger: logger)
    }

    /// Opens the existing ledger in the directory `path`, or returns the one this process already
    /// has open there.
    ///
    /// LMDB forbids opening one environment twice in a process, so there is one `Ledger` per
    /// directory (compared by its resolved real path), shared by every task and caller of the
    /// process; it is closed when the last of them lets it go, and can then be opened again. An open
    /// of a directory already open returns the open ledger as it is, with the first opener's clock
    /// and logger. A `readOnly` open of a ledger open for writing returns a read-only view of it:
    /// the same environment, threads and snapshots, with every write refused (``access`` is
    /// ``LedgerAccess/readOnly``). An open for writing of a ledger this process opened read-only
    /// returns that read-only ledger: it cannot be opened twice, so its writes fail until it is
    /// released.
    ///
    /// When this user may not write the ledger's files, the ledger is opened for reading only
    /// (``access`` says how) and nothing is ever written to it; a write then fails with
    /// ``LedgerError/Code/permissionDenied``. `readOnly` opens it so even when it could be written.
    public static func open(
        at path: String, readOnly: Bool = false, clock: @escaping @Sendable () -> Timestamp = { .now() },
        logger: Logger = Logger(label: "incident-ledger")
    ) throws(LedgerError) -> Ledger {
        try OpenLedgers.shared.open(at: path, readOnly: readOnly) { () throws(LedgerError) in
            try openExisting(at: path, readOnly: readOnly, clock: clock, logger: logger)
        }
    }

    private static func openExisting(
        at path: String, readOnly: Bool, clock: @escaping @Sendable () -> Timestamp, logger: Logger
    ) throws(LedgerError) -> Ledger {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LedgerError(.ledgerNotFound, "no ledger at \(path)", detail: .noDirectory, ledgerPath: path)
        }
        guard isDirectory.boolValue else {
            throw LedgerError(.notALedger, "\(path) is a file, not a ledger directory — name the directory that holds data.mdb")
        }
        guard files.fileExists(atPath: path + "/data.mdb") else {
            throw LedgerError(.ledgerNotFound, "\(path) holds no ledger (no data.mdb)", detail: .noDataFile, ledgerPath: path)
        }
        // Before LMDB maps the file: a truncated file or a damaged meta page would fault in the map.
        _ = try DataFile.checkHeader(inDirectory: path)
        let environment: Environment
        let format: UInt32
        let mirrorOf: String?
        do {
            environment = try openEnvironment(path: path, from: readOnly ? .readOnly : .readWrite, logger: logger)
            (format, mirrorOf) = try environment.read { txn in
                let meta = environment.databases.meta
                let mirrorOf = try Keys.Meta.mirrorOf.withUnsafeBytes({ try txn.get(meta, $0) }).map { String(decoding: $0, as: UTF8.self) }
                guard let bytes = try Keys.Meta.formatVersion.withUnsafeBytes({ try txn.get(meta, $0) }), bytes.count == 4 else { return (0, mirrorOf) }
                return (UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self)), mirrorOf)
            }
        } catch {
            throw Self.openError(error, path: path)
        }
        guard format != 0 else {
            throw LedgerError(.notALedger, "\(path) is an LMDB environment but not an IncidentLedger ledger (it has no format version)")
        }
        guard format <= formatVersion else {
            throw LedgerError(.unsupportedFormat, "the ledger at \(path) has format \(format), newer than this build reads (\(formatVersion))", ledgerPath: path)
        }
        let ledger = Ledger(path: path, environment: environment, mirrorOf: mirrorOf, clock: clock, logger: logger)
        do {
            if ledger.isWritable { try ledger.bringMerkleTreeUpToDate() }
        } catch {
            // A damaged log cannot be added to the tree; open anyway so that `verify` can say where.
            logger.warning("cannot bring the Merkle tree up to date", metadata: ["reason": "\(error.message)"])
        }
        return ledger
    }

    /// Opens for writing, or, when the system refuses that, read-only, and then read-only without locks.
    private static func openEnvironment(path: String, from first: LedgerAccess, logger: Logger) throws(LMDBError) -> Environment {
        var access = first
        while true {
            do {
                return try Environment.open(path: path, create: false, access: access, logger: logger)
            } catch {
                guard let next = access.next(after: error.code) else { throw error }
                logger.debug("cannot open the ledger this way; trying another", metadata: ["path": "\(path)", "refused": "\(error)"])
                access = next
            }
        }
    }

    private static func openError(_ error: any Error, path: String) -> LedgerError {
        switch error {
        case let error as LedgerError: return error
        case let error as LMDBError where error.code == LMDBError.notFound:
            return LedgerError(.notALedger, "\(path) is an LMDB environment but not an IncidentLedger ledger", cause: error)
        case let error as LMDBError:
            var converted = error.ledgerError
            converted.message = "cannot open the ledger at \(path): \(converted.message)"
            return converted
        default:
            return LedgerError(.storage, "cannot open the ledger at \(path): \(error)")
        }
    }

    private static func reason(_ error: any Error) -> String {
        (SystemFailure(error) ?? SystemFailure(errno: 0)).reason
    }

    // MARK: Appending

    /// Appends events to one stream and returns once they are durably committed.
    ///
    /// All events are appended, or none. If the first event's id is already recorded, the call is
    /// taken as a retry: when the same events stand at that place, it succeeds without writing and
    /// returns their original positions; otherwise it fails with ``LedgerError/Code/duplicateEventID``.
    public func append(
        _ events: [ProposedEvent], to stream: String, expecting expectedVersion: ExpectedVersion = .any
    ) async throws(LedgerError) -> AppendResult {
        try await append([StreamAppend(stream: stream, expectedVersion: expectedVersion, events: events)])[0]
    }

    /// Appends to several streams in one atomic batch: every event is appended, or none.
    public func append(_ batch: [StreamAppend]) async throws(LedgerError) -> [AppendResult] {
        // No event may say its source recorded it after now: the writer's recordedAt is not earlier.
        try StreamAppend.validate(batch, now: clock())
        guard isWritable else { throw LedgerError.notWritable(path) }
        if mirrorOf != nil { return try await upstreamForWriting().append(batch) }
        return try await writer.submit(batch)
    }

    // MARK: Reading

    /// Runs `body` with a consistent snapshot of the ledger. Appends made meanwhile are not seen.
    /// The reader must not escape `body`.
    public func read<Result>(_ body: (borrowing LedgerReader) throws -> Result) throws -> Result {
        do {
            return try environment.read { txn in
                try body(LedgerReader(txn: Transaction(handle: txn.handle), databases: environment.databases))
            }
        } catch let error as LMDBError {
            throw error.readError(path: path)
        }
    }

    /// Counts, sizes and the chain head.
    public func info() throws -> LedgerInfo {
        let map = try environment.mapInfo()
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int) ?? 0
        return try read { reader in
            LedgerInfo(
                path: path, formatVersion: try reader.formatVersion() ?? Self.initialFormatVersion, ledgerID: try reader.ledgerID(),
                createdAt: try reader.createdAt(), eventCount: try reader.eventCount(), head: try reader.head(),
                fileBytes: fileBytes, mapBytes: map.mapSize, usedBytes: map.usedBytes)
        }
    }
}

/// What `incidents info` reports.
public struct LedgerInfo: Sendable {
    public var path: String
    public var formatVersion: UInt32
    public var ledgerID: UUID?
    public var createdAt: Timestamp?
    public var eventCount: Int
    public var head: LedgerHead
    /// The size of data.mdb on disk.
    public var fileBytes: Int
    /// The size of the memory map (the most the file can grow to before the map grows).
    public var mapBytes: Int
    /// The bytes of the map in use (pages up to the last one written).
    public var usedBytes: Int
}
