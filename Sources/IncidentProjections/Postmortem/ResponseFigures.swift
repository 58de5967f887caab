public import IncidentEvents
public import LedgerModel

/// The response figures of one incident: how long each part of the response took, measured on the
/// incident's corrected history. This is the one definition of every per-incident clock; the
/// postmortem report prints it and the quarterly metrics aggregate it.
///
/// Every clock runs between two moments, each the `occurredAt` of an event or a time field of an
/// event's payload, always after corrections are applied and retracted events are removed
/// (``EffectiveHistory``). A clock whose start or stop is missing is not recorded (`seconds` is
/// nil), never zero. A clock can be negative when the ledger says the stop came before the start
/// (for example an acknowledgement dated before the detection); it is shown as it is, not hidden.
///
/// Moments are taken in the order things happened (`occurredAt`, ties by position), not in the
/// order they were recorded: late entries are normal, and a `mitigated` status filled in after the
/// resolution still stops the clock at the time it happened.
///
/// - *impact started*: `impactStartedAt` of `incident.declared`;
/// - *detected*: `detectedAt` of `incident.declared`;
/// - *declared*: the `occurredAt` of `incident.declared`;
/// - *acknowledged*: the earliest `incident.acknowledged`;
/// - *first public update*: the earliest public update (below) by the time it was posted: its
///   `postedAt` when the source says it went out later (or earlier) than the time it shows, else its
///   `occurredAt`. A back-dated post tells customers nothing until it is posted;
/// - *first escalation*: the earliest `escalation.raised`;
/// - *mitigated*: the earliest `incident.status_changed` to `mitigated`; when there is none, the
///   earliest `incident.resolved` stops the clock (and the stop's kind says `resolved`);
/// - *resolved*: the latest `incident.resolved`, unless an `incident.reopened` happened after it, in
///   which case the incident is open again and nothing is resolved.
///
/// A *public update* is a `status_update.published` whose audience is `public` or
/// `affected_customers`; updates for an `internal` audience are not public.
public struct ResponseFigures: Sendable, Hashable {
    /// Which instant a clock starts or stops at.
    public enum MomentKind: String, Sendable, Hashable, CaseIterable {
        case impactStarted = "impact_started"
        case detected
        case declared
        case acknowledged
        case firstPublicUpdate = "first_public_update"
        case firstEscalation = "first_escalation"
        case mitigated
        case resolved
        case messageReceived = "message_received"
        case firstReply = "first_reply"
        case threatToLeave = "threat_to_leave"
        case executiveContact = "executive_contact"
    }

    /// One instant of the response, and the event of the ledger that records it.
    public struct Moment: Sendable, Hashable {
        public var kind: MomentKind
        public var at: Timestamp
        /// The position of the event that records the instant (for impact started and detected, the
        /// declaration whose payload holds them).
        public var position: UInt64
        /// The positions of the corrections that changed the value this moment is read from, in
        /// the order they were recorded; empty when the recorded value stands.
        public var correctedBy: [UInt64]
        /// For a moment read from a status update's posting time (`postedAt`): the time the update
        /// shows (its `occurredAt`), when that differs; nil otherwise.
        public var shownAt: Timestamp?

        public init(kind: MomentKind, at: Timestamp, position: UInt64, correctedBy: [UInt64] = [], shownAt: Timestamp? = nil) {
            self.kind = kind
            self.at = at
            self.position = position
            self.correctedBy = correctedBy
            self.shownAt = shownAt
        }
    }

    /// A clock: from `start` to `stop`.
    public struct Figure: Sendable, Hashable {
        public var start: Moment?
        public var stop: Moment?

        public init(start: Moment?, stop: Moment?) {
            self.start = start
            self.stop = stop
        }

        /// Whole seconds from start to stop (truncated); nil when either is not recorded.
        public var seconds: Int64? {
            guard let start, let stop else { return nil }
            return (stop.at.microsecondsSinceEpoch - start.at.microsecondsSinceEpoch) / 1_000_000
        }
    }

