import Foundation
import IncidentEvents
import LedgerModel
public import LedgerStore

/// Catches projections up with the log and answers from their stored state.
///
/// Catch-up reads new events in a snapshot, folds them into the states they touch, and writes those
/// states with the new checkpoint in one LMDB transaction; a crash leaves the old checkpoint and the
/// old states together, and the next catch-up simply redoes the work.
public struct ProjectionRunner: Sendable {
    public let ledger: Ledger
    /// Events folded per transaction, bounding memory during a long rebuild.
    public var batchSize: Int

    public init(ledger: Ledger, batchSize: Int = 250_000) {
        self.ledger = ledger
        self.batchSize = batchSize
    }

    /// What `projections status` shows.
    public struct Status: Sendable {
        public var name: String
        public var version: UInt32
        public var checkpoint: ProjectionCheckpoint?
        public var head: UInt64
        public var isCurrent: Bool { checkpoint?.version == version && checkpoint?.position == head }
    }

    public func status<P: StoredProjection>(_: P.Type) throws -> Status {
        try ledger.read { reader in
            Status(name: P.name, version: P.version, checkpoint: try reader.projectionCheckpoint(P.name), head: try reader.head().position)
        }
    }

    /// Folds every event after the checkpoint (all of them when the projection's version changed).
    /// Returns how many events were folded.
    ///
    /// The scan only sorts records by key, reading them in place; decoding them and folding each
    /// key's events runs on every core. Records stay valid until the read ends, so nothing is copied.
    @discardableResult
    public func catchUp<P: Projection>(_: P.Type) throws -> Int {
        try catchUp(name: P.name, version: P.version) { reader, start, reset in
            // The step's records per key, in log order, and each key's last correction or retraction.
            var keys = [String]()
            var records = [String: [RecordView]]()
            var refolds = [String: (stream: String, version: UInt64, applied: Int)]()
            var last = start
            var count = 0
            try reader.forEachRecordView(from: start + 1) { record in
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
            for key in keys {
                if let refold = refolds[key] {
                    var state = P.initial(key: key)
                    for event in try EffectiveHistory.events(of: refold.stream, upToVersion: refold.version, in: reader) {
                        P.apply(event, to: &state)
                    }
                    starts.append(state)
                } else {
                    starts.append(try (reset ? nil : Self.load(P.self, key: key, reader)) ?? P.initial(key: key))
                }
            }
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
        try catchUp(name: P.name, version: P.version) { reader, start, _ in
            // Each stream's records in this step, kept from the scan itself; only a stream's earlier
            // records (before the step) are read again, through the stream index. All are decoded
            // later, on every core.
            var streams = [String]()
            var collected = [String: [RecordView]]()
            var last = start
            var count = 0
            try reader.forEachRecordView(from: start + 1) { record in
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
    /// checkpoint; `step` computes the states from the events after `start` (all when `reset`).
    private func catchUp(
        name: String, version: UInt32,
        step: (borrowing LedgerReader, _ start: UInt64, _ reset: Bool) throws -> (states: [String: [UInt8]], last: UInt64, count: Int)
    ) throws -> Int {
        var done = 0
        while true {
            let result = try ledger.read { reader -> (ProjectionCheckpoint?, ProjectionCheckpoint, [String: [UInt8]], Bool, Int)? in
                let stored = try reader.projectionCheckpoint(name)
                let reset = stored?.version != version
                let start = reset ? 0 : stored!.position
                let head = try reader.head().position
                guard start < head || (reset && stored != nil) else { return nil }
                let (states, last, count) = try step(reader, start, reset)
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
        do {
            try ledger.commitProjection(name, expected: expected, to: checkpoint, states: states, reset: reset)
            return true
        } catch {
            if error.code == .wrongExpectedVersion { return false }
            throw error
        }
    }

    /// Drops the projection's state and folds the whole log again.
    @discardableResult
    public func rebuild<P: Projection>(_: P.Type) throws -> Int {
        try reset(P.self)
        return try catchUp(P.self)
    }

    /// Drops the projection's state and derives every incident's again.
    @discardableResult
    public func rebuild<P: DerivedProjection>(_: P.Type) throws -> Int {
        try reset(P.self)
        return try catchUp(P.self)
    }

    /// Drops every stored state and sets the checkpoint back to the start.
    private func reset<P: StoredProjection>(_: P.Type) throws {
        let stored = try ledger.read { try $0.projectionCheckpoint(P.name) }
        try ledger.commitProjection(P.name, expected: stored, to: ProjectionCheckpoint(version: 0, position: 0), states: [:], reset: true)
    }

    /// The stored state of one key (after a catch-up, the current one).
    public func state<P: StoredProjection>(_: P.Type, key: String) throws -> P.State? {
        try ledger.read { reader in try Self.load(P.self, key: key, reader) }
    }

    /// Every stored state of the projection, in key order.
    public func states<P: StoredProjection>(_: P.Type) throws -> [P.State] {
        try ledger.read { reader in
            var out = [P.State]()
            try reader.forEachProjectionState(P.name) { _, bytes in
                out.append(try P.decode(bytes))
                return true
            }
            return out
        }
    }

    static func load<P: StoredProjection>(_: P.Type, key: String, _ reader: borrowing LedgerReader) throws -> P.State? {
        guard let bytes = try reader.projectionState(P.name, key: key) else { return nil }
        return try bytes.withUnsafeBytes { try P.decode($0) }
    }
}
