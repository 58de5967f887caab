import Foundation
public import LedgerModel

/// The rules of an incident's life, checked before an event is appended. Each returns the first
/// rule broken, naming the field; the caller adds which event of the batch it was.
public enum IncidentRules {
    /// How far in the future an `occurredAt` may lie, to allow for clocks that are a little off.
    public static let defaultMaximumFutureSkewSeconds: Int64 = 300

    public static func check(
        _ event: IncidentEvent, occurredAt: Timestamp, stream: String, facts: IncidentFacts, now: Timestamp,
        maximumFutureSkewSeconds: Int64 = defaultMaximumFutureSkewSeconds
    ) throws(EventInputError) {
        guard occurredAt <= now.adding(seconds: maximumFutureSkewSeconds) else {
            throw EventInputError(field: "occurredAt", reason: "\(occurredAt.rfc3339) is more than \(maximumFutureSkewSeconds) seconds in the future; record facts when they have happened")
        }
        if event.ledgerStream != nil || LedgerStream.isReserved(stream) {
            return try checkLedgerStream(event, occurredAt: occurredAt, stream: stream, facts: facts)
        }
        if case .declared = event {
            guard facts.declaration == nil else {
                throw EventInputError(field: "type", reason: "\(stream) is already declared; correct the declaration with event.corrected instead")
            }
            return
        }
        guard facts.declaration != nil else {
            throw EventInputError(field: "stream", reason: "\(stream) has not been declared; record incident.declared first")
        }
        if facts.isClosed {
            switch event {
            case .statusChanged, .severityChanged, .scopeChanged, .resolved, .closed, .merged:
                throw EventInputError(field: "type", reason: "\(stream) is closed; record incident.reopened before changing it")
            default: break
            }
        }
        switch event {
        case .reopened:
            guard facts.isResolved || facts.isClosed else {
                throw EventInputError(field: "type", reason: "\(stream) is still open; there is nothing to reopen")
            }
        case .resolved:
            guard !facts.isResolved else { throw EventInputError(field: "type", reason: "\(stream) is already resolved") }
            // A declaration whose times the source never recorded has no start to be before.
            let start = facts.declaration?.unknownTimes != nil ? nil : facts.declaration?.impactStartedAt ?? facts.declaredAt
            if let start, occurredAt < start {
                throw EventInputError(field: "occurredAt", reason: "the resolution (\(occurredAt.rfc3339)) is before the incident began (\(start.rfc3339)); time to resolve cannot be negative")
            }
        case .messageReceived(let message):
            guard !facts.messageIDs.contains(message.messageId) else {
                throw EventInputError(field: "payload.messageId", reason: "\(MessageText.quoted(message.messageId)) is already recorded in \(stream); each message needs its own id")
            }
        case .replySent(let reply):
            guard facts.messageIDs.contains(reply.inReplyTo) else {
                throw EventInputError(field: "payload.inReplyTo", reason: "no customer message \(MessageText.quoted(reply.inReplyTo)) is recorded in \(stream); record customer.message_received first")
            }
        case .statusUpdatePublished(let update):
            if let next = update.nextUpdateBy, next < occurredAt {
                throw EventInputError(field: "payload.nextUpdateBy", reason: "\(next.rfc3339) is before the update itself (\(occurredAt.rfc3339)); a next update cannot be promised in the past")
            }
            if let eta = update.etaAt, eta < occurredAt {
                throw EventInputError(field: "payload.etaAt", reason: "\(eta.rfc3339) is before the update itself; an ETA cannot lie in the past")
            }
        case .escalationRaised(let raised):
            guard facts.openEscalations[raised.escalationId] == nil, !facts.closedEscalations.contains(raised.escalationId) else {
                throw EventInputError(field: "payload.escalationId", reason: "\(MessageText.quoted(raised.escalationId)) is already used in \(stream)")
            }
        case .escalationAcknowledged(let ack):
            try requireOpenEscalation(ack.escalationId, facts, stream)
        case .escalationDeescalated(let down):
            let level = try requireOpenEscalation(down.escalationId, facts, stream)
            guard down.toLevel < level else {
                throw EventInputError(field: "payload.toLevel", reason: "must be below the escalation's current level (\(level.rawValue))")
            }
        case .escalationClosed(let closed):
            try requireOpenEscalation(closed.escalationId, facts, stream)
        case .surveySent(let sent):
            guard facts.openSurveys[sent.surveyId] == nil, !facts.finishedSurveys.contains(sent.surveyId) else {
                throw EventInputError(field: "payload.surveyId", reason: "\(MessageText.quoted(sent.surveyId)) is already used in \(stream)")
            }
        case .surveyAnswered(let answer):
            guard let scale = facts.openSurveys[answer.surveyId] else {
                throw EventInputError(field: "payload.surveyId", reason: "no open survey \(MessageText.quoted(answer.surveyId)) in \(stream) (never sent, already answered, or expired)")
            }
            guard scale.range.contains(answer.score) else {
                throw EventInputError(field: "payload.score", reason: "\(answer.score) is outside the survey's scale \(scale.rawValue) (\(scale.range.lowerBound) to \(scale.range.upperBound))")
            }
        case .surveyExpired(let expired):
            guard facts.openSurveys[expired.surveyId] != nil else {
                throw EventInputError(field: "payload.surveyId", reason: "no open survey \(MessageText.quoted(expired.surveyId)) in \(stream)")
            }
        case .actionItemOpened(let item):
            guard !facts.openActionItems.contains(item.actionItemId), !facts.completedActionItems.contains(item.actionItemId) else {
                throw EventInputError(field: "payload.actionItemId", reason: "\(MessageText.quoted(item.actionItemId)) is already used in \(stream)")
            }
        case .actionItemCompleted(let item):
            guard facts.openActionItems.contains(item.actionItemId) else {
                throw EventInputError(field: "payload.actionItemId", reason: "no open action item \(MessageText.quoted(item.actionItemId)) in \(stream)")
            }
        case .corrected(let correction):
            let target = try requireTarget(correction.target, facts, stream)
            do {
                _ = try Catalog.decode(type: target.type, schemaVersion: target.schemaVersion, payload: correction.applied(to: target.payload))
            } catch {
                throw EventInputError(field: "payload.fields", reason: "the corrected \(target.type) would be invalid: \(error.description)")
            }
        case .retracted(let retraction):
            _ = try requireTarget(retraction.target, facts, stream)
        default:
            break
        }
    }

