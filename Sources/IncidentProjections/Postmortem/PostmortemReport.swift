public import IncidentEvents
public import LedgerModel
public import LedgerStore

/// Everything the postmortem report of one incident holds, read from the ledger alone.
///
/// It is built from one read snapshot and the time the report is made, which the caller passes in
/// (``Source/asOf``: the command line's `--as-of`, else the wall clock): "now", where a report needs
/// one (an overdue action item, a promise still outstanding, the gap after the last update of an
/// open incident), is that time, so the same ledger and report time give the same report. The renderers
/// (`PostmortemMarkdown`, `PostmortemHTML`, `PostmortemJSON`, in IncidentReports) only format it.
public struct PostmortemReport: Sendable {
    /// Bumped when the report's content or JSON shape changes.
    /// 2: the report time (`source.asOf`) is the caller's, beside the ledger's last recorded time;
    /// status updates' posting times (`postedAt`, `shownAt`).
    /// 3: the review's findings as recorded (`postmortem.finding_recorded`), and the hand-offs; the playbook's rules each event broke (`playbookFindings`): one version, as both came in one release.
    public static let formatVersion = 3

    /// Where in the ledger the report was built from.
    public struct Source: Sendable, Hashable {
        /// The ledger's head: its last position and chain-head hash.
        public var headPosition: UInt64
        public var headHash: Hash256
        /// The time the report is made: its "now", against which promises and action items are judged.
        public var asOf: Timestamp
        /// The head's `recordedAt`: the ledger's last recorded time.
        public var lastRecorded: Timestamp
        /// The position of the incident's last event.
        public var incidentLastPosition: UInt64
        /// How many events the incident has, corrections and retractions included.
        public var incidentEventCount: Int
        public var correctionCount: Int
        public var retractionCount: Int
    }

    /// One public status update (audience public or affected customers), as published.
    public struct PublicUpdate: Sendable, Hashable {
        /// 1, 2, 3 … in time order: "U1" in the picture.
        public var number: Int
        public var position: UInt64
        public var at: Timestamp
        public var recordedAt: Timestamp
        /// When the status page (or other source) recorded it, if the event says.
        public var sourceRecordedAt: Timestamp?
        public var actor: String
        public var status: PublicStatus
        public var audience: Audience
        public var channels: [UpdateChannel]
        public var text: String
        public var nextUpdateBy: Timestamp?
        public var etaAt: Timestamp?
        /// When it was really posted, when that differs from the time it shows (`at`).
        public var postedAt: Timestamp?
        public var correctedBy: [UInt64]
        /// Known more than ``Timeline/lateEntrySeconds`` after it was published (``Timeline/isLate(_:occurredAt:)``).
        public var isLate: Bool
        /// This update's promise of a next update, when it was not kept.
        public var missedPromise: Timeline.MissedUpdate?
        /// How its promise of a next update went; nil when it made none.
        public var promise: PromiseOutcome?

        /// When it became known: its source's record time, else the ledger's.
        public var knownAt: Timestamp { sourceRecordedAt ?? recordedAt }
    }

    /// How a promise of a next update went, as ``ResponseFigures/UpdatePromises`` counts it.
    public typealias PromiseOutcome = Timeline.PromiseOutcome

    /// A customer message and the replies to it.
    public struct CustomerMessage: Sendable, Hashable {
        public var messageId: String
        public var position: UInt64
        public var at: Timestamp
        public var customer: String
        public var tier: String?
        public var channel: MessageChannel
        public var subject: String?
        public var threatensToLeave: Bool
        /// Every reply, in time order.
        public var replies: [Timestamp]
    }

    public struct Escalation: Sendable, Hashable {
        public enum StepKind: String, Sendable, Hashable {
            case acknowledged, deescalated, closed
        }

        /// What happened to an escalation after it was raised.
        public struct Step: Sendable, Hashable {
            public var kind: StepKind
            public var at: Timestamp
            public var position: UInt64
            /// Who took it on, why it went down, or how it ended.
            public var text: String
            /// The level it went down to.
            public var level: EscalationLevel?
        }

