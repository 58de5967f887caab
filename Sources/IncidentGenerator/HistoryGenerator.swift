import Foundation
import IncidentEvents
public import LedgerModel

/// Writes a realistic synthetic incident history: incidents of every kind and severity with
/// heavy-tailed durations, customers writing in on several channels in bursts, replies, public
/// updates at a cadence that is sometimes missed, escalations up to executives and enrolments in
/// executive sponsorship, surveys with a realistic score distribution, postmortems with action
/// items, corrections and late entries.
/// With ``Options/everyFamily`` every other event type of the catalog is added too.
///
/// Deterministic: the same seed and options give the same events, ids included.
public struct HistoryGenerator {
    public struct Options: Sendable {
        public var incidents: Int
        public var seed: UInt64
        /// When the first incident may start.
        public var start: Timestamp
        /// Over how many days incidents are spread.
        public var days: Int
        /// Scales the number of customer messages (1 gives about 100 events an incident on average).
        public var messageScale: Double
        /// Nothing is recorded after this: the history stops here, as a real one stops at "now".
        /// Durations are heavy-tailed, so a large history would otherwise run into the future and
        /// its last events be refused by `incidents append`. The default lies in the past, and no
        /// history of up to 13,000 incidents on the default window reaches it, so their bytes are
        /// the same as before it existed.
        public var end: Timestamp
        /// Also the event types the realistic history leaves out or makes rare, in every incident:
        /// links, scope and severity changes, responders released, an escalation acknowledged and de-escalated,
        /// stakeholders notified, sponsorships, hand-offs, contributing factors and findings, a retraction and a correction
        /// of the severity; a fourth of the incidents are merged and a fourth reopened. They are
        /// drawn from a random stream of their own, so the other events are the same as without
        /// them, except that a merged incident's closure is its merge.
        public var everyFamily: Bool
        /// Event ids are version 7 UUIDs of the time each event happened, as the recorder makes
        /// them, instead of random (version 4) ones; everything else stays the same.
        public var timeOrderedIDs: Bool

        public init(
            incidents: Int, seed: UInt64, start: Timestamp = try! Timestamp(rfc3339: "2024-07-01T00:00:00Z"), days: Int = 700, messageScale: Double = 1,
            end: Timestamp = try! Timestamp(rfc3339: "2026-11-01T00:00:00Z"), everyFamily: Bool = false, timeOrderedIDs: Bool = false
        ) {
            self.incidents = incidents
            self.seed = seed
            self.start = start
            self.days = days
            self.messageScale = messageScale
            self.end = end
            self.everyFamily = everyFamily
            self.timeOrderedIDs = timeOrderedIDs
        }
    }

    public let options: Options
    private var random: SeededRandom
    /// The draws of ``Options/everyFamily``'s events, apart from `random` so that they leave the others alone.
    private var extra: SeededRandom
    /// The draws of the executive sponsorship programme (enrolments after a threat to leave, and some
    /// departures), apart from `random` too: the rest of a history is the same as before they were generated.
    private var sponsorship: SeededRandom

    public init(_ options: Options) {
        self.options = options
        random = SeededRandom(seed: options.seed)
        extra = SeededRandom(seed: options.seed ^ 0xE7E2_F4A1_1E50_0001)
        sponsorship = SeededRandom(seed: options.seed ^ 0x5905_5085_41B0_0002)
    }

    static let services = ["checkout-api", "payments", "search", "login", "mobile-app", "notifications", "reporting", "webhooks", "storage", "dashboard"]
    static let regions = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-1"]
    static let symptoms = ["returning errors", "slow to respond", "unavailable", "timing out", "returning stale data", "failing for some users"]
    /// The service levels every generated incident is measured against.
    static let standardPolicy = SLAPolicyAttached(
        policyId: "standard", name: "Standard support", clock: .calendar,
        targets: [
            SLATarget(severity: .sev1, firstResponseMinutes: 15, updateCadenceMinutes: 45, resolutionMinutes: 240),
            SLATarget(severity: .sev2, firstResponseMinutes: 30, updateCadenceMinutes: 75, resolutionMinutes: 480),
            SLATarget(severity: .sev3, firstResponseMinutes: 60, updateCadenceMinutes: 120, resolutionMinutes: 1440),
            SLATarget(severity: .sev4, firstResponseMinutes: 240, updateCadenceMinutes: 240, resolutionMinutes: 4320),
        ])