    /// The ledger's own streams hold their own events only, and those go nowhere else. In the access
    /// stream, a token id is granted once, and revoked at most once, by a revocation naming the
    /// grant's holder and role.
    private static func checkLedgerStream(_ event: IncidentEvent, occurredAt: Timestamp, stream: String, facts: IncidentFacts) throws(EventInputError) {
        let type = Swift.type(of: event.payload).type
        guard let home = event.ledgerStream else {
            let holds = Catalog.ledgerEntries(of: stream).map(\.type).joined(separator: " and ")
            throw EventInputError(
                field: "stream", reason: "\(stream) is the ledger's \(LedgerStream.name(of: stream)) stream: it holds \(holds) only, and \(type) belongs in an incident")
        }
        guard home == stream else {
            let place = LedgerStream.isReserved(stream) ? "the ledger's \(LedgerStream.name(of: stream)) stream \(stream)" : "an incident"
            throw EventInputError(field: "stream", reason: "\(type) belongs in the ledger's \(LedgerStream.name(of: home)) stream \(home), not in \(place)")
        }
        switch event {
        case .accessGranted(let grant):
            guard facts.accessGrants[grant.tokenId] == nil else {
                throw EventInputError(field: "payload.tokenId", reason: "token \(MessageText.quoted(grant.tokenId)) was already granted; each token needs its own id")
            }
            if let expiry = grant.expiresAt, expiry <= occurredAt {
                throw EventInputError(field: "payload.expiresAt", reason: "\(expiry.rfc3339) is not after the grant (\(occurredAt.rfc3339)); a token cannot expire before it is issued")
            }
        case .accessRevoked(let revocation):
            guard let grant = facts.accessGrants[revocation.tokenId] else {
                throw EventInputError(field: "payload.tokenId", reason: "no token \(MessageText.quoted(revocation.tokenId)) was granted")
            }
            guard !facts.revokedTokens.contains(revocation.tokenId) else {
                throw EventInputError(field: "payload.tokenId", reason: "token \(MessageText.quoted(revocation.tokenId)) is already revoked")
            }
            guard grant.holder == revocation.holder, grant.role == revocation.role else {
                throw EventInputError(
                    field: "payload.holder",
                    reason: "token \(MessageText.quoted(revocation.tokenId)) was granted to \(MessageText.quoted(grant.holder)) as \(grant.role.rawValue), not to \(MessageText.quoted(revocation.holder)) as \(revocation.role.rawValue)")
            }
        case .templateDefined, .templateRevised, .templateRetired:
            try facts.templates.check(event)
        default:
            break
        }
    }

    @discardableResult
    private static func requireOpenEscalation(_ id: String, _ facts: IncidentFacts, _ stream: String) throws(EventInputError) -> EscalationLevel {
        guard let level = facts.openEscalations[id] else {
            throw EventInputError(field: "payload.escalationId", reason: "no open escalation \(MessageText.quoted(id)) in \(stream); record escalation.raised first")
        }
        return level
    }

    private static func requireTarget(_ text: String, _ facts: IncidentFacts, _ stream: String) throws(EventInputError) -> (type: String, schemaVersion: UInt16, payload: Payload) {
        guard let id = UUID(uuidString: text) else { throw EventInputError(field: "payload.target", reason: "\(MessageText.quoted(text)) is not an event id (a UUID)") }
        guard let target = facts.events[id] else {
            throw EventInputError(field: "payload.target", reason: "no event \(text) is recorded in \(stream)")
        }
        guard !facts.retracted.contains(id) else { throw EventInputError(field: "payload.target", reason: "event \(text) is already retracted") }
        guard target.type != EventCorrected.type, target.type != EventRetracted.type else {
            throw EventInputError(field: "payload.target", reason: "corrections and retractions cannot themselves be corrected; record a new correction of the original")
        }
        return target
    }
}
