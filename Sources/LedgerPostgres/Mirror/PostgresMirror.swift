import Foundation
import LedgerModel
public import LedgerStore
public import Logging
import Synchronization

/// A ledger in PostgreSQL as the processes above the store use it: a local LMDB mirror that
/// follows the database, through which everything reads, with every write sent to the database.
///
/// The database is the log of record, shared by every server. Each process keeps a mirror (an LMDB
/// ledger in a directory of its own, ``Ledger/mirrorOf``) that copies the database's records
/// verbatim — positions, hashes and all — checking that each links to the one before, and its
/// settings. The mirror follows commits as `NOTIFY` announces them (with a poll behind), so the
/// live tails of every server follow commits made by any of them. An append goes to the database
/// and returns once the mirror holds it, so a writer reads its own writes; the rules, projections,
/// reports, audit exports, server and pages run unchanged on the mirror's `Ledger`. Projections are
/// functions of the log, so every server's agree at the same head.
///
/// A mirror that holds records the database does not (the database lost commits, or is another
/// ledger) is refused when opened; a mirror that cannot keep up (the database is unreachable, as
/// during a failover) keeps trying, and appends wait for it or fail.
public final class PostgresMirror: LedgerUpstream, Sendable {
    /// How many records one copy reads and writes.
    static let pageSize = 2_000
    /// How long an append waits for the mirror to copy what it committed before returning anyway.
    static let mirrorWait: Duration = .seconds(30)

    /// The database, the log of record.
    public let store: PostgresEventStore
    /// The local mirror everything reads; its appends and settings go to ``store``.
    public let ledger: Ledger
    private let logger: Logger
    private let follower = Mutex<Task<Void, Never>?>(nil)
    /// Why the last copy failed, until one succeeds; a divergence stays for good.
    private let failure = Mutex<LedgerError?>(nil)
    /// The version of the settings last copied.
    private let settingsCopied = Mutex<Int64?>(nil)

    public var location: String { store.location }

    private init(store: PostgresEventStore, ledger: Ledger, logger: Logger) {
        self.store = store
        self.ledger = ledger
        self.logger = logger
    }

