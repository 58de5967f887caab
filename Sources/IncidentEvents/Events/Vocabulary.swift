/// How bad an incident is: sev1 is the worst (a full outage of a critical service), sev4 the mildest.
public enum Severity: String, PayloadEnum, Comparable {
    case sev1, sev2, sev3, sev4

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Whether an incident was unplanned or a scheduled maintenance announced in advance.
public enum IncidentKind: String, PayloadEnum {
    case unplanned
    case scheduledMaintenance = "scheduled_maintenance"
}

/// Which of an incident's times its source never recorded, as an importer found them: the clocks
/// that would start or stop at them are left out of the metrics with this reason, never measured.
public enum UnknownTimes: String, PayloadEnum {
    /// Back-filled: declared, updated and resolved at one instant, after the fact; the real timeline is
    /// only in the text, so no clock of the response is known.
    case all
    /// The start conflicts with the end (the resolution is before the declaration): the end stands,
    /// the clocks from the declaration are not known.
    case start

    /// The reason a metric gives for leaving out a clock that depends on these times.
    public var reason: String {
        switch self {
        case .all: "back-filled by the source: times not known"
        case .start: "start not known: the source's times conflict"
        }
    }
}

/// Whether an incident met its service level, as a source says: a claim kept beside the ledger's own
/// computation (the review compares the two), never used as a figure.
public enum SLAVerdict: String, PayloadEnum {
    case met
    case breached
}

public enum DetectionMethod: String, PayloadEnum {
    case monitoring
    case customerReport = "customer_report"
    case internalReport = "internal_report"
    case thirdParty = "third_party"
    case other
}

/// The incident's working status, in the vocabulary status pages use (resolution is its own event).
public enum IncidentStatus: String, PayloadEnum {
    case investigating, identified, mitigated, monitoring
}

/// The status a public update announces, including the maintenance states status pages use.
public enum PublicStatus: String, PayloadEnum {
    case investigating, identified, mitigated, monitoring, resolved, postmortem
    case scheduled
    case inProgress = "in_progress"
    case verifying, completed
}

public enum ResponderRole: String, PayloadEnum {
    case incidentCommander = "incident_commander"
    case communicationsLead = "communications_lead"
    case escalationManager = "escalation_manager"
    case engineer
    case support
}

public enum LinkRelation: String, PayloadEnum {
    case related
    case causedBy = "caused_by"
    case duplicateOf = "duplicate_of"
}

/// A channel a customer writes in on.
public enum MessageChannel: String, PayloadEnum {
    case email, phone, chat
    case socialMedia = "social_media"
    case ticket, other
}

/// A channel a status update is published on.
public enum UpdateChannel: String, PayloadEnum {
    case statusPage = "status_page"
    case email
    case socialMedia = "social_media"
    case inApp = "in_app"
    case sms
}

public enum Audience: String, PayloadEnum {
    case `public`
    case affectedCustomers = "affected_customers"
    case `internal`
}

public enum StakeholderGroup: String, PayloadEnum {
    case accountManagers = "account_managers"
    case customerSuccess = "customer_success"
    case executives, legal, partners
}

/// The escalation ladder, lowest first.
public enum EscalationLevel: String, PayloadEnum, Comparable {
    case support
    case escalationManager = "escalation_manager"
    case engineering
    case executive

    var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: EscalationLevel, rhs: EscalationLevel) -> Bool { lhs.rank < rhs.rank }
}

public enum EscalationReason: String, PayloadEnum {
    case severity
    case slaAtRisk = "sla_at_risk"
    case customerRequest = "customer_request"
    case threatToCancel = "threat_to_cancel"
    case legalThreat = "legal_threat"
    case other
}

/// The scale of a satisfaction survey.
public enum SurveyScale: String, PayloadEnum {
    /// Customer satisfaction, 1 (very unsatisfied) to 5 (very satisfied).
    case csat = "csat_1_5"
    /// Net promoter score, 0 to 10.
    case nps = "nps_0_10"

    public var range: ClosedRange<Int64> {
        switch self {
        case .csat: 1...5
        case .nps: 0...10
        }
    }
}

/// Whether a service-level clock runs all the time or only in business hours.
public enum ClockBasis: String, PayloadEnum {
    case calendar
    case businessHours = "business_hours"
}

public enum RootCauseCategory: String, PayloadEnum {
    case change, configuration, capacity, dependency
    case softwareDefect = "software_defect"
    case hardware
    case humanError = "human_error"
    case security, unknown, other
}
