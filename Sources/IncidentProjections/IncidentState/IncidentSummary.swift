public import IncidentEvents
public import LedgerModel

/// Where an incident stands in its life.
public enum IncidentPhase: String, Codable, Sendable, CaseIterable {
    case investigating, identified, mitigated, monitoring, resolved, closed
}

public enum PostmortemState: String, Codable, Sendable, CaseIterable {
    case none, started, published
}

/// Everything the incident-state read model knows about one incident: the fold of its events.
public struct IncidentSummary: Codable, Equatable, Sendable {
    public struct Responder: Codable, Equatable, Sendable {
        public var person: String
        public var role: ResponderRole
    }

    public struct OpenEscalation: Codable, Equatable, Sendable {
        public var id: String
        public var level: EscalationLevel
        public var reason: EscalationReason
        public var customer: String?
        public var raisedAt: Timestamp
        public var acknowledged: Bool
    }

    public struct AwaitingReply: Codable, Equatable, Sendable {
        public var messageId: String
        public var customer: String
        public var channel: MessageChannel
        public var receivedAt: Timestamp
        /// The customer's tier, which sets the first reply's target.
        public var tier: String?
    }

    public struct SurveyResult: Codable, Equatable, Sendable {
        public var surveyId: String
        public var customer: String
        public var scale: SurveyScale
        public var score: Int64?
        public var expired: Bool
    }

    public struct ActionItem: Codable, Equatable, Sendable {
        public var id: String
        public var title: String
        public var owner: String
        public var dueAt: Timestamp
        public var completedAt: Timestamp?
    }

    public var incident: String
    public var title: String?
    public var kind: IncidentKind?
    public var severity: Severity?
    public var phase: IncidentPhase = .investigating
    public var services: [String] = []
    public var regions: [String] = []
    public var customerSegments: [String] = []
    public var customersAffected: Int64?
    public var plannedStart: Timestamp?
    public var plannedEnd: Timestamp?
    public var impactStartedAt: Timestamp?
    public var detectedAt: Timestamp?
    public var declaredAt: Timestamp?
    public var acknowledgedAt: Timestamp?
    public var firstPublicUpdateAt: Timestamp?
    public var firstEscalatedAt: Timestamp?
    /// The earliest `mitigated` status, by when it happened; nil when none was recorded.
    public var mitigatedAt: Timestamp?
    public var resolvedAt: Timestamp?
    public var closedAt: Timestamp?
    public var reopenCount = 0
    public var responders: [Responder] = []
    public var escalationCount = 0
    public var executiveEscalationCount = 0
    public var highestEscalationLevel: EscalationLevel?
    public var openEscalations: [OpenEscalation] = []
    public var customers: [String] = []
    public var messageCount = 0
    public var awaitingReply: [AwaitingReply] = []
    public var publicUpdateCount = 0
    public var lastPublicUpdateAt: Timestamp?
    public var lastPublicStatus: PublicStatus?
    public var nextUpdatePromisedBy: Timestamp?
    public var etaAt: Timestamp?
    public var slaPolicies: [String] = []
    public var surveys: [SurveyResult] = []
    public var postmortem: PostmortemState = .none
    public var rootCause: String?
    public var actionItems: [ActionItem] = []
    public var links: [String] = []
    public var mergedInto: String?
    public var eventCount = 0
    public var correctionCount = 0
    public var retractionCount = 0
    public var lastPosition: UInt64 = 0
    /// When the event that set `phase` happened: a status recorded late, about an earlier moment,
    /// does not move the phase back.
    public var phaseSetAt: Timestamp?

    public init(incident: String) {
        self.incident = incident
    }