    static let tiers = [("enterprise", 0.15), ("business", 0.35), ("starter", 0.5)]
    static let channels: [(MessageChannel, Double)] = [(.email, 0.45), (.chat, 0.25), (.phone, 0.08), (.socialMedia, 0.12), (.ticket, 0.10)]

    /// Every event, in the order a ledger would have recorded them.
    public mutating func events() -> [StreamEvent] {
        var all = [(emitAt: Int64, sequence: Int, event: StreamEvent)]()
        let span = Double(options.days) * 86_400
        var starts = (0..<options.incidents).map { _ in Int64(random.unit() * span) }
        starts.sort()
        for (number, offset) in starts.enumerated() {
            let begin = options.start.adding(seconds: offset)
            for (emitAt, event) in incident(number: number, begin: begin) {
                all.append((emitAt, all.count, event))
            }
        }
        all.sort { ($0.emitAt, $0.sequence) < ($1.emitAt, $1.sequence) }
        // Cut at the end: what remains is a prefix of the order a ledger records the events in, so
        // every rule that held for the whole history holds for it (rules look only backwards).
        let recorded = all.prefix { $0.emitAt <= options.end.microsecondsSinceEpoch }
        return recorded.map(\.event)
    }

    /// One incident's events, each with the time it is recorded (µs since the epoch).
    ///
    /// Each event carries the time the simulated tool or person recorded it as `sourceRecordedAt`,
    /// so that a generated history is late only where it means to be: when it happened, or
    /// `recordedLateBy` seconds later for a late entry. A customer message or reply the helpdesk
    /// recorded at once but filed on the incident only once it was declared (`filedLateBy`) is
    /// recorded when it happened. No source time is later than the event's place in the order.
    private mutating func incident(number: Int, begin: Timestamp) -> [(Int64, StreamEvent)] {
        let stream = String(format: "INC-%06d", number + 1)
        var out = [(Int64, StreamEvent)]()
        func add(_ event: IncidentEvent, at time: Timestamp, actor: Actor, source: String, recordedLateBy: Int64 = 0, filedLateBy: Int64 = 0, id: UUID? = nil) {
            let proposed = Catalog.proposed(
                event, id: identifier(id ?? random.uuid(), at: time), occurredAt: time, sourceRecordedAt: time.adding(seconds: recordedLateBy), actor: actor, source: source)
            out.append((time.microsecondsSinceEpoch + (recordedLateBy + filedLateBy) * 1_000_000, StreamEvent(stream: stream, event: proposed)))
        }
        func minutes(_ value: Double) -> Int64 { Int64(value * 60) }
        let oncall = Actor(kind: .person, id: "oncall-\(Int(random.unit() * 12))@example.com")
        let comms = Actor(kind: .person, id: "comms-\(Int(random.unit() * 4))@example.com")
        let support = Actor(kind: .person, id: "support-\(Int(random.unit() * 20))@example.com")
        let helpdesk = Actor(kind: .tool, id: "helpdesk")
        let service = Self.services[Int(random.unit() * Double(Self.services.count))]
        let region = Self.regions[Int(random.unit() * Double(Self.regions.count))]

        // Kind, window and severity.
        let scheduled = random.chance(0.12)
        var severity: Severity = random.weighted([(.sev1, 0.08), (.sev2, 0.22), (.sev3, 0.40), (.sev4, 0.30)])
        var impact = begin
        var plannedStart: Timestamp?
        var plannedEnd: Timestamp?
        if scheduled {
            severity = random.chance(0.8) ? .sev4 : .sev3
            // Saturday night, 23:00 UTC, one to two weeks after the announcement: inside the standard
            // policy's window (Saturday 22:00–06:00, at most 20 minutes, 72 hours' notice).
            let day = (begin.microsecondsSinceEpoch / 86_400_000_000 + 3) % 7  // 0 = Monday (1970-01-01 was a Thursday)
            let daysToSaturday = (5 - day + 7) % 7 + 7
            let saturday = (begin.microsecondsSinceEpoch / 86_400_000_000 + daysToSaturday) * 86_400 + 23 * 3600
            plannedStart = Timestamp(microsecondsSinceEpoch: saturday * 1_000_000)
            plannedEnd = plannedStart!.adding(seconds: minutes(random.weighted([(20, 0.6), (15, 0.25), (10, 0.15)])))
            // A tenth start late, by at most a quarter of the window.
            let window = plannedEnd!.microsecondsSinceEpoch / 1_000_000 - plannedStart!.microsecondsSinceEpoch / 1_000_000
            impact = plannedStart!.adding(seconds: random.chance(0.1) ? min(minutes(random.logNormal(median: 4, sigma: 0.6)), window / 4) : 0)
        }
        let detected = scheduled ? impact : impact.adding(seconds: minutes(random.logNormal(median: 4, sigma: 0.9)))
        let declared = scheduled ? begin : detected.adding(seconds: minutes(random.logNormal(median: 3, sigma: 0.8)))
        let scale: Double = [.sev1: 1.6, .sev2: 1.2, .sev3: 1.0, .sev4: 0.7][severity]!
        let duration: Int64
        if scheduled {
            // The work ends inside its window: a maintenance that overran would count as an unplanned outage.
            let left = plannedEnd!.microsecondsSinceEpoch / 1_000_000 - impact.microsecondsSinceEpoch / 1_000_000
            duration = Int64(Double(left) * (0.5 + 0.45 * random.unit()))
        } else {
            duration = max(minutes(6), minutes(random.logNormal(median: 40 * scale, sigma: 1.0)))
        }
        // An incident is resolved after it was declared, however quickly the impact ended.
        let resolved = Swift.max(impact.adding(seconds: duration), declared.adding(seconds: minutes(5)))
        let title = scheduled ? "Scheduled maintenance: \(service) upgrade" : "\(service) \(Self.symptoms[Int(random.unit() * Double(Self.symptoms.count))]) in \(region)"
        add(.declared(IncidentDeclared(
            title: title, kind: scheduled ? .scheduledMaintenance : .unplanned, severity: severity, services: [service],
            regions: [region], customerSegments: severity <= .sev2 ? ["enterprise", "business"] : [],
            plannedStart: plannedStart, plannedEnd: plannedEnd, impactStartedAt: scheduled ? nil : impact,
            detectedAt: scheduled ? nil : detected,
            detectedBy: scheduled ? nil : random.weighted([(.monitoring, 0.7), (.customerReport, 0.2), (.internalReport, 0.1)]))),
            at: declared, actor: oncall, source: scheduled ? "change-calendar" : "pager")
        let declarationID = out[0].1.event.id
        // Every outage is measured against the standard support policy, in calendar time.
        if !scheduled { add(.slaPolicyAttached(Self.standardPolicy), at: declared, actor: Actor(kind: .tool, id: "sla"), source: "policy") }
        let acknowledged = declared.adding(seconds: minutes(random.logNormal(median: severity <= .sev2 ? 2 : 6, sigma: 0.8)))
        if !scheduled { add(.acknowledged(IncidentAcknowledged(by: oncall.id)), at: acknowledged, actor: oncall, source: "pager") }
        add(.responderAssigned(ResponderAssigned(person: oncall.id, role: .incidentCommander)), at: acknowledged, actor: oncall, source: "cli",
            recordedLateBy: random.chance(0.05) ? minutes(random.logNormal(median: 90, sigma: 1)) : 0)

        // Working status.
        let identified = declared.adding(seconds: Int64(Double(resolved.microsecondsSinceEpoch - declared.microsecondsSinceEpoch) / 1e6 * 0.35))
        let mitigated = declared.adding(seconds: Int64(Double(resolved.microsecondsSinceEpoch - declared.microsecondsSinceEpoch) / 1e6 * 0.75))
        // Never after the resolution, however late the acknowledgement came.
        let identifiedAt = min(max(identified, acknowledged), resolved)
        let mitigatedAt = min(max(mitigated, acknowledged), resolved)
        var reassessed: Severity?
        if !scheduled {
            add(.statusChanged(IncidentStatusChanged(status: .identified, note: "Cause found in \(service)")), at: identifiedAt, actor: oncall, source: "cli")
            add(.statusChanged(IncidentStatusChanged(status: .mitigated)), at: mitigatedAt, actor: oncall, source: "cli")
            if random.chance(0.15) {
                reassessed = severity == .sev1 ? .sev2 : .sev1
                add(.severityChanged(IncidentSeverityChanged(severity: reassessed!, reason: "Impact reassessed")), at: identifiedAt, actor: oncall, source: "cli")
            }
        }

        // Public updates at a cadence, sometimes late, that keep the playbook's rules of a good
        // update: each says where the incident stands, promises the next within the standard
        // policy's cadence for the severity at the time, and gives an ETA only once the cause is
        // identified, never later than the one before (an announcement of maintenance promises the
        // next update for the window's start).
        let publishes = scheduled || severity <= .sev2 || random.chance(severity == .sev3 ? 0.5 : 0.2)
        if publishes {
            var at = scheduled ? begin : declared.adding(seconds: minutes(random.logNormal(median: severity == .sev1 ? 8 : 15, sigma: 0.6)))
            var lastETA: Timestamp?
            while at < resolved {
                let status: PublicStatus =
                    scheduled ? (at < plannedStart! ? .scheduled : .inProgress) : at >= mitigatedAt ? .mitigated : at >= identifiedAt ? .identified : .investigating
                let severityNow = at >= identifiedAt ? reassessed ?? severity : severity
                let promise = status == .scheduled ? plannedStart! : at.adding(seconds: minutes(severityNow == .sev1 ? 30 : 60))
                var eta: Timestamp?
                if random.chance(0.2), !scheduled, at > identifiedAt {
                    let guess = resolved.adding(seconds: minutes(random.logNormal(median: 20, sigma: 1)) * (random.chance(0.5) ? 1 : -1)).maxed(at)
                    if let last = lastETA {
                        eta = last >= at ? min(guess, last) : nil  // a new ETA after the last one passed would be a slipped one
                    } else {
                        eta = guess
                    }
                }
                lastETA = eta ?? lastETA
                add(.statusUpdatePublished(StatusUpdatePublished(
                    status: status, channels: random.chance(0.4) ? [.statusPage, .email, .socialMedia] : [.statusPage],
                    text: "\(title): \(status.rawValue). Next update by \(promise.rfc3339).", nextUpdateBy: promise, etaAt: eta)),
                    at: at, actor: comms, source: "statuspage")
                at = random.chance(0.15) ? promise.adding(seconds: minutes(random.logNormal(median: 12, sigma: 0.7))) : promise.adding(seconds: -minutes(random.unit() * 5))
                if scheduled, at < plannedStart! { at = plannedStart! }
            }
            add(.statusUpdatePublished(StatusUpdatePublished(status: scheduled ? .completed : .resolved, channels: [.statusPage, .email], text: "\(title): resolved.")),
                at: resolved, actor: comms, source: "statuspage")
        }

        // Customers write in, in bursts; night outages bring more e-mail.
        let base: Double = [.sev1: 140, .sev2: 55, .sev3: 18, .sev4: 4][severity]! * options.messageScale
        let hour = Int((impact.microsecondsSinceEpoch / 3_600_000_000) % 24)
        let messages = random.poisson(scheduled ? base * 0.1 : base * (hour < 6 ? 1.3 : 1))
        var customers = [String]()
        var escalationNumber = 0
        for index in 0..<messages {
            let at = impact.adding(seconds: Int64(random.logNormal(median: Double(duration) * 0.3, sigma: 0.7)).clamped(0, duration * 2))
            let customer = "acct-\(Int(random.unit() * random.unit() * 3000))"
            let tier = random.weighted(Self.tiers)
            let channel = random.weighted(Self.channels)
            let threatens = tier == "enterprise" && random.chance(0.04)
            let messageId = "m-\(index + 1)"
            add(.messageReceived(CustomerMessageReceived(messageId: messageId, channel: channel, customer: customer, tier: tier, subject: "\(service) problem", threatensToLeave: threatens ? true : nil)),
                at: at, actor: helpdesk, source: channel.rawValue, filedLateBy: Self.secondsUntil(declared, from: at))
            let filed = max(at, declared.adding(seconds: 1))  // when the message is on the incident
            if !customers.contains(customer) { customers.append(customer) }
            if random.chance(0.95) {
                // Customers often write before the incident is declared; the helpdesk files those
                // messages (and any early replies) on the incident once it exists.
                let replied = at.adding(seconds: minutes(random.logNormal(median: tier == "enterprise" ? 6 : 14, sigma: 0.9)))
                add(.replySent(CustomerReplySent(inReplyTo: messageId, channel: channel, customer: customer)),
                    at: replied, actor: support, source: channel.rawValue, filedLateBy: Self.secondsUntil(filed, from: replied))
            }
            if threatens {
                escalationNumber += 1
                let escalated = max(at, declared).adding(seconds: minutes(random.logNormal(median: 10, sigma: 0.6)))
                let id = "esc-\(escalationNumber)"
                add(.escalationRaised(EscalationRaised(escalationId: id, fromLevel: .support, toLevel: .executive, reason: .threatToCancel, customer: customer)),
                    at: escalated, actor: support, source: "cli")
                let taken = escalated.adding(seconds: minutes(random.logNormal(median: 20, sigma: 0.7)))
                add(.escalationAcknowledged(EscalationAcknowledged(escalationId: id, by: "vp-support@example.com")), at: taken, actor: support, source: "cli")
                // Half the customers who threaten to leave are enrolled in executive sponsorship; a fourth of those leave it some weeks later.
                if sponsorship.chance(0.5) {
                    let enrolled = taken.adding(seconds: minutes(sponsorship.logNormal(median: 45, sigma: 0.5)))
                    let sponsor = sponsorship.chance(0.6) ? "vp-support@example.com" : "coo@example.com"
                    add(.sponsorshipEnrolled(SponsorshipEnrolled(customer: customer, sponsor: sponsor)), at: enrolled, actor: support, source: "cli", id: sponsorship.uuid())
                    if sponsorship.chance(0.25) {
                        let left = enrolled.adding(seconds: Int64(sponsorship.logNormal(median: 60, sigma: 0.4) * 86_400))
                        add(.sponsorshipEnded(SponsorshipEnded(customer: customer, reason: "Stable again")), at: left, actor: support, source: "cli", id: sponsorship.uuid())
                    }
                }
                add(.escalationClosed(EscalationClosed(escalationId: id, resolution: "Service credit offered")), at: Swift.max(taken, resolved).adding(seconds: minutes(60)), actor: support, source: "cli")
            }
        }
        if severity == .sev1 || (severity == .sev2 && random.chance(0.4)) {
            escalationNumber += 1
            let id = "esc-\(escalationNumber)"
            let at = declared.adding(seconds: minutes(random.logNormal(median: 12, sigma: 0.7)))
            add(.escalationRaised(EscalationRaised(escalationId: id, fromLevel: .support, toLevel: .escalationManager, reason: .severity)), at: at, actor: oncall, source: "cli")
            add(.stakeholdersNotified(StakeholdersNotified(groups: severity == .sev1 ? [.accountManagers, .executives] : [.accountManagers])), at: at, actor: comms, source: "cli")
            add(.escalationClosed(EscalationClosed(escalationId: id, resolution: "Incident resolved")), at: Swift.max(at, resolved), actor: oncall, source: "cli")
        }
        if random.chance(0.1) {
            add(.noteAdded(InternalNoteAdded(text: "Timeline reconstructed from chat")), at: identified, actor: oncall, source: "cli",
                recordedLateBy: minutes(random.logNormal(median: 240, sigma: 1)))
        }
        add(.resolved(IncidentResolved(summary: "\(service) recovered")), at: resolved, actor: oncall, source: "cli")

        // Surveys, postmortem, corrections.
        for (index, customer) in customers.prefix(5).enumerated() {
            let sent = resolved.adding(seconds: minutes(random.logNormal(median: 120, sigma: 0.5)))
            let id = "s-\(index + 1)"
            let scale: SurveyScale = random.chance(0.8) ? .csat : .nps
            add(.surveySent(SurveySent(surveyId: id, customer: customer, channel: .email, scale: scale)), at: sent, actor: Actor(kind: .tool, id: "surveys"), source: "email")
            if random.chance(0.45) {
                let unhappy: Double = (severity == .sev1 ? 0.2 : 0) + (duration > 4 * 3600 ? 0.2 : 0)
                let csat: [(Int64, Double)] = [(5, 0.40 - unhappy), (4, 0.30), (3, 0.15), (2, 0.08 + unhappy / 2), (1, 0.07 + unhappy / 2)]
                let nps: [(Int64, Double)] = [
                    (10, 0.25 - unhappy / 2), (9, 0.2), (8, 0.2), (7, 0.12), (6, 0.08), (5, 0.05 + unhappy / 4), (3, 0.05 + unhappy / 4), (0, 0.05),
                ]
                let score = random.weighted(scale == .csat ? csat : nps)
                add(.surveyAnswered(SurveyAnswered(surveyId: id, score: score, comment: score <= 2 ? "Too slow to fix" : nil)),
                    at: sent.adding(seconds: minutes(random.logNormal(median: 600, sigma: 1.2))), actor: Actor(kind: .tool, id: "surveys"), source: "email")
            } else if random.chance(0.5) {
                add(.surveyExpired(SurveyExpired(surveyId: id)), at: sent.adding(seconds: 14 * 86_400), actor: Actor(kind: .system, id: "surveys"), source: "email")
            }
        }
        var closeAt = resolved.adding(seconds: minutes(30))
        if !scheduled, severity <= .sev2 {
            let started = resolved.adding(seconds: 86_400)
            add(.postmortemStarted(PostmortemStarted(owner: oncall.id, dueAt: started.adding(seconds: 7 * 86_400))), at: started, actor: oncall, source: "cli")
            add(.rootCauseRecorded(RootCauseRecorded(summary: "A change to \(service) exhausted a connection pool", category: random.weighted([(.change, 0.35), (.configuration, 0.2), (.capacity, 0.15), (.dependency, 0.15), (.softwareDefect, 0.15)]))),
                at: started.adding(seconds: 2 * 86_400), actor: oncall, source: "cli")
            for item in 1...Int(1 + random.unit() * 3) {
                let id = "ai-\(item)"
                let opened = started.adding(seconds: 2 * 86_400)
                let due = opened.adding(seconds: Int64(random.logNormal(median: 14, sigma: 0.5) * 86_400))
                add(.actionItemOpened(ActionItemOpened(actionItemId: id, title: "Guard \(service) against pool exhaustion (\(item))", owner: "team-\(service)@example.com", dueAt: due)),
                    at: opened, actor: oncall, source: "cli")
                if random.chance(0.7) {
                    add(.actionItemCompleted(ActionItemCompleted(actionItemId: id)), at: opened.adding(seconds: Int64(random.logNormal(median: 12, sigma: 0.7) * 86_400)), actor: oncall, source: "cli")
                }
            }
            let published = started.adding(seconds: Int64(random.logNormal(median: 5, sigma: 0.5) * 86_400))
            add(.postmortemPublished(PostmortemPublished(documentUrl: "https://wiki.example.com/pm/\(stream)")), at: published, actor: oncall, source: "cli")
            closeAt = published.adding(seconds: 3600)
        }
        if !scheduled, random.chance(0.03) {
            add(.corrected(EventCorrected(target: declarationID.uuidString, fields: ["detectedAt": .string(detected.adding(seconds: -minutes(3)).maxed(impact).rfc3339)], reason: "The first alert fired earlier than recorded")),
                at: resolved.adding(seconds: 86_400), actor: oncall, source: "cli")
        }
        let closing = random.uuid()
        if options.everyFamily {
            everyOtherFamily(
                number: number, declared: declared, resolved: resolved, closeAt: closeAt, closing: closing, severity: severity, service: service,
                declarationID: declarationID, oncall: oncall, add: &out)
        } else {
            add(.closed(IncidentClosed()), at: closeAt, actor: oncall, source: "cli", id: closing)
        }
        return out
    }