        public var id: String
        public var position: UInt64
        public var raisedAt: Timestamp
        public var fromLevel: EscalationLevel
        public var toLevel: EscalationLevel
        public var reason: EscalationReason
        public var customer: String?
        public var note: String?
        public var steps: [Step]
        public var closedAt: Timestamp? { steps.last { $0.kind == .closed }?.at }
    }

    public struct Survey: Sendable, Hashable {
        public var id: String
        public var customer: String
        public var channel: MessageChannel
        public var scale: SurveyScale
        public var sentAt: Timestamp
        public var score: Int64?
        public var comment: String?
        public var answeredAt: Timestamp?
        public var expiredAt: Timestamp?
    }

    public struct ActionItem: Sendable, Hashable {
        public enum State: String, Sendable, Hashable {
            case open, done, overdue
        }

        public var id: String
        public var title: String
        public var owner: String
        public var dueAt: Timestamp
        public var openedAt: Timestamp
        public var position: UInt64
        public var completedAt: Timestamp?
        public var completionNote: String?
        /// Done when completed; overdue when open and due before the report time; else open.
        public var state: State
    }

    /// The incident entered `phase` at `from` (and stayed until the next phase's `from`).
    public struct Phase: Sendable, Hashable {
        public var phase: IncidentPhase
        public var from: Timestamp
        public var position: UInt64
    }

    public struct Finding: Sendable, Hashable {
        public var at: Timestamp
        public var position: UInt64
        public var text: String
        public var correctedBy: [UInt64]
    }

    public struct RootCause: Sendable, Hashable {
        public var finding: Finding
        public var category: RootCauseCategory
    }

    /// A finding of the review (`postmortem.finding_recorded`), under its heading.
    public struct ReviewFinding: Sendable, Hashable {
        public var kind: PostmortemFindingKind
        public var finding: Finding
        /// Who raised it: the payload's author, else the id of the event's actor.
        public var author: String
    }

    /// The incident handed from one responder to the next (`incident.handed_off`); the JSON form writes it as it is.
    public struct HandOff: Sendable, Hashable, Codable {
        public var at: Timestamp
        public var position: UInt64
        public var from: String
        public var to: String
        public var fromShift: String?
        public var toShift: String?
        public var summary: String
        public var correctedBy: [UInt64]
    }

    /// A customer of the incident in the executive sponsorship programme, with their sponsor.
    public struct SponsoredCustomer: Sendable, Hashable {
        public var customer: String
        public var sponsor: String
    }

    /// The postmortem as recorded: owner, root cause, contributing factors, action items, publication.
    public struct Review: Sendable, Hashable {
        public var owner: String?
        public var startedAt: Timestamp?
        public var dueAt: Timestamp?
        /// The last root cause recorded.
        public var rootCause: RootCause?
        public var contributingFactors: [Finding] = []
        public var actionItems: [ActionItem] = []
        public var publishedAt: Timestamp?
        public var documentUrl: String?
        public var publishedSummary: String?
        /// The review's findings, in the order they happened.
        public var findings: [ReviewFinding] = []

        /// The findings under one heading.
        public func findings(_ kind: PostmortemFindingKind) -> [ReviewFinding] { findings.filter { $0.kind == kind } }
    }