    /// Folds one event in.
    public mutating func apply(_ projected: ProjectedEvent) {
        let at = projected.recorded.occurredAt
        eventCount += 1
        lastPosition = projected.recorded.position
        guard let event = projected.event else { return }
        switch event {
        case .declared(let declared):
            title = declared.title
            kind = declared.kind
            severity = declared.severity
            services = declared.services
            regions = declared.regions
            customerSegments = declared.customerSegments
            plannedStart = declared.plannedStart
            plannedEnd = declared.plannedEnd
            impactStartedAt = declared.impactStartedAt
            detectedAt = declared.detectedAt
            declaredAt = at
        case .acknowledged:
            if acknowledgedAt == nil { acknowledgedAt = at }
        case .statusChanged(let change):
            setPhase(IncidentPhase(rawValue: change.status.rawValue) ?? phase, at: at)
            if change.status == .mitigated { mitigatedAt = min(mitigatedAt ?? at, at) }
        case .severityChanged(let change):
            severity = change.severity
        case .scopeChanged(let change):
            if !change.services.isEmpty { services = change.services }
            if !change.regions.isEmpty { regions = change.regions }
            if !change.customerSegments.isEmpty { customerSegments = change.customerSegments }
            if let affected = change.customersAffected { customersAffected = affected }
        case .responderAssigned(let assigned):
            if !responders.contains(Responder(person: assigned.person, role: assigned.role)) {
                responders.append(Responder(person: assigned.person, role: assigned.role))
            }
        case .responderReleased(let released):
            responders.removeAll { $0 == Responder(person: released.person, role: released.role) }
        case .resolved:
            setPhase(.resolved, at: at)
            resolvedAt = at
        case .reopened:
            setPhase(.investigating, at: at)
            reopenCount += 1
            resolvedAt = nil
            closedAt = nil
        case .closed:
            setPhase(.closed, at: at)
            closedAt = at
        case .linked(let link):
            if !links.contains(link.otherIncident) { links.append(link.otherIncident) }
        case .merged(let merge):
            mergedInto = merge.into
            setPhase(.closed, at: at)
            closedAt = at
        case .messageReceived(let message):
            messageCount += 1
            customers.insertSorted(message.customer)
            awaitingReply.append(
                AwaitingReply(messageId: message.messageId, customer: message.customer, channel: message.channel, receivedAt: at, tier: message.tier))
        case .replySent(let reply):
            awaitingReply.removeAll { $0.messageId == reply.inReplyTo }
        case .statusUpdatePublished(let update):
            // Only what customers saw counts as a public update; internal-audience updates do not.
            guard update.audience != .internal else { break }
            publicUpdateCount += 1
            if firstPublicUpdateAt == nil || at < firstPublicUpdateAt! { firstPublicUpdateAt = at }
            if lastPublicUpdateAt == nil || at >= lastPublicUpdateAt! {
                lastPublicUpdateAt = at
                lastPublicStatus = update.status
                nextUpdatePromisedBy = update.nextUpdateBy
                if let eta = update.etaAt { etaAt = eta }
            }
        case .noteAdded, .stakeholdersNotified, .sponsorshipEnrolled, .sponsorshipEnded, .handedOff:
            break
        case .escalationRaised(let raised):
            escalationCount += 1
            if raised.toLevel == .executive { executiveEscalationCount += 1 }
            if firstEscalatedAt == nil { firstEscalatedAt = at }
            highestEscalationLevel = max(highestEscalationLevel ?? raised.toLevel, raised.toLevel)
            openEscalations.append(OpenEscalation(id: raised.escalationId, level: raised.toLevel, reason: raised.reason, customer: raised.customer, raisedAt: at, acknowledged: false))
        case .escalationAcknowledged(let ack):
            if let index = openEscalations.firstIndex(where: { $0.id == ack.escalationId }) { openEscalations[index].acknowledged = true }
        case .escalationDeescalated(let down):
            if let index = openEscalations.firstIndex(where: { $0.id == down.escalationId }) { openEscalations[index].level = down.toLevel }
        case .escalationClosed(let closed):
            openEscalations.removeAll { $0.id == closed.escalationId }
        case .slaPolicyAttached(let policy):
            if !slaPolicies.contains(policy.policyId) { slaPolicies.append(policy.policyId) }
        case .surveySent(let sent):
            surveys.append(SurveyResult(surveyId: sent.surveyId, customer: sent.customer, scale: sent.scale, score: nil, expired: false))
        case .surveyAnswered(let answer):
            if let index = surveys.firstIndex(where: { $0.surveyId == answer.surveyId }) { surveys[index].score = answer.score }
        case .surveyExpired(let expired):
            if let index = surveys.firstIndex(where: { $0.surveyId == expired.surveyId }) { surveys[index].expired = true }
        case .postmortemStarted:
            if postmortem == .none { postmortem = .started }
        case .rootCauseRecorded(let cause):
            rootCause = cause.summary
        case .contributingFactorRecorded, .findingRecorded:
            break
        case .actionItemOpened(let item):
            actionItems.append(ActionItem(id: item.actionItemId, title: item.title, owner: item.owner, dueAt: item.dueAt, completedAt: nil))
        case .actionItemCompleted(let item):
            if let index = actionItems.firstIndex(where: { $0.id == item.actionItemId }) { actionItems[index].completedAt = at }
        case .postmortemPublished:
            postmortem = .published
        case .corrected:
            correctionCount += 1
        case .retracted:
            retractionCount += 1
        case .accessGranted, .accessRevoked, .policySet, .templateDefined, .templateRevised, .templateRetired:
            break  // never in an incident's stream
        }
    }

    /// Sets the phase unless a later-happened event already set it.
    private mutating func setPhase(_ new: IncidentPhase, at time: Timestamp) {
        guard phaseSetAt.map({ time >= $0 }) ?? true else { return }
        phase = new
        phaseSetAt = time
    }

    /// Whether the incident is still open (not resolved, closed or merged).
    public var isOpen: Bool { phase != .resolved && phase != .closed }

    public var openActionItems: [ActionItem] { actionItems.filter { $0.completedAt == nil } }
}

/// The incident-state read model: one `IncidentSummary` per incident.
public enum IncidentStateProjection: Projection {
    public typealias State = IncidentSummary
    public static let name = "incident-state"
    /// 2: phase and mitigation follow when things happened, not when they were recorded; internal
    /// status updates no longer count as public ones.
    /// 3: stored in the compact byte form of `IncidentSummary+Bytes.swift` instead of JSON.
    /// 4: a message awaiting a reply keeps its customer's tier (the due list's first-reply target).
    public static let version: UInt32 = 4

    public static func encode(_ state: IncidentSummary) -> [UInt8] { state.encoded() }
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> IncidentSummary { try IncidentSummary(encoded: bytes) }

    /// Every stream but the ledger's own (``LedgerStream/access``), which holds no incident.
    public static func key(for record: RecordView) -> String? { LedgerStream.isReserved(record.stream) ? nil : record.stream }
    public static func initial(key: String) -> IncidentSummary { IncidentSummary(incident: key) }
    public static func apply(_ event: ProjectedEvent, to state: inout IncidentSummary) { state.apply(event) }
}

extension Array where Element: Comparable {
    /// Inserts `element` into this sorted array at its place, unless it is already there: a binary
    /// search instead of a scan and a sort on every insertion.
    mutating func insertSorted(_ element: Element) {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < element { low = middle + 1 } else { high = middle }
        }
        if low == endIndex || self[low] != element { insert(element, at: low) }
    }
}
