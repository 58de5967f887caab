import Foundation
import IncidentEvents
import LedgerModel
public import LedgerStore
import Synchronization

/// Catches projections up with the log and answers from their stored state.
///
/// Catch-up reads new events in a snapshot, folds them into the states they touch, and writes those
/// states with the new checkpoint in one LMDB transaction; a crash leaves the old checkpoint and the
/// old states together, and the next catch-up simply redoes the work.
///
/// A stored state that fails its checksum (``ProjectionDamage``) is never used: the projection is
/// rebuilt from the log and the rebuild reported through ``notice``. On a ledger open for reading
/// only, catch-ups and such rebuilds are kept in this runner's memory instead of written.
///
/// A runner for reads (``CatchUps/inMemory``) never commits a catch-up: it answers from a snapshot,
/// folding what the stored projection lacks in its own memory. The one write it may make is the
/// repair of a damaged stored projection (on a writable ledger), since otherwise every later read
/// would rebuild the whole projection again.
public struct ProjectionRunner: Sendable {
    /// Where catch-ups go.
    public enum CatchUps: Sendable {
        /// Committed to the ledger with their checkpoint (writers, `projections rebuild`).
        case stored
        /// Kept in this runner's memory (reads).
        case inMemory
    }

    public let ledger: Ledger
    /// Events folded per transaction, bounding memory during a long rebuild.
    public var batchSize: Int
    /// Called with one line a person should read: a damaged projection rebuilt, or a catch-up kept
    /// in memory because the ledger cannot be written.
    public var notice: @Sendable (String) -> Void
    /// The catch-ups kept in memory, per projection.
    let memory = ProjectionMemory()
    /// With a limit, catch-ups fold no event after that position (a comparison with a stored checkpoint).
    private let limit: UInt64?
    /// Keep every catch-up and rebuild in memory, writable ledger or not.
    private let inMemoryOnly: Bool
    /// Where catch-ups go; repairs of damage are stored all the same when the ledger is writable.
    public let catchUps: CatchUps

    /// A runner; `limit` makes its catch-ups fold no event after that position, so that what it
    /// answers matches a head read before (a report and the head it names come from one point).
    public init(
        ledger: Ledger, catchUps: CatchUps = .stored, upTo limit: UInt64? = nil, batchSize: Int = 250_000,
        notice: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.init(ledger: ledger, batchSize: batchSize, notice: notice, limit: limit, inMemoryOnly: false, catchUps: catchUps)
    }

    /// A runner whose catch-ups stay in its memory and fold no event after `limit`.
    init(
        ledger: Ledger, batchSize: Int, notice: @escaping @Sendable (String) -> Void, limit: UInt64?, inMemoryOnly: Bool,
        catchUps: CatchUps = .stored
    ) {
        self.ledger = ledger
        self.catchUps = catchUps
        self.batchSize = batchSize
        self.notice = notice
        self.limit = limit
        self.inMemoryOnly = inMemoryOnly
    }

    /// Whether writes (catch-ups and repairs) go to memory rather than to the ledger.
    private var keepsInMemory: Bool { inMemoryOnly || !ledger.isWritable }

    /// Whether a catch-up step of `name` goes to memory: always when writes do, and for a reading
    /// runner unless it is storing the repair of that projection.
    private func keepsCatchUpInMemory(_ name: String) -> Bool {
        keepsInMemory || (catchUps == .inMemory && !memory.isRepairing(name))
    }

    /// What `projections status` shows.
    public struct Status: Sendable {
        public var name: String
        public var version: UInt32
        public var checkpoint: ProjectionCheckpoint?
        public var head: UInt64
        /// What fails its checksum, when the stored projection is damaged (it is rebuilt on next use).
        public var damage: ProjectionDamage?
        public var isCurrent: Bool { damage == nil && checkpoint?.version == version && checkpoint?.position == head }
    }

    /// Where the stored projection stands; its states are checked against their checksums too.
    public func status<P: StoredProjection>(_: P.Type) throws -> Status {
        try ledger.read { reader in
            var status = Status(name: P.name, version: P.version, checkpoint: nil, head: try reader.head().position)
            do {
                status.checkpoint = try reader.projectionCheckpoint(P.name)
                if status.checkpoint?.version == P.version { try reader.checkProjection(P.name) }
            } catch let damage as ProjectionDamage {
                status.damage = damage
            }
            return status
        }
    }

    /// Folds every event after the checkpoint (all of them when the projection's version changed).
    /// Returns how many events were folded.
    ///
    /// The scan only sorts records by key, reading them in place; decoding them and folding each
    /// key's events runs on every core. Records stay valid until the read ends, so nothing is copied.
    @discardableResult
    public func catchUp<P: Projection>(_: P.Type) throws -> Int {
        try repairing(P.name) { try fold(P.self) }
    }

