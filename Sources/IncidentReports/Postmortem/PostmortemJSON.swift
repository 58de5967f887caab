import IncidentEvents
public import IncidentProjections
public import LedgerModel

/// The postmortem report as JSON: the same content as the Markdown and HTML forms, as a `Codable` value.
///
/// Durations are whole seconds (`…Seconds`), times RFC 3339 in UTC, and a figure that is not
/// recorded is `null` (never 0, never left out; only `shownAt` and `sourceRecordedAt` are left out when
/// absent, as they were published). Written with ``JSONValueEncoder`` as indented JSON
/// with sorted members, so the same ledger gives the same bytes.
public struct PostmortemJSON: Codable, Sendable, Hashable {
    public var reportFormatVersion: Int
    public var incident: String
    public var summary: Summary
    public var impact: Impact
    public var responseFigures: Figures
    public var phases: [Phase]
    public var timeline: [TimelineEntry]
    public var communications: [Communication]
    /// The playbook's rules the incident's events broke, in ledger order.
    public var playbookFindings: [PlaybookCheck]
    public var customerMessages: [CustomerMessage]
    public var escalations: [Escalation]
    public var satisfaction: Satisfaction
    public var postmortem: Postmortem
    public var handOffs: [PostmortemReport.HandOff]
    public var sponsorship: Sponsorship
    /// The review's findings under its three headings (`postmortem.finding_recorded`).
    public var reviewFindings: ReviewFindings
    public var source: Source

    /// The report as indented JSON text with sorted members, ending in a newline.
    public static func render(_ report: PostmortemReport) -> String {
        // Strings, numbers and optionals only: encoding cannot fail.
        try! JSONValueEncoder().encode(PostmortemJSON(report)).prettyText
    }