    public var incident: String
    /// The incident-state read model's summary of the incident.
    public var summary: IncidentSummary
    /// The severity the incident was declared with (as corrected).
    public var declaredSeverity: Severity?
    public var detectedBy: DetectionMethod?
    public var resolutionSummary: String?
    public var figures: ResponseFigures
    /// The working status over time: declared (investigating), each status change, resolved,
    /// reopened (investigating again), closed or merged; in time order.
    public var phases: [Phase]
    /// Every event, all categories, in the order they happened.
    public var timeline: Timeline
    /// Every public status update, in time order; updates for an internal audience are only in the timeline.
    public var updates: [PublicUpdate]
    /// Every customer message, in time order.
    public var messages: [CustomerMessage]
    public var escalations: [Escalation]
    public var surveys: [Survey]
    /// Every hand-off between responders, in time order.
    public var handOffs: [HandOff] = []
    /// The incident's customers (who wrote in, were named by an escalation, threatened to leave or were
    /// sent a survey) who were in the executive sponsorship programme while it was open, by customer.
    public var sponsoredCustomers: [SponsoredCustomer] = []
    public var review: Review
    /// The playbook's rules the incident's events broke, in ledger order: what recording warned
    /// about, judged again by the same function (``PlaybookChecks/findings(inHistory:policy:)``).
    public var playbookFindings: [RecordedFinding] = []
    public var source: Source

    /// Builds the report of `incident` as of `asOf`, the time the report is made; nil when the ledger
    /// holds no such incident.
    ///
    /// - Parameters:
    ///   - summary: the incident-state projection's summary, caught up. When it does not
    ///     reach the snapshot's last event of the incident (another writer appended meanwhile), the
    ///     summary is folded again from the snapshot so that every part of the report agrees.
    ///   - programme: the executive sponsorship programme across the ledger; nil: only the enrolments
    ///     and departures recorded in this incident.
    ///   - policy: the playbook's policy in force at a ledger position, for the rules each event broke.
    public static func build(
        _ incident: String, summary: IncidentSummary? = nil, programme: SponsorshipProgramme? = nil, asOf: Timestamp,
        policy: (UInt64) -> PlaybookPolicy = { _ in .standard }, in reader: borrowing LedgerReader
    ) throws -> PostmortemReport? {
        let recorded = try reader.events(inStream: incident)
        guard !recorded.isEmpty else { return nil }
        return build(incident, events: recorded, summary: summary, programme: programme, head: try reader.head(), asOf: asOf, policy: policy)
    }