    private func fold<P: Projection>(_: P.Type) throws -> Int {
        try catchUp(name: P.name, version: P.version) { reader, start, end, reset in
            // The step's records per key, in log order, and each key's last correction or retraction.
            var keys = [String]()
            var records = [String: [RecordView]]()
            var refolds = [String: (stream: String, version: UInt64, applied: Int)]()
            var last = start
            var count = 0
            try reader.forEachRecordView(from: start + 1) { record in
                guard record.position <= end else { return false }
                last = record.position
                count += 1
                if let key = P.key(for: record) {
                    if records[key] == nil {
                        keys.append(key)
                        records[key] = []
                    }
                    records[key]!.append(record)
                    if record.hasType(EventCorrected.type) || record.hasType(EventRetracted.type) {
                        switch ProjectedEvent.decode(try record.event()).event {
                        case .corrected?, .retracted?: refolds[key] = (record.stream, record.streamVersion, records[key]!.count)
                        default: break
                        }
                    }
                }
                return count < batchSize
            }
            // Each key's state to fold on from, read in the snapshot: after a correction, the refold of
            // the key's corrected history up to it (so it reaches every field it touches); otherwise the
            // stored state.
            var starts = [P.State]()
            starts.reserveCapacity(keys.count)
            var unknown = false
            for key in keys {
                if let refold = refolds[key] {
                    var state = P.initial(key: key)
                    for event in try EffectiveHistory.events(of: refold.stream, upToVersion: refold.version, in: reader) {
                        P.apply(event, to: &state)
                    }
                    starts.append(state)
                } else {
                    let state = reset ? nil : try load(P.self, key: key, reader)
                    unknown = unknown || (!reset && state == nil)
                    starts.append(state ?? P.initial(key: key))
                }
            }
            // A key without a state is new, or its state is hidden by a damaged key: tell them apart
            // before folding from the initial state.
            if unknown { try checkStored(P.name, reader) }
            // Keys are independent: decode and fold the rest of each key's events on every core.
            let (folding, initial, pending, skip) = (keys, starts, records, refolds.mapValues(\.applied))
            let folded = Parallel.map(count: folding.count) { index in
                let key = folding[index]
                return Result { () throws -> [UInt8] in
                    var state = initial[index]
                    for record in pending[key]!.dropFirst(skip[key] ?? 0) {
                        P.apply(ProjectedEvent.decode(try record.event()), to: &state)
                    }
                    return try P.encode(state)
                }
            }
            var states = [String: [UInt8]]()
            for (index, key) in folding.enumerated() { states[key] = try folded[index].get() }
            return (states, last, count)
        }
    }

    /// Derives again the states of the incidents with events after the checkpoint (every incident
    /// when the projection's version changed). Returns how many events were read.
    @discardableResult
    public func catchUp<P: DerivedProjection>(_: P.Type) throws -> Int {
        try repairing(P.name) { try derive(P.self) }
    }

    private func derive<P: DerivedProjection>(_: P.Type) throws -> Int {
        try catchUp(name: P.name, version: P.version) { reader, start, end, _ in
            // Each stream's records in this step, kept from the scan itself; only a stream's earlier
            // records (before the step) are read again, through the stream index. All are decoded
            // later, on every core.
            var streams = [String]()
            var collected = [String: [RecordView]]()
            var last = start
            var count = 0
            try reader.forEachRecordView(from: start + 1) { record in
                guard record.position <= end else { return false }
                last = record.position
                count += 1
                if P.includes(record) {
                    let stream = record.stream
                    if collected[stream] == nil { streams.append(stream) }
                    collected[stream, default: []].append(record)
                }
                return count < batchSize
            }
            var read = [[RecordView]]()
            read.reserveCapacity(streams.count)
            for stream in streams {
                let recent = collected.removeValue(forKey: stream)!
                var history = [RecordView]()
                if recent[0].streamVersion > 1 {
                    try reader.forEachRecordView(inStream: stream) { record in
                        guard record.streamVersion < recent[0].streamVersion else { return false }
                        history.append(record)
                        return true
                    }
                }
                history += recent
                read.append(history)
            }
            // Each incident's facts depend only on its own history: derive them on every core.
            let (names, histories) = (streams, read)
            let derived = Parallel.map(count: names.count) { index in
                Result { () throws -> [UInt8] in
                    let history = try histories[index].map { (record) throws(LedgerError) in try record.event() }
                    return try P.encode(P.derive(stream: names[index], history: EffectiveHistory.apply(history)))
                }
            }
            var states = [String: [UInt8]]()
            for (index, stream) in names.enumerated() { states[stream] = try derived[index].get() }
            return (states, last, count)
        }
    }