    public init(_ report: PostmortemReport) {
        let summary = report.summary, figures = report.figures, scope = report.figures.scope
        let impactMoments = PostmortemText.impactMoments(report).map { $0.moment.map(Moment.init) }
        reportFormatVersion = PostmortemReport.formatVersion
        incident = report.incident
        self.summary = Summary(
            title: summary.title, kind: summary.kind?.rawValue, severity: scope.severity?.rawValue, declaredSeverity: report.declaredSeverity?.rawValue,
            phase: report.phase.rawValue, lastPublicStatus: summary.lastPublicStatus?.rawValue, reopenCount: summary.reopenCount,
            postmortemState: summary.postmortem.rawValue, durationSeconds: figures.duration.seconds, resolutionSummary: report.resolutionSummary)
        impact = Impact(
            impactStarted: impactMoments[0], detected: impactMoments[1], detectedBy: report.detectedBy?.rawValue, declared: impactMoments[2],
            acknowledged: impactMoments[3], mitigated: impactMoments[4], resolved: impactMoments[5], closedAt: summary.closedAt,
            plannedStart: summary.plannedStart, plannedEnd: summary.plannedEnd, services: scope.services, regions: scope.regions,
            customerSegments: scope.customerSegments,
            customersAffected: scope.customersAffected.map { CustomersAffected(count: $0.count, recordedIn: $0.recordedIn) },
            customerMessages: report.messages.count, customersWhoWroteIn: report.customersWhoWroteIn,
            distinctCustomersWhoWroteIn: report.customersWhoWroteIn.count)
        responseFigures = Figures(figures)
        phases = report.phases.map { Phase(phase: $0.phase.rawValue, from: $0.from, position: $0.position) }
        timeline = report.timeline.entries.map { entry in
            TimelineEntry(
                position: entry.position, occurredAt: entry.occurredAt, recordedAt: entry.recordedAt, type: entry.type, category: entry.category.rawValue,
                actor: entry.actor, text: entry.text, late: entry.isLate, postedAt: entry.postedAt, correctedBy: entry.correctedBy,
                retractedBy: entry.retractedBy, sourceRecordedAt: entry.sourceRecordedAt)
        }
        communications = report.updates.map { update in
            Communication(
                number: update.number, position: update.position, at: update.at, recordedAt: update.recordedAt, actor: update.actor,
                status: update.status.rawValue, audience: update.audience.rawValue, channels: update.channels.map(\.rawValue), text: update.text,
                nextUpdateBy: update.nextUpdateBy, etaAt: update.etaAt, postedAt: update.postedAt, correctedBy: update.correctedBy, late: update.isLate,
                missedPromise: update.missedPromise.map(MissedPromise.init), promise: update.promise?.rawValue, sourceRecordedAt: update.sourceRecordedAt)
        }
        playbookFindings = report.playbookFindings.map { found in
            PlaybookCheck(position: found.position, occurredAt: found.occurredAt, rule: found.finding.rule.rawValue, field: found.finding.field, message: found.finding.message)
        }
        customerMessages = report.messages.map { message in
            CustomerMessage(
                messageId: message.messageId, position: message.position, at: message.at, customer: message.customer, tier: message.tier,
                channel: message.channel.rawValue, subject: message.subject, threatensToLeave: message.threatensToLeave, replies: message.replies)
        }
        escalations = report.escalations.map { escalation in
            Escalation(
                id: escalation.id, position: escalation.position, raisedAt: escalation.raisedAt, fromLevel: escalation.fromLevel.rawValue,
                toLevel: escalation.toLevel.rawValue, reason: escalation.reason.rawValue, customer: escalation.customer, note: escalation.note,
                steps: escalation.steps.map { Escalation.Step(kind: $0.kind.rawValue, at: $0.at, position: $0.position, text: $0.text, level: $0.level?.rawValue) })
        }
        satisfaction = Satisfaction(
            scores: report.surveyScores.map { score in
                Satisfaction.Score(
                    scale: score.scale.rawValue, sent: score.sent, answered: score.answered, expired: score.expired, mean: score.mean,
                    netPromoterScore: score.netPromoterScore)
            },
            surveys: report.surveys.map { survey in
                Satisfaction.Survey(
                    surveyId: survey.id, customer: survey.customer, channel: survey.channel.rawValue, scale: survey.scale.rawValue, sentAt: survey.sentAt,
                    score: survey.score, comment: survey.comment, answeredAt: survey.answeredAt, expiredAt: survey.expiredAt)
            })
        let review = report.review
        postmortem = Postmortem(
            owner: review.owner, startedAt: review.startedAt, dueAt: review.dueAt,
            rootCause: review.rootCause.map { cause in
                Postmortem.RootCause(
                    category: cause.category.rawValue, summary: cause.finding.text, position: cause.finding.position, correctedBy: cause.finding.correctedBy)
            },
            contributingFactors: review.contributingFactors.map { Postmortem.Factor(summary: $0.text, position: $0.position, correctedBy: $0.correctedBy) },
            actionItems: review.actionItems.map { item in
                Postmortem.ActionItem(
                    id: item.id, title: item.title, owner: item.owner, dueAt: item.dueAt, openedAt: item.openedAt, position: item.position,
                    completedAt: item.completedAt, completionNote: item.completionNote, state: item.state.rawValue)
            },
            publishedAt: review.publishedAt, documentUrl: review.documentUrl, publishedSummary: review.publishedSummary)
        handOffs = report.handOffs
        sponsorship = Sponsorship(
            sponsoredCustomers: report.sponsoredCustomers.map { Sponsorship.Customer(customer: $0.customer, sponsor: $0.sponsor) },
            changes: report.figures.sponsorshipChanges.map { Sponsorship.Change(customer: $0.customer, sponsor: $0.sponsor, at: $0.at, position: $0.position) },
            executiveContacts: report.figures.executiveContacts.map {
                Sponsorship.Contact(
                    customer: $0.customer, threatened: $0.figure.start.map(Moment.init), contacted: $0.figure.stop.map(Moment.init),
                    contactKind: $0.contactKind?.rawValue, seconds: $0.figure.seconds)
            })
        func findings(_ kind: PostmortemFindingKind) -> [ReviewFindings.Finding] {
            review.findings(kind).map {
                ReviewFindings.Finding(text: $0.finding.text, author: $0.author, at: $0.finding.at, position: $0.finding.position, correctedBy: $0.finding.correctedBy)
            }
        }
        reviewFindings = ReviewFindings(whatWentWell: findings(.wentWell), whatCouldBeBetter: findings(.couldBeBetter), whereWeGotLucky: findings(.gotLucky))
        let source = report.source
        self.source = Source(
            ledgerPosition: source.headPosition, chainHead: source.headHash.hex, asOf: source.asOf, lastRecorded: source.lastRecorded,
            incidentLastPosition: source.incidentLastPosition, incidentEvents: source.incidentEventCount, corrections: source.correctionCount,
            retractions: source.retractionCount)
    }

