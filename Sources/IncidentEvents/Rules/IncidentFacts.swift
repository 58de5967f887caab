public import Foundation
public import LedgerModel

/// What the rules of an incident's life need to know about it so far: a small fold over its events
/// (for the access stream, over its grants and revocations).
public struct IncidentFacts: Sendable {
    /// The declaration, as corrected.
    public private(set) var declaration: IncidentDeclared?
    public private(set) var declaredAt: Timestamp?
    public private(set) var isResolved = false
    public private(set) var isClosed = false
    public private(set) var messageIDs = Set<String>()
    /// Open escalations and their current level.
    public private(set) var openEscalations = [String: EscalationLevel]()
    public private(set) var closedEscalations = Set<String>()
    /// Surveys sent and their scale, until answered or expired.
    public private(set) var openSurveys = [String: SurveyScale]()
    public private(set) var finishedSurveys = Set<String>()
    public private(set) var openActionItems = Set<String>()
    public private(set) var completedActionItems = Set<String>()
    /// Every event of the incident by id, with its type, schema version and payload as corrected,
    /// so that a correction can be checked against the type of the event it corrects.
    /// Every event so far by id, with its payload as stored (corrected in place): what a correction
    /// or retraction may name. Kept as canonical text and parsed only when a correction needs it.
    public private(set) var events = [UUID: (type: String, schemaVersion: UInt16, payload: Payload)]()
    public private(set) var retracted = Set<UUID>()
    /// In the access stream (``LedgerStream/access``): every token granted, by id, and those revoked.
    public private(set) var accessGrants = [String: AccessGranted]()
    public private(set) var revokedTokens = Set<String>()
    /// In the template stream (``LedgerStream/templates``): the library of prepared messages.
    public private(set) var templates = TemplateLibrary()
    /// What the playbook's update rules read: severity, status and scope now, the last public status and ETA.
    public private(set) var updates = UpdateFacts()
    /// The events ``updates`` is folded from, in order, to fold it again after a correction or retraction of one.
    private var updateFactEvents = [UUID]()

    public init() {}

    /// Folds one more event in.
    public mutating func apply(_ event: IncidentEvent, id: UUID, type: String, schemaVersion: UInt16, payload: Payload, occurredAt: Timestamp) {
        events[id] = (type, schemaVersion, payload)
        if UpdateFacts.bears(on: event) {
            updateFactEvents.append(id)
            updates.apply(event)
        }
        switch event {
        case .declared(let declared):
            declaration = declared
            declaredAt = occurredAt
        case .resolved: isResolved = true
        case .reopened:
            isResolved = false
            isClosed = false
        case .closed, .merged: isClosed = true
        case .messageReceived(let message): messageIDs.insert(message.messageId)
        case .escalationRaised(let raised): openEscalations[raised.escalationId] = raised.toLevel
        case .escalationDeescalated(let down): openEscalations[down.escalationId] = down.toLevel
        case .escalationClosed(let closed):
            openEscalations[closed.escalationId] = nil
            closedEscalations.insert(closed.escalationId)
        case .surveySent(let sent): openSurveys[sent.surveyId] = sent.scale
        case .surveyAnswered(let answered):
            openSurveys[answered.surveyId] = nil
            finishedSurveys.insert(answered.surveyId)
        case .surveyExpired(let expired):
            openSurveys[expired.surveyId] = nil
            finishedSurveys.insert(expired.surveyId)
        case .actionItemOpened(let item): openActionItems.insert(item.actionItemId)
        case .actionItemCompleted(let item):
            openActionItems.remove(item.actionItemId)
            completedActionItems.insert(item.actionItemId)
        case .corrected(let correction):
            if let target = UUID(uuidString: correction.target), var original = events[target] {
                original.payload = correction.applied(to: original.payload)
                events[target] = original
                if original.type == IncidentDeclared.type,
                   case .declared(let declared)? = try? Catalog.decode(type: original.type, schemaVersion: original.schemaVersion, payload: original.payload)
                {
                    declaration = declared
                }
                refoldUpdates(after: target)
            }
        case .retracted(let retraction):
            if let target = UUID(uuidString: retraction.target) {
                retracted.insert(target)
                refoldUpdates(after: target)
            }
        case .accessGranted(let grant): accessGrants[grant.tokenId] = grant
        case .accessRevoked(let revocation): revokedTokens.insert(revocation.tokenId)
        case .templateDefined, .templateRevised, .templateRetired: templates.apply(event, occurredAt: occurredAt)
        default:
            break
        }
    }

    /// Folds ``updates`` again from its events, as corrected and without those retracted, when `target` is one of them.
    private mutating func refoldUpdates(after target: UUID) {
        guard updateFactEvents.contains(target) else { return }
        updates = UpdateFacts()
        for id in updateFactEvents where !retracted.contains(id) {
            guard let stored = events[id], let event = try? Catalog.decode(type: stored.type, schemaVersion: stored.schemaVersion, payload: stored.payload) else { continue }
            updates.apply(event)
        }
    }
}