    /// Time to first reply for one customer message: from `customer.message_received` to the earliest
    /// (by `occurredAt`) `customer.reply_sent` whose `inReplyTo` is the message's id.
    public struct FirstReply: Sendable, Hashable {
        public var messageId: String
        public var customer: String
        public var channel: MessageChannel
        public var tier: String?
        public var threatensToLeave: Bool
        /// Start: the message; stop: the first reply, nil while unanswered.
        public var figure: Figure
        public var isAnswered: Bool { figure.stop != nil }
    }

    /// How a gap between public updates ended.
    public enum GapEnd: String, Sendable, Hashable {
        /// The next public update.
        case nextUpdate = "next_update"
        /// The incident was resolved (or closed) before another update came.
        case resolution
        /// The incident is still open and no update has come since, up to the `asOf` given.
        case ledgerEnd = "ledger_end"
    }

    /// The time customers waited for news after one public update, while the incident was open.
    public struct UpdateGap: Sendable, Hashable {
        /// The position of the update the gap follows.
        public var afterPosition: UInt64
        public var from: Timestamp
        public var to: Timestamp
        public var endedBy: GapEnd
        public var seconds: Int64 { (to.microsecondsSinceEpoch - from.microsecondsSinceEpoch) / 1_000_000 }
    }

    /// The promises of a next update (`nextUpdateBy`) and how they went; see ``Timeline/promises(_:asOf:)``.
    public struct UpdatePromises: Sendable, Hashable {
        /// Public status updates that promised a next update.
        public var made: Int
        /// Promises kept: the next status update (or the resolution) came by the time promised.
        public var kept: Int
        /// Promises not yet due: no update since, the incident open, the time promised not before the
        /// `asOf` given.
        public var pending: Int
        /// Promises missed, late or still outstanding.
        public var missed: [Timeline.MissedUpdate]
        /// The time promised by the last update when nothing has fulfilled it yet (no update since,
        /// the incident open), whether or not it is past: a report judges it against its own time.
        public var outstanding: Timestamp?
        /// Every promise with its outcome, in the order the updates happened.
        public var outcomes: [Timeline.Promise] = []
    }

    /// The last resolution time promised to customers against the actual resolution.
    public struct ETAComparison: Sendable, Hashable {
        /// The last `etaAt` given, by the latest public update (by `occurredAt`) that gave one.
        public var eta: Timestamp
        /// The position and time of the update that gave it.
        public var promisedIn: UInt64
        public var promisedAt: Timestamp
        /// How many public updates gave an ETA.
        public var etasGiven: Int
        /// The resolution, nil while unresolved.
        public var resolved: Moment?
        /// Resolution minus ETA in whole seconds: positive when resolved after the ETA.
        public var lateBySeconds: Int64? {
            resolved.map { ($0.at.microsecondsSinceEpoch - eta.microsecondsSinceEpoch) / 1_000_000 }
        }
    }

    /// Impact started (or, when that is not recorded, declared) → resolved. The incident's duration.
    public var duration: Figure
    /// Impact started → detected.
    public var timeToDetect: Figure
    /// Detected (or, when that is not recorded, declared) → acknowledged.
    public var timeToAcknowledge: Figure
    /// Impact started → the first public update (earliest posting time).
    public var timeToFirstPublicUpdateFromImpact: Figure
    /// Declared → the first public update (earliest posting time).
    public var timeToFirstPublicUpdateFromDeclaration: Figure
    /// Declared → the first escalation.
    public var timeToEscalate: Figure
    /// Impact started → mitigated.
    public var timeToMitigateFromImpact: Figure
    /// Declared → mitigated.
    public var timeToMitigateFromDeclaration: Figure
    /// Impact started → resolved.
    public var timeToResolveFromImpact: Figure
    /// Declared → resolved.
    public var timeToResolveFromDeclaration: Figure
    /// Time to first reply for each customer message, in the order the messages were received.
    public var firstReplies: [FirstReply]
    /// The gaps after each public update published while the incident was open, in time order.
    ///
    /// A gap runs from a public update published while the incident was open (declared or reopened,
    /// not yet resolved, closed or merged, in the order they were recorded) to the next public
    /// update, or to the end of that open period if it ended first, or — when the incident is still
    /// open — to `asOf`. Updates published while the incident was not open start no gap.
    public var updateGaps: [UpdateGap]
    public var updatePromises: UpdatePromises
    /// The last ETA promised against the resolution; nil when no public update gave an ETA.
    public var eta: ETAComparison?
    /// The times the incident's source never recorded (`unknownTimes` of the declaration): the
    /// clocks that depend on them are not known, whatever their moments say.
    public var unknownTimes: UnknownTimes?
    /// Public status updates (audience public or affected customers), wherever they fall in time.
    public var publicUpdates = 0
    /// What the incident touched, after every change in the order things happened (``Scope``).
    public var scope = Scope()
    /// Every survey sent, in the order sent, with its answer.
    public var surveys: [SurveyOutcome] = []
    /// Every action item opened, in the order opened.
    public var actionItems: [ActionItemOutcome] = []
    /// Enrolments in and departures from the executive sponsorship programme, in time order.
    public var sponsorshipChanges: [SponsorshipChange] = []
    /// For each customer who threatened to leave: the time to an executive's contact.
    public var executiveContacts: [ExecutiveContact] = []