    public struct Summary: Codable, Sendable, Hashable {
        public var title: String?
        public var kind: String?
        public var severity: String?
        public var declaredSeverity: String?
        public var phase: String
        public var lastPublicStatus: String?
        public var reopenCount: Int
        public var postmortemState: String
        public var durationSeconds: Int64?
        public var resolutionSummary: String?
    }

    public struct Impact: Codable, Sendable, Hashable {
        public var impactStarted: Moment?
        public var detected: Moment?
        public var detectedBy: String?
        public var declared: Moment?
        public var acknowledged: Moment?
        public var mitigated: Moment?
        public var resolved: Moment?
        public var closedAt: Timestamp?
        public var plannedStart: Timestamp?
        public var plannedEnd: Timestamp?
        public var services: [String]
        public var regions: [String]
        public var customerSegments: [String]
        public var customersAffected: CustomersAffected?
        public var customerMessages: Int
        public var customersWhoWroteIn: [String]
        public var distinctCustomersWhoWroteIn: Int
    }

    public struct CustomersAffected: Codable, Sendable, Hashable {
        public var count: Int64
        public var recordedIn: UInt64?
    }

    /// A moment a clock starts or stops at, and the events it was read from.
    public struct Moment: Codable, Sendable, Hashable {
        public var kind: String
        public var at: Timestamp
        public var position: UInt64
        public var correctedBy: [UInt64]
        /// Only a moment read from a posting time has a time shown beside it; left out otherwise.
        @OmittedWhenNil public var shownAt: Timestamp?
    }

    public struct Figure: Codable, Sendable, Hashable {
        public var seconds: Int64?
        public var start: Moment?
        public var stop: Moment?

        init(_ figure: ResponseFigures.Figure) {
            seconds = figure.seconds
            start = figure.start.map(Moment.init)
            stop = figure.stop.map(Moment.init)
        }
    }

    public struct Figures: Codable, Sendable, Hashable {
        public var timeToDetect: Figure
        public var timeToAcknowledge: Figure
        public var timeToFirstPublicUpdateFromImpact: Figure
        public var timeToFirstPublicUpdateFromDeclaration: Figure
        public var timeToEscalate: Figure
        public var timeToMitigateFromImpact: Figure
        public var timeToMitigateFromDeclaration: Figure
        public var timeToResolveFromImpact: Figure
        public var timeToResolveFromDeclaration: Figure
        public var duration: Figure
        public var firstReplies: [FirstReply]
        public var updateGaps: [UpdateGap]
        public var longestUpdateGap: UpdateGap?
        public var updatePromises: UpdatePromises
        public var eta: ETA?

        init(_ figures: ResponseFigures) {
            timeToDetect = Figure(figures.timeToDetect)
            timeToAcknowledge = Figure(figures.timeToAcknowledge)
            timeToFirstPublicUpdateFromImpact = Figure(figures.timeToFirstPublicUpdateFromImpact)
            timeToFirstPublicUpdateFromDeclaration = Figure(figures.timeToFirstPublicUpdateFromDeclaration)
            timeToEscalate = Figure(figures.timeToEscalate)
            timeToMitigateFromImpact = Figure(figures.timeToMitigateFromImpact)
            timeToMitigateFromDeclaration = Figure(figures.timeToMitigateFromDeclaration)
            timeToResolveFromImpact = Figure(figures.timeToResolveFromImpact)
            timeToResolveFromDeclaration = Figure(figures.timeToResolveFromDeclaration)
            duration = Figure(figures.duration)
            firstReplies = figures.firstReplies.map { reply in
                FirstReply(
                    messageId: reply.messageId, customer: reply.customer, channel: reply.channel.rawValue, tier: reply.tier,
                    threatensToLeave: reply.threatensToLeave, answered: reply.isAnswered, figure: Figure(reply.figure))
            }
            updateGaps = figures.updateGaps.map(UpdateGap.init)
            longestUpdateGap = figures.longestUpdateGap.map(UpdateGap.init)
            let promises = figures.updatePromises
            updatePromises = UpdatePromises(
                made: promises.made, kept: promises.kept, pending: promises.pending, missedCount: promises.missed.count,
                missed: promises.missed.map(MissedPromise.init))
            eta = figures.eta.map { eta in
                ETA(
                    eta: eta.eta, promisedIn: eta.promisedIn, promisedAt: eta.promisedAt, etasGiven: eta.etasGiven, resolvedAt: eta.resolved?.at,
                    lateBySeconds: eta.lateBySeconds)
            }
        }
    }

