public import IncidentEvents

/// What the metrics need to know about one incident, derived from its corrected history by
/// ``IncidentMetricsProjection``. Every clock comes from ``ResponseFigures``, the one definition of
/// the per-incident clocks; this type only keeps its moments, so that a review can measure them in
/// calendar time or in any business-hours calendar without reading the log again.
///
/// Instants are microseconds since 1970-01-01T00:00:00Z (nil: not recorded).
public struct IncidentMetricFacts: Codable, Equatable, Sendable {
    /// One customer message and its first reply.
    public struct Message: Codable, Equatable, Sendable {
        public var customer: String
        public var channel: MessageChannel
        public var tier: String?
        public var threatensToLeave: Bool
        public var received: Int64
        public var firstReply: Int64?

        public init(customer: String, channel: MessageChannel, tier: String? = nil, threatensToLeave: Bool, received: Int64, firstReply: Int64? = nil) {
            self.customer = customer
            self.channel = channel
            self.tier = tier
            self.threatensToLeave = threatensToLeave
            self.received = received
            self.firstReply = firstReply
        }
    }

    /// The time customers waited for news after one public update, while the incident was open.
    public struct Gap: Codable, Equatable, Sendable {
        public var from: Int64
        public var to: Int64

        public init(from: Int64, to: Int64) {
            self.from = from
            self.to = to
        }
    }

    /// A stretch of time an escalation spent at one level: from being raised (or moved) to that
    /// level until it moved again, was closed, or the incident was resolved (nil: still there).
    public struct LevelSpell: Codable, Equatable, Sendable {
        public var level: EscalationLevel
        public var reason: EscalationReason
        public var from: Int64
        public var to: Int64?

        public init(level: EscalationLevel, reason: EscalationReason, from: Int64, to: Int64? = nil) {
            self.level = level
            self.reason = reason
            self.from = from
            self.to = to
        }
    }

    /// An `escalation.raised`.
    public struct Escalation: Codable, Equatable, Sendable {
        public var level: EscalationLevel
        public var reason: EscalationReason
        public var customer: String?
        public var at: Int64

        public init(level: EscalationLevel, reason: EscalationReason, customer: String? = nil, at: Int64) {
            self.level = level
            self.reason = reason
            self.customer = customer
            self.at = at
        }
    }

    /// An SLA policy attached to the incident, with its targets for the incident's severity.
    public struct Policy: Codable, Equatable, Sendable {
        public var policyId: String
        public var name: String
        public var customer: String?
        public var clock: ClockBasis
        public var calendar: String?
        public var firstResponseMinutes: Int64?
        public var updateCadenceMinutes: Int64?
        public var resolutionMinutes: Int64?

        public init(policyId: String, name: String, customer: String? = nil, clock: ClockBasis, calendar: String? = nil, firstResponseMinutes: Int64? = nil, updateCadenceMinutes: Int64? = nil, resolutionMinutes: Int64? = nil) {
            self.policyId = policyId
            self.name = name
            self.customer = customer
            self.clock = clock
            self.calendar = calendar
            self.firstResponseMinutes = firstResponseMinutes
            self.updateCadenceMinutes = updateCadenceMinutes
            self.resolutionMinutes = resolutionMinutes
        }
    }

    public struct Survey: Codable, Equatable, Sendable {
        public var scale: SurveyScale
        public var score: Int64?
        public var expired: Bool
        /// The customer it was sent to.
        public var customer: String

        public init(scale: SurveyScale, score: Int64? = nil, expired: Bool, customer: String = "") {
            self.scale = scale
            self.score = score
            self.expired = expired
            self.customer = customer
        }
    }

    /// An enrolment in (with its sponsor) or departure from (no sponsor) the executive sponsorship programme.
    public struct SponsorshipChange: Codable, Equatable, Sendable {
        public var customer: String
        public var sponsor: String?
        public var at: Int64
        /// The event's ledger position: changes at one instant in several incidents are taken in the log's order.
        public var position: Int64

        public init(customer: String, sponsor: String?, at: Int64, position: Int64) {
            self.customer = customer
            self.sponsor = sponsor
            self.at = at
            self.position = position
        }
    }

    /// A customer's earliest threat to leave in the incident and the executive contact that followed
    /// (``ResponseFigures/ExecutiveContact``).
    public struct ExecutiveContact: Codable, Equatable, Sendable {
        public var customer: String
        public var threatened: Int64
        public var contacted: Int64?

        public init(customer: String, threatened: Int64, contacted: Int64? = nil) {
            self.customer = customer
            self.threatened = threatened
            self.contacted = contacted
        }
    }

    public struct ActionItem: Codable, Equatable, Sendable {
        public var due: Int64
        public var completed: Int64?

        public init(due: Int64, completed: Int64? = nil) {
            self.due = due
            self.completed = completed
        }
    }

    public var incident: String
    public var title: String?
    public var kind: IncidentKind?
    /// The severity after every change: the one its SLA targets are read for.
    public var severity: Severity?
    public var services: [String] = []
    public var customerSegments: [String] = []
    /// The regions of the final scope.
    public var regions: [String] = []

    /// The times the source never recorded (`unknownTimes` of the declaration): the clocks that
    /// depend on them are left out with its reason.
    public var unknownTimes: UnknownTimes?

    // The moments of ResponseFigures.
    public var declared: Int64?
    public var impactStarted: Int64?
    public var detected: Int64?
    public var acknowledged: Int64?
    /// The earliest public update by the time it was posted (`postedAt`, else the time it shows).
    public var firstPublicUpdate: Int64?
    public var firstEscalation: Int64?
    /// The earliest `mitigated` status, or the first resolution when none was recorded.
    public var mitigated: Int64?
    /// The standing resolution; nil while the incident is open (never resolved, or reopened since).
    public var resolved: Int64?

    public var publicUpdates = 0
    /// Gaps between public updates; only kept once the incident is resolved (while it is open the
    /// last gap is still growing).
    public var gaps: [Gap] = []
    public var promisesMade = 0
    public var promisesKept = 0
    /// Promises not fulfilled yet (0 or 1: only the last update's can be); judged against the report's time.
    public var promisesPending = 0
    /// Promises fulfilled late.
    public var promisesMissed = 0
    /// The time the pending promise falls due: a report made after it counts the promise missed.
    public var pendingPromiseDue: Int64?
    /// Resolution minus the last ETA given, in seconds; nil when no ETA was given or unresolved.
    public var etaLateBySeconds: Int64?

    public var messages: [Message] = []
    /// ``ResponseFigures/Scope/customersAffected``: of the latest scope change that gave it, else the
    /// customers who wrote in; nil when neither.
    public var customersAffected: Int64?
    public var escalations: [Escalation] = []
    public var levelSpells: [LevelSpell] = []
    public var policies: [Policy] = []

    public var plannedStart: Int64?
    public var plannedEnd: Int64?
    /// The first public update with status `in_progress`: when a maintenance began, as customers were told.
    public var maintenanceStarted: Int64?

    public var surveys: [Survey] = []
    public var postmortemPublished: Int64?
    public var actionItems: [ActionItem] = []
    /// The source's own SLA verdict on the standing resolution (`sourceSLA` of incident.resolved), a claim the review compares with the ledger's.
    public var sourceSLA: SLAVerdict?
    /// Enrolments in and departures from the executive sponsorship programme recorded in the incident.
    public var sponsorshipChanges: [SponsorshipChange] = []
    /// Each customer who threatened to leave, and when an executive was in contact.
    public var executiveContacts: [ExecutiveContact] = []

    public init(incident: String) { self.incident = incident }

    public var isResolved: Bool { resolved != nil }
}