    /// The longest of ``updateGaps`` (the earliest of equals); nil when there was no public update while open.
    public var longestUpdateGap: UpdateGap? {
        updateGaps.reduce(nil) { longest, gap in
            guard let longest else { return gap }
            return gap.seconds > longest.seconds ? gap : longest
        }
    }

    /// Computes the figures of one incident.
    ///
    /// - Parameters:
    ///   - history: the incident's corrected history, in stream order (``EffectiveHistory/events(of:upToVersion:in:)``).
    ///   - asOf: the "now" of the figures, the time the report is made, passed in by the caller: gaps
    ///     and promises of a still-open incident are measured up to it. A closed incident's figures
    ///     never depend on it (action items keep their due time; each report judges them).
    public static func compute(history: [ProjectedEvent], asOf: Timestamp) -> ResponseFigures {
        let corrections = correctionsByField(history)
        func corrected(_ event: ProjectedEvent, fields: [String]) -> [UInt64] {
            let byField = corrections[event.recorded.position] ?? [:]
            return Array(Set(fields.flatMap { byField[$0] ?? [] })).sorted()
        }
        let byTime = history.sorted { ($0.recorded.occurredAt, $0.recorded.position) < ($1.recorded.occurredAt, $1.recorded.position) }
        /// The moment of an event.
        func moment(_ kind: MomentKind, _ event: ProjectedEvent?, fields: [String] = []) -> Moment? {
            event.map { Moment(kind: kind, at: $0.recorded.occurredAt, position: $0.recorded.position, correctedBy: corrected($0, fields: fields)) }
        }

        // The declaration and the moments its payload holds.
        var declared: Moment?
        var unknownTimes: UnknownTimes?
        var impactStarted: Moment?
        var detected: Moment?
        if let declaration = byTime.first(where: { if case .declared? = $0.event { true } else { false } }),
            case .declared(let payload)? = declaration.event
        {
            let position = declaration.recorded.position
            declared = Moment(kind: .declared, at: declaration.recorded.occurredAt, position: position)
            unknownTimes = payload.unknownTimes
            impactStarted = payload.impactStartedAt.map { Moment(kind: .impactStarted, at: $0, position: position, correctedBy: corrected(declaration, fields: ["impactStartedAt"])) }
            detected = payload.detectedAt.map { Moment(kind: .detected, at: $0, position: position, correctedBy: corrected(declaration, fields: ["detectedAt"])) }
        }

        let acknowledged = moment(.acknowledged, byTime.first { if case .acknowledged? = $0.event { true } else { false } })
        let firstEscalation = moment(.firstEscalation, byTime.first { if case .escalationRaised? = $0.event { true } else { false } })
        let firstResolution = byTime.first { if case .resolved? = $0.event { true } else { false } }
        let mitigated =
            moment(.mitigated, byTime.first { if case .statusChanged(let change)? = $0.event { change.status == .mitigated } else { false } }, fields: ["status"])
            ?? moment(.resolved, firstResolution)
        // The latest resolution stands unless a reopening came after it.
        var resolution: ProjectedEvent?
        for event in byTime {
            switch event.event {
            case .resolved?: resolution = event
            case .reopened?: resolution = nil
            default: break
            }
        }
        let resolved = moment(.resolved, resolution)

        // Public updates, by time.
        let publicUpdates = history.compactMap { event -> (event: ProjectedEvent, update: StatusUpdatePublished)? in
            guard case .statusUpdatePublished(let update)? = event.event, update.audience != .internal else { return nil }
            return (event, update)
        }.sorted { ($0.event.recorded.occurredAt, $0.event.recorded.position) < ($1.event.recorded.occurredAt, $1.event.recorded.position) }
        // The first public update is the first customers could see: by the time it was posted.
        let firstPublicUpdate = publicUpdates.min {
            ($0.update.postedTime(shownAt: $0.event.recorded.occurredAt), $0.event.recorded.position)
                < ($1.update.postedTime(shownAt: $1.event.recorded.occurredAt), $1.event.recorded.position)
        }.map { first in
            let shown = first.event.recorded.occurredAt
            let posted = first.update.postedTime(shownAt: shown)
            return Moment(
                kind: .firstPublicUpdate, at: posted, position: first.event.recorded.position,
                correctedBy: corrected(first.event, fields: ["audience", "postedAt"]), shownAt: posted == shown ? nil : shown)
        }

        var figures = ResponseFigures(
            duration: Figure(start: impactStarted ?? declared, stop: resolved),
            timeToDetect: Figure(start: impactStarted, stop: detected),
            timeToAcknowledge: Figure(start: detected ?? declared, stop: acknowledged),
            timeToFirstPublicUpdateFromImpact: Figure(start: impactStarted, stop: firstPublicUpdate),
            timeToFirstPublicUpdateFromDeclaration: Figure(start: declared, stop: firstPublicUpdate),
            timeToEscalate: Figure(start: declared, stop: firstEscalation),
            timeToMitigateFromImpact: Figure(start: impactStarted, stop: mitigated),
            timeToMitigateFromDeclaration: Figure(start: declared, stop: mitigated),
            timeToResolveFromImpact: Figure(start: impactStarted, stop: resolved),
            timeToResolveFromDeclaration: Figure(start: declared, stop: resolved),
            firstReplies: [], updateGaps: [],
            updatePromises: UpdatePromises(made: 0, kept: 0, pending: 0, missed: [], outstanding: nil, outcomes: []), eta: nil, unknownTimes: unknownTimes)

        figures.firstReplies = firstReplies(history, corrected: corrected)
        figures.publicUpdates = publicUpdates.count
        figures.scope = scope(byTime, customersWhoWroteIn: Set(figures.firstReplies.map(\.customer)).count)
        figures.surveys = surveys(byTime)
        figures.actionItems = actionItems(byTime)
        figures.sponsorshipChanges = sponsorshipChanges(byTime)
        figures.executiveContacts = executiveContacts(byTime)
        figures.updateGaps = updateGaps(publicUpdates.map { ($0.event.recorded.position, $0.event.recorded.occurredAt) }, openPeriods: openPeriods(history), asOf: asOf)
        figures.updatePromises = promises(history, asOf: asOf)
        if let last = publicUpdates.last(where: { $0.update.etaAt != nil }), let eta = last.update.etaAt {
            figures.eta = ETAComparison(
                eta: eta, promisedIn: last.event.recorded.position, promisedAt: last.event.recorded.occurredAt,
                etasGiven: publicUpdates.count { $0.update.etaAt != nil }, resolved: resolved)
        }
        return figures
    }

