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
        guard let actor = draft.actor ?? defaults.actor else {
            throw ServiceError(.noActor, "who records the event is not known")
        }
        let id = draft.id ?? defaults.newID()
        var occurredAt = draft.occurredAt ?? defaults.clock()
        // A retry with an id and no time means the time of the first attempt, not a new "now": the
        // event already recorded under the id supplies it, so the retry is exact. Every field given
        // is still compared, so a retry that differs in any of them conflicts.
        if draft.occurredAt == nil, draft.id != nil, let first = try ledger.read({ reader in try reader.event(id: id) }) {
            occurredAt = first.occurredAt
        }
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
        let results = try await recorder.record([event], expectedVersion: expectedVersion)
        await catchUps.join { afterWriting() }
        return results
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