    public struct FirstReply: Codable, Sendable, Hashable {
        public var messageId: String
        public var customer: String
        public var channel: String
        public var tier: String?
        public var threatensToLeave: Bool
        public var answered: Bool
        public var figure: Figure
    }

    public struct UpdateGap: Codable, Sendable, Hashable {
        public var afterPosition: UInt64
        public var from: Timestamp
        public var to: Timestamp
        public var endedBy: String
        public var seconds: Int64

        init(_ gap: ResponseFigures.UpdateGap) {
            afterPosition = gap.afterPosition
            from = gap.from
            to = gap.to
            endedBy = gap.endedBy.rawValue
            seconds = gap.seconds
        }
    }

    public struct UpdatePromises: Codable, Sendable, Hashable {
        public var made: Int
        public var kept: Int
        public var pending: Int
        public var missedCount: Int
        public var missed: [MissedPromise]
    }

    public struct MissedPromise: Codable, Sendable, Hashable {
        public var promisedIn: UInt64
        public var promisedBy: Timestamp
        public var fulfilledAt: Timestamp?
        public var lateBySeconds: Int64

        init(_ missed: Timeline.MissedUpdate) {
            promisedIn = missed.promisedIn
            promisedBy = missed.promisedBy
            fulfilledAt = missed.fulfilledAt
            lateBySeconds = missed.lateBySeconds
        }
    }

    public struct ETA: Codable, Sendable, Hashable {
        public var eta: Timestamp
        public var promisedIn: UInt64
        public var promisedAt: Timestamp
        public var etasGiven: Int
        public var resolvedAt: Timestamp?
        public var lateBySeconds: Int64?
    }

    public struct Phase: Codable, Sendable, Hashable {
        public var phase: String
        public var from: Timestamp
        public var position: UInt64
    }

    public struct TimelineEntry: Codable, Sendable, Hashable {
        public var position: UInt64
        public var occurredAt: Timestamp
        public var recordedAt: Timestamp
        public var type: String
        public var category: String
        public var actor: String
        public var text: String
        public var late: Bool
        public var postedAt: Timestamp?
        public var correctedBy: [UInt64]
        public var retractedBy: UInt64?
        /// Set by importers only; left out when absent.
        @OmittedWhenNil public var sourceRecordedAt: Timestamp?
    }

    public struct Communication: Codable, Sendable, Hashable {
        public var number: Int
        public var position: UInt64
        public var at: Timestamp
        public var recordedAt: Timestamp
        public var actor: String
        public var status: String
        public var audience: String
        public var channels: [String]
        public var text: String
        public var nextUpdateBy: Timestamp?
        public var etaAt: Timestamp?
        public var postedAt: Timestamp?
        public var correctedBy: [UInt64]
        public var late: Bool
        public var missedPromise: MissedPromise?
        public var promise: String?
        /// Set by importers only; left out when absent.
        @OmittedWhenNil public var sourceRecordedAt: Timestamp?
    }

    /// A rule of the playbook broken by one event.
    public struct PlaybookCheck: Codable, Sendable, Hashable {
        public var position: UInt64
        public var occurredAt: Timestamp
        public var rule: String
        public var field: String?
        public var message: String
    }