    /// For each corrected event's position: each payload field corrected, with the corrections' positions.
    static func correctionsByField(_ history: [ProjectedEvent]) -> [UInt64: [String: [UInt64]]] {
        var out = [UInt64: [String: [UInt64]]]()
        for event in history where !event.corrections.isEmpty {
            for correction in event.corrections {
                guard case .corrected(let payload)? = try? Catalog.decode(correction) else { continue }
                for field in payload.fields.keys { out[event.recorded.position, default: [:]][field, default: []].append(correction.position) }
            }
        }
        return out
    }

    static func firstReplies(_ history: [ProjectedEvent], corrected: (ProjectedEvent, [String]) -> [UInt64]) -> [FirstReply] {
        var replies = [String: ProjectedEvent]()
        for event in history {
            guard case .replySent(let reply)? = event.event else { continue }
            if let earlier = replies[reply.inReplyTo], (earlier.recorded.occurredAt, earlier.recorded.position) <= (event.recorded.occurredAt, event.recorded.position) {
                continue
            }
            replies[reply.inReplyTo] = event
        }
        var out = [FirstReply]()
        for event in history {
            guard case .messageReceived(let message)? = event.event else { continue }
            let start = Moment(kind: .messageReceived, at: event.recorded.occurredAt, position: event.recorded.position, correctedBy: corrected(event, ["messageId"]))
            let stop = replies[message.messageId].map {
                Moment(kind: .firstReply, at: $0.recorded.occurredAt, position: $0.recorded.position, correctedBy: corrected($0, ["inReplyTo"]))
            }
            out.append(FirstReply(
                messageId: message.messageId, customer: message.customer, channel: message.channel, tier: message.tier,
                threatensToLeave: message.threatensToLeave == true, figure: Figure(start: start, stop: stop)))
        }
        return out.sorted { ($0.figure.start!.at, $0.figure.start!.position) < ($1.figure.start!.at, $1.figure.start!.position) }
    }

