public import IncidentEvents
public import IncidentProjections
public import LedgerModel
public import LedgerStore

/// Every use case of IncidentLedger, once, for every entry point: the command-line tool and the
/// server are thin adapters that parse their input, call one of these and present the answer.
///
/// Writes (recording, imports, `append`) check the catalog's rules, append, and then catch the stored
/// projections up durably. Reads never commit anything: they answer from a snapshot, folding in
/// memory whatever a stored projection lacks (see ``ProjectionRunner/CatchUps``).
public struct LedgerService: Sendable {
    /// The store every use case works on.
    public let ledger: Ledger
    /// Where the envelope's defaults come from: the clock, new event ids, who records.
    public let defaults: RecordingDefaults
    /// How far in the future an event may say it happened, in seconds.
    public let maximumFutureSkewSeconds: Int64
    /// Receives one line a person should read: a damaged projection rebuilt, a catch-up kept in
    /// memory because the ledger cannot be written.
    public let notice: @Sendable (String) -> Void
    /// The catch-ups after writes, shared by the writes waiting at once.
    let catchUps: CatchUpGroup
    /// The policy in force, decoded once per version of the playbook stream and shared by every
    /// service acting on this one's behalf (``acting(as:)``).
    let policies: PolicyCache

    public init(
        ledger: Ledger, defaults: RecordingDefaults = .system,
        maximumFutureSkewSeconds: Int64 = IncidentRules.defaultMaximumFutureSkewSeconds,
        notice: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.init(ledger: ledger, defaults: defaults, maximumFutureSkewSeconds: maximumFutureSkewSeconds, notice: notice, catchUps: CatchUpGroup(), policies: PolicyCache())
    }

    private init(
        ledger: Ledger, defaults: RecordingDefaults, maximumFutureSkewSeconds: Int64, notice: @escaping @Sendable (String) -> Void, catchUps: CatchUpGroup,
        policies: PolicyCache
    ) {
        self.ledger = ledger
        self.defaults = defaults
        self.maximumFutureSkewSeconds = maximumFutureSkewSeconds
        self.notice = notice
        self.catchUps = catchUps
        self.policies = policies
    }

    /// The same service recording in `actor`'s name: what names no actor of its own is recorded
    /// as theirs (a server answers each request in its token holder's name this way). It shares
    /// this one's catch-ups and policy cache.
    public func acting(as actor: Actor) -> LedgerService {
        LedgerService(
            ledger: ledger, defaults: defaults.recorded(by: actor), maximumFutureSkewSeconds: maximumFutureSkewSeconds, notice: notice, catchUps: catchUps,
            policies: policies)
    }

    /// The recorder writes go through: the catalog's rules, then an append expecting the versions checked.
    public var recorder: EventRecorder {
        EventRecorder(ledger: ledger, clock: defaults.clock, maximumFutureSkewSeconds: maximumFutureSkewSeconds)
    }

    /// A runner for one read: catch-ups stay in memory, up to `head` when given.
    public func reader(upTo head: UInt64? = nil) -> ProjectionRunner {
        ProjectionRunner(ledger: ledger, catchUps: .inMemory, upTo: head, notice: notice)
    }

    /// Catches the stored projections up with the log, durably: run after every write, so that
    /// reads find them current and need fold nothing.
    public func catchUpStoredProjections() throws {
        let runner = ProjectionRunner(ledger: ledger, notice: notice)
        for model in StoredReadModel.all { _ = try model.catchUp(runner) }
    }
}
