public import IncidentEvents
public import LedgerModel

/// The per-incident figures besides the clocks: scope, customers affected, surveys and action items.
/// Each is defined here once; the postmortem prints them and the metrics (through
/// `IncidentMetricFacts`) count them, so a report and a metric never say two things of one incident.
extension ResponseFigures {
    /// How many customers the incident affected, and where the number comes from.
    public struct CustomersAffected: Sendable, Hashable {
        public var count: Int64
        /// The position of the scope change that recorded the number; nil when no scope change gave
        /// one and the count is the distinct customers who wrote in.
        public var recordedIn: UInt64?
    }

    /// What the incident touched: the declaration's values, each replaced by the latest change that gives
    /// one, in the order things happened (`occurredAt`, ties by position).
    public struct Scope: Sendable, Hashable {
        /// The final severity: the declaration's, else the latest `incident.severity_changed`.
        public var severity: Severity?
        /// The declaration's, replaced by each `incident.scope_changed` that names any.
        public var services: [String] = []
        public var regions: [String] = []
        public var customerSegments: [String] = []
        /// `customersAffected` of the latest scope change that gave it; when none did, the distinct
        /// customers who wrote in; nil (not recorded) when none did either.
        public var customersAffected: CustomersAffected?

        public init() {}
    }

    /// A survey sent about the incident and its answer.
    public struct SurveyOutcome: Sendable, Hashable {
        public var surveyId: String
        public var customer: String
        public var scale: SurveyScale
        /// The answer's score (the latest answer); nil when unanswered.
        public var score: Int64?
        /// Expired (`survey.expired`) without an answer.
        public var expired: Bool
    }

    /// A postmortem action item and when it was done.
    public struct ActionItemOutcome: Sendable, Hashable {
        public var actionItemId: String
        public var dueAt: Timestamp
        /// The earliest `postmortem.action_item_completed`; nil while open.
        public var completedAt: Timestamp?

        /// Overdue at `asOf` (microseconds): not completed, and due before it.
        public static func isOverdue(dueAt: Int64, completedAt: Int64?, asOf: Int64) -> Bool {
            completedAt == nil && dueAt < asOf
        }
    }

    static func scope(_ byTime: [ProjectedEvent], customersWhoWroteIn: Int) -> Scope {
        var scope = Scope()
        var declared = false
        for event in byTime {
            switch event.event {
            case .declared(let declaration)? where !declared:
                declared = true
                scope.severity = declaration.severity
                scope.services = declaration.services
                scope.regions = declaration.regions
                scope.customerSegments = declaration.customerSegments
            case .severityChanged(let change)?:
                scope.severity = change.severity
            case .scopeChanged(let change)?:
                if !change.services.isEmpty { scope.services = change.services }
                if !change.regions.isEmpty { scope.regions = change.regions }
                if !change.customerSegments.isEmpty { scope.customerSegments = change.customerSegments }
                if let affected = change.customersAffected { scope.customersAffected = CustomersAffected(count: affected, recordedIn: event.recorded.position) }
            default:
                break
            }
        }
        if scope.customersAffected == nil, customersWhoWroteIn > 0 {
            scope.customersAffected = CustomersAffected(count: Int64(customersWhoWroteIn), recordedIn: nil)
        }
        return scope
    }

    static func surveys(_ byTime: [ProjectedEvent]) -> [SurveyOutcome] {
        var surveys = [SurveyOutcome]()
        var index = [String: Int]()
        var expired = Set<String>()
        for event in byTime {
            switch event.event {
            case .surveySent(let sent)?:
                index[sent.surveyId] = surveys.count
                surveys.append(SurveyOutcome(surveyId: sent.surveyId, customer: sent.customer, scale: sent.scale, score: nil, expired: false))
            case .surveyAnswered(let answer)?:
                if let at = index[answer.surveyId] { surveys[at].score = answer.score }
            case .surveyExpired(let expiry)?:
                expired.insert(expiry.surveyId)
            default:
                break
            }
        }
        for at in surveys.indices where surveys[at].score == nil && expired.contains(surveys[at].surveyId) { surveys[at].expired = true }
        return surveys
    }

    static func actionItems(_ byTime: [ProjectedEvent]) -> [ActionItemOutcome] {
        var items = [ActionItemOutcome]()
        var index = [String: Int]()
        for event in byTime {
            switch event.event {
            case .actionItemOpened(let item)?:
                index[item.actionItemId] = items.count
                items.append(ActionItemOutcome(actionItemId: item.actionItemId, dueAt: item.dueAt, completedAt: nil))
            case .actionItemCompleted(let done)?:
                if let at = index[done.actionItemId], items[at].completedAt == nil { items[at].completedAt = event.recorded.occurredAt }
            default:
                break
            }
        }
        return items
    }
}