    /// The periods the incident was open: from the declaration or a reopening to the resolution,
    /// closure or merge that ended it (nil: still open). `history` is in stream order, the order the
    /// rules accepted the lifecycle in: a resolution dated before the declaration it ends still ends
    /// it (at the declaration, so the period is empty), and a period never starts before the end of
    /// the one before it.
    static func openPeriods(_ history: [ProjectedEvent]) -> [(start: Timestamp, end: Timestamp?)] {
        var periods = [(start: Timestamp, end: Timestamp?)]()
        for event in history {
            let at = event.recorded.occurredAt
            switch event.event {
            case .declared?, .reopened?:
                if let last = periods.last, let end = last.end {
                    periods.append((max(at, end), nil))
                } else if periods.isEmpty {
                    periods.append((at, nil))
                }
            case .resolved?, .closed?, .merged?:
                if let last = periods.last, last.end == nil { periods[periods.count - 1].end = max(at, last.start) }
            default:
                break
            }
        }
        return periods
    }

    static func updateGaps(_ updates: [(position: UInt64, at: Timestamp)], openPeriods: [(start: Timestamp, end: Timestamp?)], asOf: Timestamp) -> [UpdateGap] {
        var gaps = [UpdateGap]()
        for (index, update) in updates.enumerated() {
            guard let period = openPeriods.first(where: { $0.start <= update.at && ($0.end.map { update.at < $0 } ?? true) }) else { continue }
            let next = index + 1 < updates.count ? updates[index + 1].at : nil
            if let next, period.end.map({ next <= $0 }) ?? true {
                gaps.append(UpdateGap(afterPosition: update.position, from: update.at, to: next, endedBy: .nextUpdate))
            } else if let end = period.end {
                gaps.append(UpdateGap(afterPosition: update.position, from: update.at, to: end, endedBy: .resolution))
            } else {
                gaps.append(UpdateGap(afterPosition: update.position, from: update.at, to: max(asOf, update.at), endedBy: .ledgerEnd))
            }
        }
        return gaps
    }

    static func promises(_ history: [ProjectedEvent], asOf: Timestamp) -> UpdatePromises {
        let promises = Timeline.promises(history, asOf: asOf)
        let missed = promises.filter { $0.outcome == .missed }.map {
            Timeline.MissedUpdate(promisedIn: $0.promisedIn, promisedBy: $0.promisedBy, fulfilledAt: $0.fulfilledAt, lateBySeconds: $0.lateBySeconds)
        }
        return UpdatePromises(
            made: promises.count, kept: promises.count { $0.outcome == .kept }, pending: promises.count { $0.outcome == .pending }, missed: missed,
            outstanding: promises.last { $0.fulfilledAt == nil }?.promisedBy, outcomes: promises)
    }
}
