import LedgerModel

/// Every fact the ledger knows how to record, typed: projections switch over it exhaustively.
public enum IncidentEvent: Sendable, Hashable {
    // Lifecycle
    case declared(IncidentDeclared)
    case acknowledged(IncidentAcknowledged)
    case statusChanged(IncidentStatusChanged)
    case severityChanged(IncidentSeverityChanged)
    case scopeChanged(IncidentScopeChanged)
    case responderAssigned(ResponderAssigned)
    case responderReleased(ResponderReleased)
    case resolved(IncidentResolved)
    case reopened(IncidentReopened)
    case closed(IncidentClosed)
    case linked(IncidentLinked)
    case merged(IncidentMerged)
    case handedOff(IncidentHandedOff)
    // Customer communication
    case messageReceived(CustomerMessageReceived)
    case replySent(CustomerReplySent)
    case statusUpdatePublished(StatusUpdatePublished)
    case noteAdded(InternalNoteAdded)
    case stakeholdersNotified(StakeholdersNotified)
    // Escalation
    case escalationRaised(EscalationRaised)
    case escalationAcknowledged(EscalationAcknowledged)
    case escalationDeescalated(EscalationDeescalated)
    case escalationClosed(EscalationClosed)
    case sponsorshipEnrolled(SponsorshipEnrolled)
    case sponsorshipEnded(SponsorshipEnded)
    // Service levels
    case slaPolicyAttached(SLAPolicyAttached)
    // Satisfaction
    case surveySent(SurveySent)
    case surveyAnswered(SurveyAnswered)
    case surveyExpired(SurveyExpired)
    // Postmortem
    case postmortemStarted(PostmortemStarted)
    case rootCauseRecorded(RootCauseRecorded)
    case contributingFactorRecorded(ContributingFactorRecorded)
    case actionItemOpened(ActionItemOpened)
    case actionItemCompleted(ActionItemCompleted)
    case postmortemPublished(PostmortemPublished)
    case findingRecorded(PostmortemFindingRecorded)
    // Corrections
    case corrected(EventCorrected)
    case retracted(EventRetracted)
    // Access, in the ledger's own stream (``LedgerStream/access``), never in an incident's
    case accessGranted(AccessGranted)
    case accessRevoked(AccessRevoked)
    // The playbook, in the ledger's own stream (``LedgerStream/playbook``)
    case policySet(PlaybookPolicySet)
    // Templates, in the ledger's own stream (``LedgerStream/templates``)
    case templateDefined(TemplateDefined)
    case templateRevised(TemplateRevised)
    case templateRetired(TemplateRetired)

    /// The typed payload inside.
    public var payload: any EventPayload {
        switch self {
        case .declared(let payload): payload
        case .acknowledged(let payload): payload
        case .statusChanged(let payload): payload
        case .severityChanged(let payload): payload
        case .scopeChanged(let payload): payload
        case .responderAssigned(let payload): payload
        case .responderReleased(let payload): payload
        case .resolved(let payload): payload
        case .reopened(let payload): payload
        case .closed(let payload): payload
        case .linked(let payload): payload
        case .merged(let payload): payload
        case .handedOff(let payload): payload
        case .messageReceived(let payload): payload
        case .replySent(let payload): payload
        case .statusUpdatePublished(let payload): payload
        case .noteAdded(let payload): payload
        case .stakeholdersNotified(let payload): payload
        case .escalationRaised(let payload): payload
        case .escalationAcknowledged(let payload): payload
        case .escalationDeescalated(let payload): payload
        case .escalationClosed(let payload): payload
        case .sponsorshipEnrolled(let payload): payload
        case .sponsorshipEnded(let payload): payload
        case .slaPolicyAttached(let payload): payload
        case .surveySent(let payload): payload
        case .surveyAnswered(let payload): payload
        case .surveyExpired(let payload): payload
        case .postmortemStarted(let payload): payload
        case .rootCauseRecorded(let payload): payload
        case .contributingFactorRecorded(let payload): payload
        case .actionItemOpened(let payload): payload
        case .actionItemCompleted(let payload): payload
        case .postmortemPublished(let payload): payload
        case .findingRecorded(let payload): payload
        case .corrected(let payload): payload
        case .retracted(let payload): payload
        case .accessGranted(let payload): payload
        case .accessRevoked(let payload): payload
        case .policySet(let payload): payload
        case .templateDefined(let payload): payload
        case .templateRevised(let payload): payload
        case .templateRetired(let payload): payload
        }
    }

    /// Whether this is an access event, which belongs in ``LedgerStream/access`` and nowhere else.
    public var isAccess: Bool { ledgerStream == LedgerStream.access }

    /// The ledger's own stream this event belongs in (and no other stream takes it); nil for an incident's event.
    public var ledgerStream: String? {
        switch self {
        case .accessGranted, .accessRevoked: LedgerStream.access
        case .policySet: LedgerStream.playbook
        case .templateDefined, .templateRevised, .templateRetired: LedgerStream.templates
        default: nil
        }
    }
}

extension Catalog {
    /// Every event type at its current version, incident events and then the ledger's own: what
    /// the schemas and docs/events.md describe, and what the catalog decodes.
    public static let allEntries = entries + accessEntries + playbookEntries + templateEntries