    /// The events of ``Options/everyFamily``, ending with the incident's closure, its merge into an
    /// earlier incident (with the id the closure has without them), or a closure, reopening, second
    /// resolution and closure.
    private mutating func everyOtherFamily(
        number: Int, declared: Timestamp, resolved: Timestamp, closeAt: Timestamp, closing: UUID, severity: Severity, service: String, declarationID: UUID,
        oncall: Actor,
        add out: inout [(Int64, StreamEvent)]
    ) {
        let stream = String(format: "INC-%06d", number + 1)
        func add(_ event: IncidentEvent, at time: Timestamp, id: UUID? = nil) {
            let proposed = Catalog.proposed(event, id: identifier(id ?? extra.uuid(), at: time), occurredAt: time, sourceRecordedAt: time, actor: oncall, source: "cli")
            out.append((time.microsecondsSinceEpoch, StreamEvent(stream: stream, event: proposed)))
        }
        let span = Double(resolved.microsecondsSinceEpoch - declared.microsecondsSinceEpoch) / 1e6
        func during(_ fraction: Double) -> Timestamp { declared.adding(seconds: Int64(span * fraction)) }
        let earlier = number > 0 ? String(format: "INC-%06d", Int(extra.unit() * Double(number)) + 1) : nil

        if let earlier {
            add(.linked(IncidentLinked(otherIncident: earlier, relation: extra.weighted([(.related, 0.6), (.causedBy, 0.3), (.duplicateOf, 0.1)]))), at: during(0.1))
        }
        let mistake = identifier(extra.uuid(), at: during(0.15))
        add(.noteAdded(InternalNoteAdded(text: "Posted to the wrong incident")), at: during(0.15), id: mistake)
        add(.retracted(EventRetracted(target: mistake.uuidString, reason: "Recorded against the wrong incident")), at: during(0.15).adding(seconds: 120))
        let engineer = "engineer-\(Int(extra.unit() * 30))@example.com"
        let role: ResponderRole = extra.weighted([(.engineer, 0.7), (.communicationsLead, 0.2), (.support, 0.1)])
        add(.responderAssigned(ResponderAssigned(person: engineer, role: role)), at: during(0.2))
        add(.scopeChanged(IncidentScopeChanged(
            services: [service, Self.services[(Self.services.firstIndex(of: service)! + 1 + Int(extra.unit() * Double(Self.services.count - 1))) % Self.services.count]],
            customersAffected: Int64(extra.logNormal(median: 200, sigma: 1.5)),
            note: "Impact reassessed")), at: during(0.25))
        add(.severityChanged(IncidentSeverityChanged(severity: severity == .sev1 ? .sev2 : .sev1, reason: "Impact reassessed")), at: during(0.27))
        add(.severityChanged(IncidentSeverityChanged(severity: severity, reason: "Fewer customers affected than feared")), at: during(0.7))
        let customer = "acct-\(Int(extra.unit() * 3000))"
        add(.escalationRaised(EscalationRaised(escalationId: "esc-sla", fromLevel: .support, toLevel: .engineering, reason: .slaAtRisk, customer: customer)), at: during(0.3))
        add(.stakeholdersNotified(StakeholdersNotified(groups: [.customerSuccess], note: "SLA at risk for \(customer)")), at: during(0.3))
        add(.escalationAcknowledged(EscalationAcknowledged(escalationId: "esc-sla", by: "eng-manager@example.com")), at: during(0.4))
        add(.escalationDeescalated(EscalationDeescalated(escalationId: "esc-sla", toLevel: .support, reason: "A workaround is in place")), at: during(0.5))
        add(.sponsorshipEnrolled(SponsorshipEnrolled(customer: customer, sponsor: "vp-support@example.com")), at: during(0.6))
        add(.responderReleased(ResponderReleased(person: engineer, role: role)), at: during(0.8))
        add(.escalationClosed(EscalationClosed(escalationId: "esc-sla", resolution: "Workaround held")), at: resolved)
        let corrected: Severity = severity == .sev4 ? .sev3 : .sev4
        add(.corrected(EventCorrected(target: declarationID.uuidString, fields: ["severity": .string(corrected.rawValue)], reason: "Severity mistyped at the declaration")),
            at: resolved.adding(seconds: 60))
        add(.sponsorshipEnded(SponsorshipEnded(customer: customer, reason: "Recovered")), at: resolved.adding(seconds: 600))
        add(.contributingFactorRecorded(ContributingFactorRecorded(summary: "Alerts on \(service) went to a muted channel")), at: resolved.adding(seconds: 7200))
        add(.handedOff(IncidentHandedOff(from: oncall.id, to: engineer, fromShift: "emea", toShift: "apac", summary: "Workaround in place; watching \(service)")),
            at: during(0.55))
        add(.findingRecorded(PostmortemFindingRecorded(kind: extra.weighted([(.wentWell, 0.4), (.couldBeBetter, 0.4), (.gotLucky, 0.2)]), text: "The workaround held")),
            at: resolved.adding(seconds: 7300))

        // Every fourth incident is merged into an earlier one, and another fourth reopened after its closure.
        if let earlier, number % 4 == 3 {
            add(.merged(IncidentMerged(into: earlier)), at: closeAt, id: closing)
        } else {
            add(.closed(IncidentClosed()), at: closeAt, id: closing)
            if number % 4 == 1 {
                add(.reopened(IncidentReopened(reason: "Errors returned")), at: closeAt.adding(seconds: 3600))
                add(.resolved(IncidentResolved(summary: "\(service) recovered again")), at: closeAt.adding(seconds: 7200))
                add(.closed(IncidentClosed(note: "Stable since the second fix")), at: closeAt.adding(seconds: 10_800))
            }
        }
    }
}

extension HistoryGenerator {
    /// The id of an event happening at `time`: `drawn`, or with ``Options/timeOrderedIDs`` the
    /// version 7 UUID of `time` with `drawn`'s random bits (the same for the same time).
    func identifier(_ drawn: UUID, at time: Timestamp) -> UUID {
        guard options.timeOrderedIDs else { return drawn }
        var bytes = drawn.uuid
        let milliseconds = UInt64(max(0, time.microsecondsSinceEpoch / 1000))
        withUnsafeMutableBytes(of: &bytes) { raw in
            for index in 0..<6 { raw[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
            raw[6] = 0x70 | (raw[6] & 0x0F)
        }
        return UUID(uuid: bytes)
    }

    /// Seconds from `time` until `later`, or 0 when `time` is not earlier.
    static func secondsUntil(_ later: Timestamp, from time: Timestamp) -> Int64 {
        max(0, (later.microsecondsSinceEpoch - time.microsecondsSinceEpoch) / 1_000_000 + 1)
    }
}

extension Timestamp {
    func maxed(_ other: Timestamp) -> Timestamp { Swift.max(self, other) }
}

extension Int64 {
    func clamped(_ low: Int64, _ high: Int64) -> Int64 { Swift.min(Swift.max(self, low), high) }
}