    /// The catch-up loop both kinds share: one step per read snapshot, each committed with its
    /// checkpoint; `step` computes the states from the events after `start` up to `end` (all when `reset`).
    private func catchUp(
        name: String, version: UInt32,
        step: (borrowing LedgerReader, _ start: UInt64, _ end: UInt64, _ reset: Bool) throws -> (states: [String: [UInt8]], last: UInt64, count: Int)
    ) throws -> Int {
        var done = 0
        while true {
            let result = try ledger.read { reader -> (ProjectionCheckpoint?, ProjectionCheckpoint, [String: [UInt8]], Bool, Int)? in
                let stored = try checkpoint(name, reader)
                let reset = stored?.version != version
                let start = reset ? 0 : stored!.position
                let head = min(try reader.head().position, limit ?? .max)
                guard start < head || (reset && stored != nil) else { return nil }
                let (states, last, count) = try step(reader, start, head, reset)
                return (stored, ProjectionCheckpoint(version: version, position: last), states, reset, count)
            }
            guard let (expected, checkpoint, states, reset, count) = result else { return done }
            // When another process caught up meanwhile, read again from its checkpoint.
            if try commit(name, expected: expected, to: checkpoint, states: states, reset: reset) {
                done += count
            }
        }
    }

    /// Commits a step; false when the checkpoint moved meanwhile and the step must be redone.
    private func commit(_ name: String, expected: ProjectionCheckpoint?, to checkpoint: ProjectionCheckpoint, states: [String: [UInt8]], reset: Bool) throws -> Bool {
        if keepsCatchUpInMemory(name) {
            memory.commit(name, to: checkpoint, states: states, reset: reset)
            return true
        }
        do {
            try ledger.commitProjection(name, expected: expected, to: checkpoint, states: states, reset: reset)
            return true
        } catch {
            if error.code == .wrongExpectedVersion { return false }
            throw error
        }
    }

    /// Runs a catch-up; when it meets a damaged stored projection, reports it and rebuilds the
    /// projection (in memory when the ledger cannot be written).
    private func repairing(_ name: String, _ catchUp: () throws -> Int) throws -> Int {
        let folded: Int
        do {
            folded = try catchUp()
        } catch let damage as ProjectionDamage {
            return try repair(damage, catchUp)
        }
        if folded > 0, !ledger.isWritable, !inMemoryOnly {
            notice("the ledger at \(ledger.path) is read-only to this user: caught projection \(name) up with \(folded) events in memory, writing nothing — its owner stores the catch-up by recording anything, or with `incidents projections rebuild`")
        }
        return folded
    }

    /// Reports the damage and rebuilds the projection from the log; damage found again is an error.
    private func repair<Result>(_ damage: ProjectionDamage, _ rebuild: () throws -> Result) throws -> Result {
        if keepsInMemory {
            notice("\(damage) — rebuilding \(damage.projection) from the log in memory (the ledger is read-only to this user, so the stored copy stays damaged: its owner can run `incidents projections rebuild`)")
            memory.reset(damage.projection)
        } else {
            // A state that fails its checksum may sit on a damaged page, and LMDB must never write
            // through one: copying a page whose bounds are garbage overruns its own page buffer on
            // the heap. So the layout of the file's pages is checked first (with pread, never the
            // map); damage there ends the command with the page named, before anything is written.
            try Ledger.checkPageStructure(at: ledger.path, keyOrder: false)
            notice("\(damage) — rebuilding \(damage.projection) from the log")
            // The rebuild is stored, by a reading runner too: its memory of the damaged copy goes.
            memory.drop(damage.projection)
            try ledger.commitProjection(damage.projection, expected: nil, to: ProjectionCheckpoint(version: 0, position: 0), states: [:], reset: true)
            memory.beginRepair(damage.projection)
        }
        defer { memory.endRepair(damage.projection) }
        do {
            return try rebuild()
        } catch let again as ProjectionDamage {
            throw LedgerError(.corrupt, "\(again) even after a rebuild from the log", detail: .damagedAfterRebuild, ledgerPath: ledger.path, cause: again)
        }
    }

    /// Runs a read of stored states; when it meets damage, rebuilds the projection and reads again.
    private func readRepairing<P: StoredProjection, Result>(_: P.Type, catchUp: () throws -> Int, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let damage as ProjectionDamage {
            return try repair(damage) {
                _ = try catchUp()
                return try body()
            }
        }
    }

    /// The checkpoint catch-ups start from: this runner's own in memory, else the stored one.
    private func checkpoint(_ name: String, _ reader: borrowing LedgerReader) throws -> ProjectionCheckpoint? {
        if let entry = memory.entry(name) { return entry.checkpoint }
        return try reader.projectionCheckpoint(name)
    }