    /// The entries of the events one of the ledger's own streams holds.
    public static func ledgerEntries(of stream: String) -> [Entry] {
        switch stream {
        case LedgerStream.access: accessEntries
        case LedgerStream.playbook: playbookEntries
        case LedgerStream.templates: templateEntries
        default: []
        }
    }

    /// The playbook's events, recorded only in ``LedgerStream/playbook`` by the policy's use case.
    public static let playbookEntries: [Entry] = [
        Entry(PlaybookPolicySet.self, family: "Playbook") { .policySet($0) },
    ]

    /// The template library's events, recorded only in ``LedgerStream/templates`` by the templates' use cases.
    public static let templateEntries: [Entry] = [
        Entry(TemplateDefined.self, family: "Templates") { .templateDefined($0) },
        Entry(TemplateRevised.self, family: "Templates") { .templateRevised($0) },
        Entry(TemplateRetired.self, family: "Templates") { .templateRetired($0) },
    ]

    /// The access events, recorded only in ``LedgerStream/access`` when a token is issued or revoked.
    public static let accessEntries: [Entry] = [
        Entry(AccessGranted.self, family: "Access") { .accessGranted($0) },
        Entry(AccessRevoked.self, family: "Access") { .accessRevoked($0) },
    ]

    /// Every event type of an incident at its current version, by family, in the order the
    /// documentation lists them (the access events follow them, in ``accessEntries``).
    public static let entries: [Entry] = [
        Entry(IncidentDeclared.self, family: "Lifecycle") { .declared($0) },
        Entry(IncidentAcknowledged.self, family: "Lifecycle") { .acknowledged($0) },
        Entry(IncidentStatusChanged.self, family: "Lifecycle") { .statusChanged($0) },
        Entry(IncidentSeverityChanged.self, family: "Lifecycle") { .severityChanged($0) },
        Entry(IncidentScopeChanged.self, family: "Lifecycle") { .scopeChanged($0) },
        Entry(ResponderAssigned.self, family: "Lifecycle") { .responderAssigned($0) },
        Entry(ResponderReleased.self, family: "Lifecycle") { .responderReleased($0) },
        Entry(IncidentResolved.self, family: "Lifecycle") { .resolved($0) },
        Entry(IncidentReopened.self, family: "Lifecycle") { .reopened($0) },
        Entry(IncidentClosed.self, family: "Lifecycle") { .closed($0) },
        Entry(IncidentLinked.self, family: "Lifecycle") { .linked($0) },
        Entry(IncidentMerged.self, family: "Lifecycle") { .merged($0) },
        Entry(IncidentHandedOff.self, family: "Lifecycle") { .handedOff($0) },
        Entry(CustomerMessageReceived.self, family: "Customer communication") { .messageReceived($0) },
        Entry(CustomerReplySent.self, family: "Customer communication") { .replySent($0) },
        Entry(StatusUpdatePublished.self, family: "Customer communication") { .statusUpdatePublished($0) },
        Entry(InternalNoteAdded.self, family: "Customer communication") { .noteAdded($0) },
        Entry(StakeholdersNotified.self, family: "Customer communication") { .stakeholdersNotified($0) },
        Entry(EscalationRaised.self, family: "Escalation") { .escalationRaised($0) },
        Entry(EscalationAcknowledged.self, family: "Escalation") { .escalationAcknowledged($0) },
        Entry(EscalationDeescalated.self, family: "Escalation") { .escalationDeescalated($0) },
        Entry(EscalationClosed.self, family: "Escalation") { .escalationClosed($0) },
        Entry(SponsorshipEnrolled.self, family: "Escalation") { .sponsorshipEnrolled($0) },
        Entry(SponsorshipEnded.self, family: "Escalation") { .sponsorshipEnded($0) },
        Entry(SLAPolicyAttached.self, family: "Service levels") { .slaPolicyAttached($0) },
        Entry(SurveySent.self, family: "Satisfaction") { .surveySent($0) },
        Entry(SurveyAnswered.self, family: "Satisfaction") { .surveyAnswered($0) },
        Entry(SurveyExpired.self, family: "Satisfaction") { .surveyExpired($0) },
        Entry(PostmortemStarted.self, family: "Postmortem") { .postmortemStarted($0) },
        Entry(RootCauseRecorded.self, family: "Postmortem") { .rootCauseRecorded($0) },
        Entry(ContributingFactorRecorded.self, family: "Postmortem") { .contributingFactorRecorded($0) },
        Entry(ActionItemOpened.self, family: "Postmortem") { .actionItemOpened($0) },
        Entry(ActionItemCompleted.self, family: "Postmortem") { .actionItemCompleted($0) },
        Entry(PostmortemPublished.self, family: "Postmortem") { .postmortemPublished($0) },
        Entry(PostmortemFindingRecorded.self, family: "Postmortem") { .findingRecorded($0) },
        Entry(EventCorrected.self, family: "Corrections") { .corrected($0) },
        Entry(EventRetracted.self, family: "Corrections") { .retracted($0) },
    ]
}