    /// Builds the report from one incident's recorded events (in stream order), the ledger's head and the report time.
    ///
    /// - Parameter policy: the playbook's policy in force at a ledger position, for the rules each update broke.
    public static func build(
        _ incident: String, events recorded: [RecordedEvent], summary stored: IncidentSummary?, programme: SponsorshipProgramme? = nil, head: LedgerHead,
        asOf: Timestamp, policy: (UInt64) -> PlaybookPolicy = { _ in .standard }
    ) -> PostmortemReport {
        let history = EffectiveHistory.apply(recorded)
        var summary: IncidentSummary
        if let stored, stored.lastPosition == recorded.last?.position {
            summary = stored
        } else {
            summary = IncidentSummary(incident: incident)
            for event in history { summary.apply(event) }
        }
        let timeline = Timeline.build(incident, events: recorded, asOf: asOf)
        let figures = ResponseFigures.compute(history: history, asOf: asOf)
        let missedByPosition = Dictionary(figures.updatePromises.missed.map { ($0.promisedIn, $0) }, uniquingKeysWith: { first, _ in first })

        var report = PostmortemReport(
            incident: incident, summary: summary, declaredSeverity: nil, detectedBy: nil, resolutionSummary: nil, figures: figures, phases: [],
            timeline: timeline, updates: [], messages: [], escalations: [], surveys: [], review: Review(),
            playbookFindings: PlaybookChecks.findings(inHistory: recorded, policy: policy),
            source: Source(
                headPosition: head.position, headHash: head.hash, asOf: asOf, lastRecorded: head.recordedAt, incidentLastPosition: recorded.last?.position ?? 0,
                incidentEventCount: recorded.count, correctionCount: summary.correctionCount, retractionCount: summary.retractionCount))

        let byTime = history.sorted { ($0.recorded.occurredAt, $0.recorded.position) < ($1.recorded.occurredAt, $1.recorded.position) }
        var escalationIndex = [String: Int]()
        var surveyIndex = [String: Int]()
        var messageIndex = [String: Int]()
        var itemIndex = [String: Int]()
        var completionNoted = Set<String>()
        for event in byTime {
            let at = event.recorded.occurredAt
            let position = event.recorded.position
            let correctedBy = event.corrections.map(\.position)
            switch event.event {
            case .declared(let declared)?:
                report.declaredSeverity = declared.severity
                report.detectedBy = declared.detectedBy
                report.phases.append(Phase(phase: .investigating, from: at, position: position))
            case .statusChanged(let change)?:
                report.phases.append(Phase(phase: IncidentPhase(rawValue: change.status.rawValue) ?? .investigating, from: at, position: position))
            case .resolved(let resolved)?:
                report.resolutionSummary = resolved.summary
                report.phases.append(Phase(phase: .resolved, from: at, position: position))
            case .reopened?:
                report.resolutionSummary = nil
                report.phases.append(Phase(phase: .investigating, from: at, position: position))
            case .closed?, .merged?:
                report.phases.append(Phase(phase: .closed, from: at, position: position))
            case .statusUpdatePublished(let update)? where update.audience != .internal:
                report.updates.append(PublicUpdate(
                    number: report.updates.count + 1, position: position, at: at, recordedAt: event.recorded.recordedAt,
                    sourceRecordedAt: event.recorded.sourceRecordedAt,
                    actor: event.recorded.actor.description, status: update.status, audience: update.audience, channels: update.channels,
                    text: update.text, nextUpdateBy: update.nextUpdateBy, etaAt: update.etaAt,
                    postedAt: update.postedAt == at ? nil : update.postedAt, correctedBy: correctedBy,
                    isLate: Timeline.isLate(event.recorded, occurredAt: at),
                    missedPromise: missedByPosition[position], promise: nil))
            case .messageReceived(let message)?:
                messageIndex[message.messageId] = report.messages.count
                report.messages.append(CustomerMessage(
                    messageId: message.messageId, position: position, at: at, customer: message.customer, tier: message.tier,
                    channel: message.channel, subject: message.subject, threatensToLeave: message.threatensToLeave == true, replies: []))
            case .replySent(let reply)?:
                if let index = messageIndex[reply.inReplyTo] { report.messages[index].replies.append(at) }
            case .escalationRaised(let raised)?:
                escalationIndex[raised.escalationId] = report.escalations.count
                report.escalations.append(Escalation(
                    id: raised.escalationId, position: position, raisedAt: at, fromLevel: raised.fromLevel, toLevel: raised.toLevel,
                    reason: raised.reason, customer: raised.customer, note: raised.note, steps: []))
            case .escalationAcknowledged(let ack)?:
                if let index = escalationIndex[ack.escalationId] {
                    report.escalations[index].steps.append(Escalation.Step(kind: .acknowledged, at: at, position: position, text: ack.by, level: nil))
                }
            case .escalationDeescalated(let down)?:
                if let index = escalationIndex[down.escalationId] {
                    report.escalations[index].steps.append(Escalation.Step(kind: .deescalated, at: at, position: position, text: down.reason, level: down.toLevel))
                }
            case .escalationClosed(let closed)?:
                if let index = escalationIndex[closed.escalationId] {
                    report.escalations[index].steps.append(Escalation.Step(kind: .closed, at: at, position: position, text: closed.resolution, level: nil))
                }
            case .surveySent(let sent)?:
                surveyIndex[sent.surveyId] = report.surveys.count
                report.surveys.append(Survey(id: sent.surveyId, customer: sent.customer, channel: sent.channel, scale: sent.scale, sentAt: at))
            case .surveyAnswered(let answer)?:
                if let index = surveyIndex[answer.surveyId] {
                    report.surveys[index].score = answer.score
                    report.surveys[index].comment = answer.comment
                    report.surveys[index].answeredAt = at
                }
            case .surveyExpired(let expired)?:
                if let index = surveyIndex[expired.surveyId] { report.surveys[index].expiredAt = at }
            case .postmortemStarted(let started)?:
                if report.review.startedAt == nil { report.review.startedAt = at }
                report.review.owner = started.owner
                report.review.dueAt = started.dueAt
            case .rootCauseRecorded(let cause)?:
                report.review.rootCause = RootCause(finding: Finding(at: at, position: position, text: cause.summary, correctedBy: correctedBy), category: cause.category)
            case .contributingFactorRecorded(let factor)?:
                report.review.contributingFactors.append(Finding(at: at, position: position, text: factor.summary, correctedBy: correctedBy))
            case .actionItemOpened(let item)?:
                itemIndex[item.actionItemId] = report.review.actionItems.count
                report.review.actionItems.append(ActionItem(
                    id: item.actionItemId, title: item.title, owner: item.owner, dueAt: item.dueAt, openedAt: at, position: position,
                    completedAt: nil, completionNote: nil, state: .open))
            case .actionItemCompleted(let done)?:
                // The note of the earliest completion, the one the figures date the item's completion by.
                if let index = itemIndex[done.actionItemId], completionNoted.insert(done.actionItemId).inserted {
                    report.review.actionItems[index].completionNote = done.note
                }
            case .postmortemPublished(let published)?:
                report.review.publishedAt = at
                report.review.documentUrl = published.documentUrl
                report.review.publishedSummary = published.summary
            case .findingRecorded(let finding)?:
                report.review.findings.append(ReviewFinding(
                    kind: finding.kind, finding: Finding(at: at, position: position, text: finding.text, correctedBy: correctedBy),
                    author: finding.author ?? event.recorded.actor.id))
            case .handedOff(let handOff)?:
                report.handOffs.append(HandOff(
                    at: at, position: position, from: handOff.from, to: handOff.to, fromShift: handOff.fromShift, toShift: handOff.toShift,
                    summary: handOff.summary, correctedBy: correctedBy))
            default:
                break
            }
        }
        // Each action item as the figures have it: one definition of done and overdue.
        let outcomes = Dictionary(figures.actionItems.map { ($0.actionItemId, $0) }, uniquingKeysWith: { first, _ in first })
        for index in report.review.actionItems.indices {
            guard let outcome = outcomes[report.review.actionItems[index].id] else { continue }
            report.review.actionItems[index].completedAt = outcome.completedAt
            report.review.actionItems[index].state = outcome.completedAt != nil ? .done
                : ResponseFigures.ActionItemOutcome.isOverdue(dueAt: outcome.dueAt.microsecondsSinceEpoch, completedAt: nil, asOf: asOf.microsecondsSinceEpoch) ? .overdue : .open
        }
        // The customers of the incident who were sponsored while it was open.
        let programme = programme ?? SponsorshipProgramme(figures.sponsorshipChanges)
        if let declared = figures.timeToResolveFromDeclaration.start?.at {
            let customers = Set(report.messages.map(\.customer)).union(report.escalations.compactMap(\.customer))
                .union(report.surveys.map(\.customer)).union(figures.executiveContacts.map(\.customer))
            report.sponsoredCustomers = customers.sorted().compactMap { customer in
                programme.sponsor(of: customer, declared: declared, resolved: figures.timeToResolveFromDeclaration.stop?.at, asOf: asOf)
                    .map { SponsoredCustomer(customer: customer, sponsor: $0) }
            }
        }
        // Each update's promise as the figures judged it: one definition of kept, missed and pending.
        let promises = Dictionary(figures.updatePromises.outcomes.map { ($0.promisedIn, $0.outcome) }, uniquingKeysWith: { first, _ in first })
        for index in report.updates.indices { report.updates[index].promise = promises[report.updates[index].position] }
        return report
    }
}

