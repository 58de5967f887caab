import IncidentEvents
import LedgerModel
public import LedgerStore

extension LedgerService {
    /// Records one event: the envelope completed from the defaults, checked against the envelope's
    /// rules, the catalog and the incident's life, appended, and the stored projections caught up.
    ///
    /// - Parameter expectedVersion: refuse unless the incident is at this version.
    /// - Throws: ``ServiceError`` (`no-actor`) when neither the draft nor the defaults name who
    ///   records it; ``LedgerError`` when the event is refused or the append fails. Nothing is
    ///   written then.
    public func record(_ draft: EventDraft, expectedVersion: ExpectedVersion? = nil) async throws -> [AppendResult] {
        try await recordChecked(draft, expectedVersion: expectedVersion, strict: nil).results
    }

    /// Records one event as ``record(_:expectedVersion:)`` does, checked against the playbook in
    /// force (``policy()``, docs/playbook.md): a check it breaks refuses it when `strict` (or, when
    /// `strict` is nil, the policy's own `strict`) or when the rule is a hard limit; otherwise the
    /// event is recorded and the finding comes back as a warning.
    public func recordChecked(_ draft: EventDraft, expectedVersion: ExpectedVersion? = nil, strict: Bool?) async throws -> CheckedRecording {
        try await recordChecked([draft], expectedVersion: expectedVersion, strict: strict)
    }

    /// Records `drafts` as ``recordChecked(_:expectedVersion:strict:)`` records one, in one append:
    /// every event is checked before any is written, and they are written together or not at all.
    func recordChecked(_ drafts: [EventDraft], expectedVersion: ExpectedVersion? = nil, strict: Bool?) async throws -> CheckedRecording {
        var events = [StreamEvent]()
        for draft in drafts { events.append(try streamEvent(draft)) }
        var recorder = self.recorder
        let policy = try policy()
        recorder.playbook = policy
        recorder.strict = strict ?? policy.strict
        let recorded = try await recorder.recordChecked(events, expectedVersion: expectedVersion)
        await catchUps.join { afterWriting() }
        return recorded
    }

    /// The event a draft records: its envelope completed from the defaults and checked against the envelope's rules.
    private func streamEvent(_ draft: EventDraft) throws -> StreamEvent {
        guard let actor = draft.actor ?? defaults.actor else {
            throw ServiceError(.noActor, "who records the event is not known")
        }
        let id = draft.id ?? defaults.newID()
        let occurredAt = try draft.occurredAt ?? firstAttemptTime(of: draft) ?? defaults.clock()
        let event = StreamEvent(
            stream: draft.stream,
            event: ProposedEvent(
                id: id, type: draft.type, schemaVersion: draft.schemaVersion, occurredAt: occurredAt,
                sourceRecordedAt: draft.sourceRecordedAt, actor: actor, source: draft.source,
                correlationID: draft.correlationID, causationID: draft.causationID, payload: draft.payload))
        do {
            try EnvelopeRules.validate(event)
        } catch {
            throw LedgerError(.invalidInput, "\(error); nothing was written", cause: error)
        }
        return event
    }

    /// When the event the draft's id names was recorded, if it was: a retry with an id and no time means
    /// the time of the first attempt, not a new "now", so the retry is exact. Every field given is still
    /// compared, so a retry that differs in any of them conflicts.
    func firstAttemptTime(of draft: EventDraft) throws -> Timestamp? {
        guard let id = draft.id else { return nil }
        return try ledger.read { reader in try reader.event(id: id) }?.occurredAt
    }

    /// Records one event of the ledger's own streams (access, playbook), which only their use cases
    /// record, through the catalog's rules.
    func recordInOwnStream(_ event: IncidentEvent, at time: Timestamp, by actor: Actor, source: String) async throws -> AppendResult {
        guard let stream = event.ledgerStream else { throw LedgerError(.invalidInput, "\(type(of: event.payload).type) belongs in an incident") }
        var recorder = self.recorder
        recorder.admitsLedgerStream = stream
        let proposed = Catalog.proposed(event, id: defaults.newID(), occurredAt: time, actor: actor, source: source)
        let item = StreamEvent(stream: stream, event: proposed)
        do {
            try EnvelopeRules.validate(item)
        } catch {
            throw LedgerError(.invalidInput, "\(error); nothing was written", cause: error)
        }
        let results = try await recorder.record([item])
        afterWriting()
        return results[0]
    }

    /// Catches the stored projections up after a write. The write stands whatever happens here: a
    /// catch-up that fails is reported, and reads fold what it missed in memory meanwhile.
    func afterWriting() {
        do {
            try catchUpStoredProjections()
        } catch {
            notice("recorded, but the stored projections could not be caught up (\(error)) — reads catch up in memory meanwhile")
        }
    }
}