    /// The directory a mirror of `url`'s database is kept in when none is named:
    /// `$XDG_CACHE_HOME/incident-ledger/mirrors/HOST-PORT-DATABASE` (`~/.cache` without it).
    public static func defaultDirectory(for url: String) throws(LedgerError) -> String {
        let location = try PostgresLocation(url: url)
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()) + "/.cache"
        let name = "\(location.host)-\(location.port)-\(location.database)".map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }
        return "\(cache)/incident-ledger/mirrors/\(String(name))"
    }

    /// Opens the ledger in the database `url` names and its mirror in `directory` (made when
    /// missing), copies what the mirror lacks, and follows the database until ``close()``.
    ///
    /// Returns once the mirror holds every record the database held when called. A mirror with
    /// records the database lacks or holds otherwise is refused with ``LedgerError/Code/corrupt``
    /// (detail ``LedgerError/Detail/mirrorDiverged``): remove the directory, it is copied anew.
    public static func open(
        url: String, mirrorDirectory directory: String, logger: Logger = Logger(label: "incident-ledger.mirror")
    ) async throws(LedgerError) -> PostgresMirror {
        let store = try await PostgresEventStore.open(url: url, logger: logger)
        do throws(LedgerError) {
            let ledger: Ledger
            do throws(LedgerError) {
                ledger = try Ledger.open(at: directory, logger: logger)
            } catch where error.code == .ledgerNotFound {
                ledger = try Ledger.create(at: directory, mirrorOf: store.location, logger: logger)
            }
            guard ledger.mirrorOf != nil else {
                throw LedgerError(
                    .invalidInput,
                    "\(directory) holds a ledger of its own, not a mirror of a database: name another directory for the mirror (a ledger directory is moved into the database with `incidents migrate`)",
                    ledgerPath: directory)
            }
            guard ledger.isWritable else { throw LedgerError.notWritable(directory) }
            let mirror = PostgresMirror(store: store, ledger: ledger, logger: logger)
            try await mirror.checkFollows()
            try await mirror.catchUp(to: try await store.head().position)
            try await mirror.copySettings()
            ledger.attach(upstream: mirror)
            mirror.startFollowing()
            return mirror
        } catch {
            await store.close()
            throw error
        }
    }

    /// Stops following and closes the database's connections; the mirror's writes are refused after.
    public func close() async {
        ledger.attach(upstream: nil)
        let task = follower.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
        await store.close()
    }

    // MARK: - Writes

    public func append(_ batch: [StreamAppend]) async throws(LedgerError) -> [AppendResult] {
        if let failure = failure.withLock({ $0 }), failure.detail == .mirrorDiverged { throw failure }
        do throws(LedgerError) {
            let results = try await store.append(batch)
            await waitUntilMirrored(results.map(\.positions.upperBound).max() ?? 0)
            return results
        } catch where error.code == .wrongExpectedVersion {
            // The mirror the rules were checked on may be behind the database: let it catch up, so
            // that a retry reads the incident as it stands.
            if let head = try? await store.head() { await waitUntilMirrored(head.position, within: .seconds(2)) }
            throw error
        }
    }

    public func setSetting(_ key: String, _ value: [UInt8]?) async throws(LedgerError) {
        try await store.setSetting(key, value)
    }

    /// Returns once the mirror holds `position`, or after `limit` (logged: the write is committed in
    /// the database all the same, and the mirror will copy it when it can).
    func waitUntilMirrored(_ position: UInt64, within limit: Duration = mirrorWait) async {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let generation = ledger.commits.generation
            if let head = try? localHead(), head.position >= position { return }
            await ledger.commits.wait(after: generation, timeout: .milliseconds(200))
        }
        logger.warning("the mirror has not copied a committed append yet", metadata: ["position": "\(position)", "mirror": "\(ledger.path)"])
    }

    // MARK: - Following

    /// The mirror's chain head.
    private func localHead() throws(LedgerError) -> LedgerHead {
        do {
            return try ledger.read { try $0.head() }
        } catch {
            throw LedgerError(converting: error) ?? LedgerError(.storage, "cannot read the mirror at \(ledger.path): \(error)", ledgerPath: ledger.path)
        }
    }

    /// Refuses a mirror whose head the database does not hold, byte for byte.
    func checkFollows() async throws(LedgerError) {
        let head = try localHead()
        guard head.position > 0 else { return }
        let held = try await store.events(from: head.position, limit: 1).first
        guard let held, held.position == head.position else {
            let databaseHead = try await store.head()
            throw LedgerError(
                .corrupt,
                "the mirror at \(ledger.path) holds \(head.position) events, but \(store.location) only \(databaseHead.position): the database lost commits (a failover to a standby that was not synchronous?) or is another ledger — nothing was changed; if the database is the one to trust, remove \(ledger.path) and it is copied anew",
                detail: .mirrorDiverged, ledgerPath: ledger.path)
        }
        guard Hash256.sha256(RecordCodec.encode(held)) == head.hash else {
            throw LedgerError(
                .corrupt,
                "the mirror at \(ledger.path) and \(store.location) hold different records at position \(head.position): the database is another ledger, or one of them was altered — nothing was changed; run `incidents verify` on both",
                detail: .mirrorDiverged, ledgerPath: ledger.path)
        }
    }

    /// Copies pages until the mirror holds `position` (or the database has no more).
    func catchUp(to position: UInt64) async throws(LedgerError) {
        while try await copyPage() > 0, try localHead().position < position {}
    }

    /// Copies the next page of records the mirror lacks, up to `limit` (a position); returns how many.
    private func copyPage(upTo limit: UInt64 = .max) async throws(LedgerError) -> Int {
        let head = try localHead()
        guard limit > head.position else { return 0 }
        let events = try await store.events(from: head.position + 1, limit: Int(min(UInt64(Self.pageSize), limit - head.position)))
        guard !events.isEmpty else { return 0 }
        _ = try await ledger.replicate(events)
        return events.count
    }

    /// Reads the settings and copies them when their version moved on since the last copy.
    private func copySettings() async throws(LedgerError) {
        let (version, all) = try await store.settings()
        guard settingsCopied.withLock({ $0 }) != version else { return }
        try ledger.replaceSettings(with: all)
        settingsCopied.withLock { $0 = version }
    }

    /// Follows the database: copies whenever a commit is announced (or a poll finds one), until closed.
    private func startFollowing() {
        store.startListening()
        let task = Task { [self] in
            // The settings were copied when the mirror opened; the listener announces each change
            // since (and counts one on connecting, for what it may have missed).
            var settingsSeen: UInt64 = 0
            while !Task.isCancelled {
                let generation = store.commits.generation
                do throws(LedgerError) {
                    // Only what is proved durable: never a commit its standby may not have.
                    if try await copyPage(upTo: store.confirmed.value) > 0 { continue }
                    let announced = store.settingsAnnounced.value
                    if announced != settingsSeen {
                        try await copySettings()
                        settingsSeen = announced
                    }
                    failure.withLock { $0 = nil }
                } catch {
                    failure.withLock { $0 = error }
                    logger.error("the mirror cannot follow the database", metadata: ["mirror": "\(ledger.path)", "error": "\(error.message)"])
                    // A divergence will not mend itself; a lost database may come back (a failover).
                    if error.detail == .mirrorDiverged { return }
                }
                await store.commits.wait(after: generation, timeout: PostgresEventStore.subscriptionPollInterval)
            }
        }
        follower.withLock { $0 = task }
    }
}