extension PostmortemReport {
    /// Where the incident stands: its last phase in the order things happened. (The incident-state
    /// summary folds in recorded order, so a status change recorded late, after the resolution,
    /// would move its phase back; this one does not.)
    public var phase: IncidentPhase { phases.last?.phase ?? summary.phase }

    /// Whether the incident is still open (not resolved, closed or merged).
    public var isOpen: Bool { phase != .resolved && phase != .closed }

    /// One response figure with its name, in the order every renderer lists them.
    public struct FigureRow: Sendable {
        /// The key in the JSON form.
        public var key: String
        public var label: String
        /// What starts and stops the clock, in words, for the cells of a figure that is not recorded.
        public var startsAt: String
        public var stopsAt: String
        public var figure: ResponseFigures.Figure
    }

    /// The incident-level figures, in report order.
    public var figureRows: [FigureRow] {
        [
            FigureRow(key: "timeToDetect", label: "Time to detect", startsAt: "impact start", stopsAt: "detection", figure: figures.timeToDetect),
            FigureRow(
                key: "timeToAcknowledge", label: "Time to acknowledge", startsAt: "detection, else declaration", stopsAt: "first acknowledgement",
                figure: figures.timeToAcknowledge),
            FigureRow(
                key: "timeToFirstPublicUpdateFromImpact", label: "Time to first public update, from impact start", startsAt: "impact start",
                stopsAt: "first public update", figure: figures.timeToFirstPublicUpdateFromImpact),
            FigureRow(
                key: "timeToFirstPublicUpdateFromDeclaration", label: "Time to first public update, from declaration", startsAt: "declaration",
                stopsAt: "first public update", figure: figures.timeToFirstPublicUpdateFromDeclaration),
            FigureRow(key: "timeToEscalate", label: "Time to escalate", startsAt: "declaration", stopsAt: "first escalation", figure: figures.timeToEscalate),
            FigureRow(
                key: "timeToMitigateFromImpact", label: "Time to mitigate, from impact start", startsAt: "impact start",
                stopsAt: "mitigation, else resolution", figure: figures.timeToMitigateFromImpact),
            FigureRow(
                key: "timeToMitigateFromDeclaration", label: "Time to mitigate, from declaration", startsAt: "declaration",
                stopsAt: "mitigation, else resolution", figure: figures.timeToMitigateFromDeclaration),
            FigureRow(
                key: "timeToResolveFromImpact", label: "Time to resolve, from impact start", startsAt: "impact start", stopsAt: "resolution",
                figure: figures.timeToResolveFromImpact),
            FigureRow(
                key: "timeToResolveFromDeclaration", label: "Time to resolve, from declaration", startsAt: "declaration", stopsAt: "resolution",
                figure: figures.timeToResolveFromDeclaration),
        ]
    }

    /// Distinct customers who wrote in, sorted.
    public var customersWhoWroteIn: [String] { Array(Set(messages.map(\.customer))).sorted() }

    /// The answered scores of each scale used, with their count, mean and NPS, from the figures'
    /// surveys and ``SurveyScoring`` (as the metrics score them).
    public struct SurveyScore: Sendable, Hashable {
        public var scale: SurveyScale
        public var sent: Int
        public var answered: Int
        /// Expired without an answer.
        public var expired: Int
        /// The mean score; nil when none answered.
        public var mean: Double?
        /// For nps_0_10: % promoters (9–10) minus % detractors (0–6); nil otherwise or when none answered.
        public var netPromoterScore: Double?
    }

    public var surveyScores: [SurveyScore] {
        SurveyScale.allCases.compactMap { scale in
            let sent = figures.surveys.filter { $0.scale == scale }
            guard !sent.isEmpty else { return nil }
            let scores = sent.compactMap(\.score)
            return SurveyScore(
                scale: scale, sent: sent.count, answered: scores.count, expired: sent.count(where: \.expired), mean: SurveyScoring.mean(scores),
                netPromoterScore: scale == .nps ? SurveyScoring.netPromoterScore(scores) : nil)
        }
    }
}
