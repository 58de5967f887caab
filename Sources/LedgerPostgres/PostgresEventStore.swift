public import Foundation
public import LedgerModel
public import LedgerStore
public import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The ledger in a PostgreSQL database: the same records, hash chain and append semantics as the
/// LMDB ``Ledger``, shared by every process that opens the same database.
///
/// Every append transaction locks the one `chain_head` row first, so the appends of all processes
/// are serial: positions stay dense and the chain unbroken however many servers write. Within one
/// process, appends that arrive together share one transaction (``PostgresGroupCommitter``).
/// Commits are announced with `NOTIFY`, so a subscription in any process follows them at once.
///
/// A store holds a pool of connections; ``close()`` ends it (releasing the store also does, less
/// promptly).
public final class PostgresEventStore: EventStore, Sendable {
    /// How often a subscription that has caught up reads again when no notification came (a lost
    /// `LISTEN` connection, a notification missed while reconnecting).
    public static let subscriptionPollInterval: Duration = .seconds(1)

    public let postgres: PostgresLocation
    let client: PostgresClient
    let logger: Logger
    let writer: PostgresGroupCommitter
    /// Moved on by this process's commits and by every commit announced on the channel.
    let commits: CommitSignal
    /// The last position proved durable (by this process's commits and the announcements).
    let confirmed = ConfirmedHead()
    /// Moves on with each settings change announced, and each time the listener (re)connects (it
    /// may have missed some): a mirror reads the settings again only when it has moved.
    let settingsAnnounced = AnnouncementCount()
    /// How long one read may take once it has its connection (``AnswerDeadline``); tests shorten it.
    let readDeadline = Mutex(AnswerDeadline.standard)
    private let running: Task<Void, Never>
    private let listener: CommitListener

    public var location: String { postgres.description }

    private init(location: PostgresLocation, clock: @escaping @Sendable () -> Timestamp, logger: Logger) {
        postgres = location
        self.logger = logger
        let client = PostgresClient(configuration: location.configuration, backgroundLogger: logger)
        self.client = client
        // Started at once, so the pool is running before the first lease asks for a connection.
        running = Task.immediate { await client.run() }
        let commits = CommitSignal()
        self.commits = commits
        listener = CommitListener(client: client, commits: commits, confirmed: confirmed, settings: settingsAnnounced, logger: logger)
        writer = PostgresGroupCommitter(
            client: client, clock: clock, logger: logger, commits: commits, confirmed: confirmed, location: location)
    }

    deinit {
        listener.stop()
        running.cancel()
    }

    /// Makes the ledger's tables in an existing, empty database and opens it. A database that
    /// already holds a ledger is refused with ``LedgerError/Code/alreadyExists``.
    public static func create(
        url: String, clock: @escaping @Sendable () -> Timestamp = Timestamp.now,
        logger: Logger = Logger(label: "incident-ledger.postgres")
    ) async throws(LedgerError) -> PostgresEventStore {
        try await start(url: url, clock: clock, logger: logger, doing: "create the ledger's tables", PostgresSchema.create)
    }

    /// Opens the ledger in a database: refused with ``LedgerError/Code/ledgerNotFound`` when it has
    /// none, and with ``LedgerError/Code/unsupportedFormat`` when a newer build made it.
    public static func open(
        url: String, clock: @escaping @Sendable () -> Timestamp = Timestamp.now,
        logger: Logger = Logger(label: "incident-ledger.postgres")
    ) async throws(LedgerError) -> PostgresEventStore {
        try await start(url: url, clock: clock, logger: logger, doing: "open the ledger", PostgresSchema.check)
    }