    /// Checks the stored states against their checksums and checkpoint record, unless this
    /// runner's memory replaces them.
    private func checkStored(_ name: String, _ reader: borrowing LedgerReader) throws {
        if memory.entry(name)?.replacesStored == true { return }
        try reader.checkProjection(name)
    }

    /// Drops the projection's state and folds the whole log again.
    @discardableResult
    public func rebuild<P: Projection>(_: P.Type) throws -> Int {
        try reset(P.self)
        return try fold(P.self)
    }

    /// Drops the projection's state and derives every incident's again.
    @discardableResult
    public func rebuild<P: DerivedProjection>(_: P.Type) throws -> Int {
        try reset(P.self)
        return try derive(P.self)
    }

    /// Drops every stored state and sets the checkpoint back to the start. A rebuild is a write:
    /// on a ledger that cannot be written it fails (unless this runner works in memory only).
    private func reset<P: StoredProjection>(_: P.Type) throws {
        if inMemoryOnly {
            memory.reset(P.name)
            return
        }
        try ledger.commitProjection(P.name, expected: nil, to: ProjectionCheckpoint(version: 0, position: 0), states: [:], reset: true)
    }

    /// The stored state of one key (after a catch-up, the current one).
    public func state<P: Projection>(_: P.Type, key: String) throws -> P.State? {
        try readRepairing(P.self, catchUp: { try fold(P.self) }) { try loadChecked(P.self, key: key) }
    }

    /// The stored state of one key (after a catch-up, the current one).
    public func state<P: DerivedProjection>(_: P.Type, key: String) throws -> P.State? {
        try readRepairing(P.self, catchUp: { try derive(P.self) }) { try loadChecked(P.self, key: key) }
    }

    /// Every stored state of the projection, in key order.
    public func states<P: Projection>(_: P.Type) throws -> [P.State] {
        try readRepairing(P.self, catchUp: { try fold(P.self) }) { try loadAll(P.self) }
    }

    /// Every stored state of the projection, in key order.
    public func states<P: DerivedProjection>(_: P.Type) throws -> [P.State] {
        try readRepairing(P.self, catchUp: { try derive(P.self) }) { try loadAll(P.self) }
    }

    /// One key's state; a key without one is checked to be truly absent, not hidden by damage.
    private func loadChecked<P: StoredProjection>(_: P.Type, key: String) throws -> P.State? {
        try ledger.read { reader in
            if let state = try load(P.self, key: key, reader) { return state }
            try checkStored(P.name, reader)
            return nil
        }
    }

    /// Every state, stored and in memory, in the byte order of the keys (the stored order).
    private func loadAll<P: StoredProjection>(_: P.Type) throws -> [P.State] {
        let entry = memory.entry(P.name)
        if let entry, entry.replacesStored {
            return try entry.states.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { try Self.decode(P.self, key: $0.key, $0.value) }
        }
        return try ledger.read { reader in
            var out = [(key: String, state: P.State)]()
            try reader.forEachProjectionState(P.name) { key, bytes in
                if entry?.states[key] == nil { out.append((key, try Self.decode(P.self, key: key, bytes))) }
                return true
            }
            guard let entry, !entry.states.isEmpty else { return out.map(\.state) }
            for (key, bytes) in entry.states { out.append((key, try Self.decode(P.self, key: key, bytes))) }
            return out.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map(\.state)
        }
    }

    /// A key's state: this runner's own in memory, else the stored one.
    private func load<P: StoredProjection>(_: P.Type, key: String, _ reader: borrowing LedgerReader) throws -> P.State? {
        if let entry = memory.entry(P.name) {
            if let bytes = entry.states[key] { return try Self.decode(P.self, key: key, bytes) }
            if entry.replacesStored { return nil }
        }
        guard let bytes = try reader.projectionState(P.name, key: key) else { return nil }
        return try Self.decode(P.self, key: key, bytes)
    }

    /// Bytes that pass their checksum but do not decode were written by other code of the same
    /// version: damage all the same, cured by a rebuild.
    private static func decode<P: StoredProjection>(_: P.Type, key: String, _ bytes: [UInt8]) throws -> P.State {
        try bytes.withUnsafeBytes { try decode(P.self, key: key, $0) }
    }

    private static func decode<P: StoredProjection>(_: P.Type, key: String, _ bytes: UnsafeRawBufferPointer) throws -> P.State {
        do {
            return try P.decode(bytes)
        } catch {
            throw ProjectionDamage(projection: P.name, key: key, reason: "cannot be decoded")
        }
    }
}
