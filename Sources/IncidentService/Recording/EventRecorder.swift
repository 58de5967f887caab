import Foundation
public import LedgerModel
public import LedgerStore
public import IncidentEvents

/// Records events through the catalog: every event is decoded and validated against its type and
/// the rules of its incident's life, then the batch is appended atomically.
///
/// The rules are checked against the incident as it stands at some version; the append then
/// expects exactly that version, so an event appended meanwhile by someone else is noticed and the
/// check is run again (optimistic concurrency) instead of being silently bypassed.
public struct EventRecorder: Sendable {
    public let ledger: Ledger
    /// The clock the future-skew rule compares `occurredAt` with.
    public let clock: @Sendable () -> Timestamp
    public let maximumFutureSkewSeconds: Int64
    /// Whether access events may be recorded: only by the token use cases (``LedgerService/createToken(holder:role:expiresAt:)``),
    /// so that the access stream and the stored tokens never tell different stories.
    var admitsAccessEvents = false
    /// How many times a batch is checked again after a concurrent append before giving up. Each
    /// round lets at least one of the contending batches through, so this bounds the contention
    /// on one incident that a batch rides out.
    static let attempts = 64

    public init(
        ledger: Ledger, clock: @escaping @Sendable () -> Timestamp = { .now() },
        maximumFutureSkewSeconds: Int64 = IncidentRules.defaultMaximumFutureSkewSeconds
    ) {
        self.ledger = ledger
        self.clock = clock
        self.maximumFutureSkewSeconds = maximumFutureSkewSeconds
    }

    /// Checks and appends `events` (in order) as one atomic batch.
    ///
    /// - Parameter expectedVersion: when given, the batch must be about one incident, which must
    ///   be at that version; a conflict is then reported, not retried.
    public func record(_ events: [StreamEvent], expectedVersion: ExpectedVersion? = nil) async throws(LedgerError) -> [AppendResult] {
        guard !events.isEmpty else { throw LedgerError(.invalidInput, "nothing to record: no events were given") }
        // Every text in NFC before it is checked and stored, so one id has one spelling in the ledger.
        let events = events.map { EnvelopeRules.normalized($0) }
        var typed = [IncidentEvent]()
        typed.reserveCapacity(events.count)
        for (index, item) in events.enumerated() {
            do throws(EventInputError) {
                // The payload is canonical already (`Payload` canonicalises what it is given): read it in place.
                typed.append(try Catalog.decode(type: item.event.type, schemaVersion: item.event.schemaVersion, payload: item.event.payload))
            } catch {
                throw Self.refusal(error.at(index: index + 1))
            }
        }
        // Consecutive events of one incident form one StreamAppend, in input order.
        var groups = [(stream: String, indices: [Int])]()
        for (index, item) in events.enumerated() {
            if groups.last?.stream == item.stream {
                groups[groups.count - 1].indices.append(index)
            } else {
                groups.append((item.stream, [index]))
            }
        }
        if expectedVersion != nil, Set(groups.map(\.stream)).count > 1 || groups.count > 1 {
            throw LedgerError(.invalidInput, "an expected version applies to events about one incident; this batch names \(Set(groups.map(\.stream)).count)")
        }
        var attempt = 0
        while true {
            attempt += 1
            let batch = try check(events, typed, groups, expectedVersion: expectedVersion)
            do {
                return try await ledger.append(batch)
            } catch let error where error.code == .wrongExpectedVersion && expectedVersion == nil && attempt < Self.attempts {
                // Someone else appended to the incident meanwhile: back off a little, then check again.
                try? await Task.sleep(for: .microseconds(Int.random(in: 0...(200 * min(attempt, 10)))))
                continue
            }
        }
    }

    /// Validates every event against its incident as it stands now and returns the batch to append.
    private func check(
        _ events: [StreamEvent], _ typed: [IncidentEvent], _ groups: [(stream: String, indices: [Int])],
        expectedVersion: ExpectedVersion?
    ) throws(LedgerError) -> [StreamAppend] {
        let now = clock()
        do {
            return try ledger.read { reader in
                var facts = [String: (IncidentFacts, UInt64)]()
                var batch = [StreamAppend]()
                for group in groups {
                    let first = events[group.indices[0]].event
                    // A retry of events already recorded goes to the store untouched: it recognises them.
                    if try reader.event(id: first.id) != nil {
                        batch.append(StreamAppend(stream: group.stream, expectedVersion: expectedVersion ?? .any, events: group.indices.map { events[$0].event }))
                        continue
                    }
                    var (incident, version) = try facts[group.stream] ?? Self.facts(of: group.stream, in: reader)
                    if let expectedVersion, !expectedVersion.admits(currentVersion: version) {
                        throw LedgerError.wrongExpectedVersion(stream: group.stream, current: version, expected: expectedVersion)
                    }
                    let expected = expectedVersion ?? .exact(version)
                    for index in group.indices {
                        do throws(EventInputError) {
                            try admit(typed[index], events[index], to: &incident, now: now)
                        } catch {
                            throw Self.refusal(error.at(index: index + 1))
                        }
                        version += 1
                    }
                    facts[group.stream] = (incident, version)
                    batch.append(StreamAppend(stream: group.stream, expectedVersion: expected, events: group.indices.map { events[$0].event }))
                }
                return batch
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.storage, "cannot read the ledger: \(error)")
        }
    }

    /// Checks one event against the rules of its incident's life and applies it to the incident's facts.
    func admit(_ typed: IncidentEvent, _ item: StreamEvent, to incident: inout IncidentFacts, now: Timestamp) throws(EventInputError) {
        do throws(EventInputError) {
            if typed.isAccess, !admitsAccessEvents {
                throw EventInputError(
                    field: "type", reason: "\(item.event.type) is recorded only when an access token is created or revoked, never given as an event")
            }
            try IncidentRules.check(
                typed, occurredAt: item.event.occurredAt, stream: item.stream, facts: incident, now: now,
                maximumFutureSkewSeconds: maximumFutureSkewSeconds)
        } catch {
            var refusal = error
            refusal.isRuleRefusal = true
            throw refusal
        }
        incident.apply(
            typed, id: item.event.id, type: item.event.type, schemaVersion: item.event.schemaVersion,
            payload: item.event.payload, occurredAt: item.event.occurredAt)
    }

    /// The facts of one incident and its version, from its events in the ledger.
    static func facts(of stream: String, in reader: borrowing LedgerReader) throws -> (IncidentFacts, UInt64) {
        var facts = IncidentFacts()
        var version: UInt64 = 0
        try reader.forEachEvent(inStream: stream) { recorded in
            version = recorded.streamVersion
            guard let event = try? Catalog.decode(recorded) else { return true }  // events of types this build does not know do not bear on its rules
            facts.apply(event, id: recorded.id, type: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload, occurredAt: recorded.occurredAt)
            return true
        }
        return (facts, version)
    }

    static func refusal(_ error: EventInputError) -> LedgerError {
        LedgerError(.invalidInput, "\(error); nothing was written", cause: error)
    }
}