    /// A store on the database `url` names, once `prepare` has run on one of its connections.
    private static func start(
        url: String, clock: @escaping @Sendable () -> Timestamp, logger: Logger, doing what: String,
        _ prepare: @escaping @Sendable (PostgresConnection, PostgresLocation, Logger) async throws -> Void
    ) async throws(LedgerError) -> PostgresEventStore {
        let location = try PostgresLocation(url: url)
        try await location.probe(logger: logger)
        let store = PostgresEventStore(location: location, clock: clock, logger: logger)
        do throws(LedgerError) {
            try await store.withConnection(doing: what) { connection, logger in try await prepare(connection, location, logger) }
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Closes the store's connections; later calls fail. Waits until the pool has shut down.
    public func close() async {
        listener.stop()
        running.cancel()
        await running.value
    }

    /// The commits this process has made and the appends they served (appends ÷ commits is the
    /// mean group size).
    public var commitTotals: CommitTotals { writer.totals }

    public func append(_ batch: [StreamAppend]) async throws(LedgerError) -> [AppendResult] {
        try StreamAppend.validate(batch, now: writer.clock())
        return try await writer.submit(batch)
    }

    public func head() async throws(LedgerError) -> LedgerHead {
        try await withConnection(doing: "read the chain head") { connection, logger in
            let rows = try await connection.send("SELECT position, hash, recorded_at FROM chain_head", logger: logger)
            guard let row = rows.first else {
                throw LedgerError(.corrupt, "the chain_head row is missing", detail: .damagedLog)
            }
            return try Self.head(from: row)
        }
    }

    public func events(from position: UInt64, limit: Int) async throws(LedgerError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try await records(
            "SELECT position, record FROM events WHERE position >= \(Int64(clamping: max(position, 1))) ORDER BY position LIMIT \(limit)")
    }

    public func events(inStream stream: String, fromVersion version: UInt64, limit: Int) async throws(LedgerError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try await records(
            "SELECT position, record FROM events WHERE stream = \(stream) AND version >= \(Int64(clamping: version)) ORDER BY version LIMIT \(limit)")
    }

    public func event(id: UUID) async throws(LedgerError) -> RecordedEvent? {
        try await records("SELECT position, record FROM events WHERE event_id = \(id)").first
    }

    public func version(ofStream stream: String) async throws(LedgerError) -> UInt64 {
        try await withConnection(doing: "read a stream's version") { connection, logger in
            let rows = try await connection.send("SELECT coalesce(max(version), 0) FROM events WHERE stream = \(stream)", logger: logger)
            return UInt64(try rows.first?.decode(Int64.self) ?? 0)
        }
    }

    public func subscribe(from position: UInt64) -> AsyncThrowingStream<RecordedEvent, any Error> {
        startListening()
        return SubscriptionCursor.stream(of: self, from: position, commits: commits, pollInterval: Self.subscriptionPollInterval)
    }

    /// Listens for the commits every process announces (``commits`` moves on with each), from now on.
    func startListening() {
        listener.start()
    }

    // MARK: - Reading

    /// The events the query's `(position, record)` rows hold, decoded by the shared record codec.
    func records(_ query: PostgresQuery) async throws(LedgerError) -> [RecordedEvent] {
        try await withConnection(doing: "read events") { connection, logger in
            try await connection.send(query, logger: logger).map { row in
                let (position, record) = try row.decode((Int64, ByteBuffer).self)
                return try Self.decode(record, at: UInt64(position))
            }
        }
    }

    /// Runs `body` on one of the pool's connections, its failures in the ledger's terms (`what` is
    /// what it does, for the message). The work is not cancelled with the calling task (as an LMDB
    /// read is not): a subscription cancelled mid-read still gets the page it read.
    ///
    /// The wait for a connection is the pool's own (it gives up on a server that refuses connections
    /// after about a minute), not the 10 s an append allows: bounded at 10 s, opening stores failed in
    /// a loaded CI run, where making a first connection took longer (notes of stop 27).
    ///
    /// Once it has its connection, `body` has ``readDeadline`` (``AnswerDeadline``) to finish: a
    /// database that stops answering ends it as `unavailable` instead of holding it for ever.
    func withConnection<Result: Sendable>(
        doing what: String, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result
    ) async throws(LedgerError) -> Result {
        let (client, logger) = (client, logger)
        let deadline = AnswerDeadline(readDeadline.withLock { $0 })
        do {
            return try await Task {
                try await client.withConnection { connection in try await deadline.guarding(connection) { try await body(connection, logger) } }
            }.value
        } catch {
            guard !deadline.hasPassed else { throw failure(AnswerDeadline.NoAnswer(limit: deadline.limit), doing: what) }
            throw failure(error, doing: what)
        }
    }

    /// A stored record, checked to be the one at `position`.
    static func decode(_ record: ByteBuffer, at position: UInt64) throws(LedgerError) -> RecordedEvent {
        let decoded = record.withUnsafeReadableBytes { bytes in Result { () throws(RecordCodec.DecodingError) in try RecordCodec.decode(bytes) } }
        switch decoded {
        case .success(let event) where event.position == position:
            return event
        case .success(let event):
            throw LedgerError(.corrupt, "the record at position \(position) says it is at position \(event.position)", detail: .damagedLog)
        case .failure(let reason):
            throw LedgerError(.corrupt, "the record at position \(position) is damaged: \(reason)", detail: .damagedLog)
        }
    }

    static func head(from row: PostgresRow) throws -> LedgerHead {
        let (position, hash, recordedAt) = try row.decode((Int64, ByteBuffer, Int64).self)
        guard position >= 0, hash.readableBytes == 32 else {
            throw LedgerError(.corrupt, "the chain_head row is damaged", detail: .damagedLog)
        }
        return LedgerHead(
            position: UInt64(position), hash: hash.withUnsafeReadableBytes { Hash256(bytes: $0) },
            recordedAt: Timestamp(microsecondsSinceEpoch: recordedAt))
    }

    /// Any failure of a call in the ledger's terms: a ledger error as it is, anything else a
    /// storage failure naming what was being done.
    func failure(_ error: any Error, doing what: String) -> LedgerError {
        if let error = error as? LedgerError { return error }
        var failure = LedgerError(Self.code(of: error), "could not \(what) in \(postgres): \(Self.describe(error))", ledgerPath: postgres.description)
        failure.cause = error
        return failure
    }

    /// The code of a failure that is not a refusal: `unavailable` when no answer came (the
    /// connection could not be made or was lost: a server down, unreachable, or failing over) or the
    /// server said it is shutting down, starting or cannot connect now (SQLSTATE classes 08 and 57);
    /// `storageFull` when the server's disk is full; `storage` for any other answer of the server.
    static func code(of error: any Error) -> LedgerError.Code {
        guard let state = (error as? PSQLError)?.serverInfo?[.sqlState] else { return .unavailable }
        if state.hasPrefix("08") || state.hasPrefix("57") { return .unavailable }
        return state == "53100" ? .storageFull : .storage
    }

    /// A PostgreSQL error as a short sentence: the server's own message when it sent one.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}
