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
    /// The one ledger stream whose events may be recorded: each only by its own use case (access by
    /// ``LedgerService/createToken(holder:role:expiresAt:)``, so that the access stream and the stored
    /// tokens never tell different stories; the playbook by ``LedgerService/setPolicy(_:)``).
    var admitsLedgerStream: String?
    /// The playbook every event is checked against (``PlaybookChecks``); nil records without it (imports
    /// and batches of history, recorded as they happened: the review judges them).
    public var playbook: PlaybookPolicy?
    /// Refuse an event that breaks a playbook check, instead of recording it with a warning.
    public var strict = false
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
        try await recordChecked(events, expectedVersion: expectedVersion).results
    }

    /// Checks and appends `events` as ``record(_:expectedVersion:)`` does, and says which playbook
    /// checks they broke without being refused for it.
    public func recordChecked(_ events: [StreamEvent], expectedVersion: ExpectedVersion? = nil) async throws(LedgerError) -> CheckedRecording {
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
            let (batch, warnings) = try check(events, typed, groups, expectedVersion: expectedVersion)
            do {
                var recorded = CheckedRecording(results: try await ledger.append(batch), warnings: warnings.flatMap { $0 })
                recorded.warningsByEvent = warnings
                return recorded
            } catch let error where error.code == .wrongExpectedVersion && expectedVersion == nil && attempt < Self.attempts {
                // Someone else appended to the incident meanwhile: back off a little, then check again.
                try? await Task.sleep(for: .microseconds(Int.random(in: 0...(200 * min(attempt, 10)))))
                continue
            }
        }
    }

    /// Validates every event against its incident as it stands now and returns the batch to append,
    /// and each event's playbook warnings.
    private func check(
        _ events: [StreamEvent], _ typed: [IncidentEvent], _ groups: [(stream: String, indices: [Int])],
        expectedVersion: ExpectedVersion?
    ) throws(LedgerError) -> ([StreamAppend], [[PlaybookFinding]]) {
        let now = clock()
        do {
            return try ledger.read { reader in
                var facts = [String: (IncidentFacts, UInt64)]()
                var batch = [StreamAppend]()
                var warnings = [[PlaybookFinding]](repeating: [], count: events.count)
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
                            warnings[index] = try checkPlaybook(typed[index], events[index], incident)
                            try admit(typed[index], events[index], to: &incident, now: now)
                        } catch {
                            throw Self.refusal(error.at(index: index + 1))
                        }
                        version += 1
                    }
                    facts[group.stream] = (incident, version)
                    batch.append(StreamAppend(stream: group.stream, expectedVersion: expected, events: group.indices.map { events[$0].event }))
                }
                return (batch, warnings)
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
            if let home = typed.ledgerStream, home != admitsLedgerStream {
                let useCase = home == LedgerStream.access ? "when an access token is created or revoked" : "by `incidents policy set` (PUT /v1/policy)"
                throw EventInputError(field: "type", reason: "\(item.event.type) is recorded only \(useCase), never given as an event")
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

    /// The playbook's findings about one event, before it is applied: those that refuse it are thrown
    /// (as a rule refusal naming the field), the rest returned as warnings.
    private func checkPlaybook(_ typed: IncidentEvent, _ item: StreamEvent, _ incident: IncidentFacts) throws(EventInputError) -> [PlaybookFinding] {
        guard let playbook else { return [] }
        let findings = PlaybookChecks.findings(for: typed, occurredAt: item.event.occurredAt, facts: incident, policy: playbook)
        if let refusing = findings.first(where: { PlaybookChecks.refuses($0, strict: strict) }) { throw refusing.refusal }
        return findings
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

/// What a recording appended, and the playbook checks its events broke without being refused for it.
public struct CheckedRecording: Sendable {
    public var results: [AppendResult]
    /// Each a warning: the event was recorded all the same (docs/playbook.md).
    public var warnings: [PlaybookFinding]

    /// Each event's warnings, in the order the events were given.
    var warningsByEvent: [[PlaybookFinding]] = []

    public init(results: [AppendResult], warnings: [PlaybookFinding]) {
        self.results = results
        self.warnings = warnings
    }

    /// The recording as one recording per event, as if each had been appended alone: its position,
    /// the incident's version after it, and its own warnings.
    func eachEvent() -> [CheckedRecording] {
        var out = [CheckedRecording]()
        for result in results {
            let count = UInt64(result.positions.count)
            for offset in 0..<count {
                var one = result
                one.positions = (result.positions.lowerBound + offset)...(result.positions.lowerBound + offset)
                one.streamVersion = result.streamVersion - (count - 1 - offset)
                let index = out.count
                out.append(CheckedRecording(results: [one], warnings: index < warningsByEvent.count ? warningsByEvent[index] : []))
            }
        }
        return out
    }
}