    public struct CustomerMessage: Codable, Sendable, Hashable {
        public var messageId: String
        public var position: UInt64
        public var at: Timestamp
        public var customer: String
        public var tier: String?
        public var channel: String
        public var subject: String?
        public var threatensToLeave: Bool
        public var replies: [Timestamp]
    }

    public struct Escalation: Codable, Sendable, Hashable {
        public var id: String
        public var position: UInt64
        public var raisedAt: Timestamp
        public var fromLevel: String
        public var toLevel: String
        public var reason: String
        public var customer: String?
        public var note: String?
        public var steps: [Step]

        public struct Step: Codable, Sendable, Hashable {
            public var kind: String
            public var at: Timestamp
            public var position: UInt64
            public var text: String
            public var level: String?
        }
    }

    public struct Satisfaction: Codable, Sendable, Hashable {
        public var scores: [Score]
        public var surveys: [Survey]

        public struct Score: Codable, Sendable, Hashable {
            public var scale: String
            public var sent: Int
            public var answered: Int
            public var expired: Int
            public var mean: Double?
            public var netPromoterScore: Double?
        }

        public struct Survey: Codable, Sendable, Hashable {
            public var surveyId: String
            public var customer: String
            public var channel: String
            public var scale: String
            public var sentAt: Timestamp
            public var score: Int64?
            public var comment: String?
            public var answeredAt: Timestamp?
            public var expiredAt: Timestamp?
        }
    }

    public struct Postmortem: Codable, Sendable, Hashable {
        public var owner: String?
        public var startedAt: Timestamp?
        public var dueAt: Timestamp?
        public var rootCause: RootCause?
        public var contributingFactors: [Factor]
        public var actionItems: [ActionItem]
        public var publishedAt: Timestamp?
        public var documentUrl: String?
        public var publishedSummary: String?

        public struct RootCause: Codable, Sendable, Hashable {
            public var category: String
            public var summary: String
            public var position: UInt64
            public var correctedBy: [UInt64]
        }

        public struct Factor: Codable, Sendable, Hashable {
            public var summary: String
            public var position: UInt64
            public var correctedBy: [UInt64]
        }

        public struct ActionItem: Codable, Sendable, Hashable {
            public var id: String
            public var title: String
            public var owner: String
            public var dueAt: Timestamp
            public var openedAt: Timestamp
            public var position: UInt64
            public var completedAt: Timestamp?
            public var completionNote: String?
            public var state: String
        }
    }

    public struct ReviewFindings: Codable, Sendable, Hashable {
        public var whatWentWell: [Finding]
        public var whatCouldBeBetter: [Finding]
        public var whereWeGotLucky: [Finding]

        public struct Finding: Codable, Sendable, Hashable {
            public var text: String
            public var author: String
            public var at: Timestamp
            public var position: UInt64
            public var correctedBy: [UInt64]
        }
    }

    /// Executive sponsorship as it touched the incident.
    public struct Sponsorship: Codable, Sendable, Hashable {
        public var sponsoredCustomers: [Customer]
        public var changes: [Change]
        public var executiveContacts: [Contact]

        public struct Customer: Codable, Sendable, Hashable {
            public var customer: String
            public var sponsor: String
        }

        /// An enrolment (with its sponsor) or a departure (sponsor null).
        public struct Change: Codable, Sendable, Hashable {
            public var customer: String
            public var sponsor: String?
            public var at: Timestamp
            public var position: UInt64
        }

        public struct Contact: Codable, Sendable, Hashable {
            public var customer: String
            public var threatened: Moment?
            public var contacted: Moment?
            public var contactKind: String?
            public var seconds: Int64?
        }
    }

    public struct Source: Codable, Sendable, Hashable {
        public var ledgerPosition: UInt64
        public var chainHead: String
        public var asOf: Timestamp
        public var lastRecorded: Timestamp
        public var incidentLastPosition: UInt64
        public var incidentEvents: Int
        public var corrections: Int
        public var retractions: Int
    }
}

extension PostmortemJSON.Moment {
    init(_ moment: ResponseFigures.Moment) {
        self.init(kind: moment.kind.rawValue, at: moment.at, position: moment.position, correctedBy: moment.correctedBy, shownAt: moment.shownAt)
    }
}
