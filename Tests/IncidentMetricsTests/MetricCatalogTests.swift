import Foundation
import IncidentEvents
import LedgerModel
import IncidentMetrics
import Testing

/// Hand-worked cases for the metric definitions, on facts built by hand.
@Suite struct MetricCatalogTests {
    static func micros(_ text: String) -> Int64 { try! Timestamp(rfc3339: text).microsecondsSinceEpoch }

    static func incident(_ id: String, declared: String = "2026-07-06T10:00:00Z", severity: Severity = .sev2, kind: IncidentKind = .unplanned) -> IncidentMetricFacts {
        var facts = IncidentMetricFacts(incident: id)
        facts.declared = micros(declared)
        facts.severity = severity
        facts.kind = kind
        return facts
    }

    static let context = MetricContext(asOf: micros("2026-12-01T00:00:00Z"))

    static func compute(_ name: String, _ facts: [IncidentMetricFacts], by: MetricDimension? = nil, filter: IncidentFilter = .init(), context: MetricContext = context) -> MetricResult {
        MetricResult.compute(MetricCatalog.named(name)!, over: facts, filter: filter, breakdown: by, context: context)
    }

    @Test func missingMomentsAreExcludedWithTheirReasonNeverZero() {
        var resolved = Self.incident("A")
        resolved.impactStarted = Self.micros("2026-07-06T09:30:00Z")
        resolved.resolved = Self.micros("2026-07-06T11:00:00Z")
        var noImpact = Self.incident("B")
        noImpact.resolved = Self.micros("2026-07-06T12:00:00Z")
        var open = Self.incident("C")
        open.impactStarted = Self.micros("2026-07-06T09:00:00Z")
        let maintenance = Self.incident("D", kind: .scheduledMaintenance)
        let undeclared = IncidentMetricFacts(incident: "E")

        let result = Self.compute("time_to_resolve", [resolved, noImpact, open, maintenance, undeclared])
        #expect(result.incidents == 4)
        #expect(result.overall.count == 1)
        #expect(result.overall.statistics?.median == 5400)
        #expect(result.overall.excluded == ["impact start not recorded": 1, "still open": 1, "scheduled maintenance": 1])

        let fromDeclaration = Self.compute("time_to_resolve_from_declaration", [resolved, noImpact, open])
        // Two durations, 3600 s and 7200 s: the median is their mean.
        #expect(fromDeclaration.overall.statistics.map { [$0.median, $0.maximum.map(Double.init)] } == [5400, 7200])
    }

    @Test func firstRepliesBreakDownByTierAndChannel() {
        var facts = Self.incident("A")
        let t = Self.micros("2026-07-06T10:00:00Z")
        facts.messages = [
            .init(customer: "acme", channel: .email, tier: "enterprise", threatensToLeave: false, received: t, firstReply: t + 300_000_000),
            .init(customer: "acme", channel: .chat, tier: "enterprise", threatensToLeave: false, received: t + 60_000_000, firstReply: t + 120_000_000),
            .init(customer: "zeta", channel: .email, tier: nil, threatensToLeave: false, received: t, firstReply: nil),
        ]
        let byTier = Self.compute("time_to_first_reply", [facts], by: .tier)
        // The unanswered message is left out; an exclusion has no tier, so it falls in no tier's group.
        #expect(byTier.groups.map(\.name) == ["enterprise"])
        // acme's two replies, 300 s and 60 s: the median is their mean.
        #expect(byTier.groups[0].value.statistics?.median == 180)
        #expect(byTier.overall.excluded == ["unanswered": 1])
        let byChannel = Self.compute("time_to_first_reply", [facts], by: .channel)
        #expect(byChannel.groups.map { "\($0.name) \($0.value.count)" } == ["chat 1", "email 1"])
        // Per customer: acme's first message (email, 300 s); zeta unanswered.
        let perCustomer = Self.compute("time_to_first_reply_per_customer", [facts])
        #expect(perCustomer.overall.statistics?.median == 300)
        #expect(perCustomer.overall.excluded == ["unanswered": 1])
    }

    @Test func anIncidentCountsInEveryServiceItNames() {
        var a = Self.incident("A")
        a.services = ["checkout", "search"]
        a.publicUpdates = 4
        var b = Self.incident("B")
        b.services = ["search"]
        b.publicUpdates = 2
        let result = Self.compute("public_updates", [a, b], by: .service)
        #expect(result.groups.map { "\($0.name) \($0.value.total ?? -1)" } == ["checkout 4", "search 6"])
        #expect(result.overall.total == 6)
        #expect(Self.compute("public_updates", [a, b], filter: IncidentFilter(service: "checkout")).overall.total == 4)
    }

    /// A Berlin support calendar, 09:00–17:00 on weekdays.
    static let berlin: BusinessCalendar = {
        let json = #"{"id":"support-berlin","version":2,"timeZone":"Europe/Berlin","weeklyHours":{"monday":["09:00-17:00"],"tuesday":["09:00-17:00"],"wednesday":["09:00-17:00"],"thursday":["09:00-17:00"],"friday":["09:00-17:00"]},"holidays":["2026-10-05"]}"#
        return try! JSONDecoder().decode(BusinessCalendar.self, from: Data(json.utf8))
    }()

    static func policy(clock: ClockBasis, firstResponse: Int64? = nil, cadence: Int64? = nil, resolution: Int64? = nil, customer: String? = nil) -> IncidentMetricFacts.Policy {
        .init(
            policyId: clock == .calendar ? "standard" : "berlin", name: "P", customer: customer, clock: clock,
            calendar: clock == .calendar ? nil : "support-berlin", firstResponseMinutes: firstResponse, updateCadenceMinutes: cadence, resolutionMinutes: resolution)
    }

    /// A message on Friday 16:30 Berlin time answered on Monday 09:20: 16 hours 50 minutes of calendar
    /// time over a weekend, but 50 business minutes.
    @Test func firstResponseOverAWeekendInBusinessHours() {
        var facts = Self.incident("A", declared: "2026-10-02T14:00:00Z")
        facts.messages = [
            .init(customer: "acme", channel: .email, tier: nil, threatensToLeave: false, received: Self.micros("2026-10-02T14:30:00Z"), firstReply: Self.micros("2026-10-05T07:20:00Z")),
        ]
        // Monday 5 October is a holiday in this calendar: the reply on Tuesday 09:20 is 50 business minutes.
        facts.messages[0].firstReply = Self.micros("2026-10-06T07:20:00Z")
        facts.policies = [Self.policy(clock: .businessHours, firstResponse: 60), Self.policy(clock: .calendar, firstResponse: 60)]
        let context = MetricContext(calendars: ["support-berlin": Self.berlin], asOf: Self.context.asOf)
        let result = Self.compute("sla_first_response", [facts], by: .policy, context: context)
        let summary: [String] = result.groups.map { group in "\(group.name) \(group.value.total ?? -1)/\(group.value.count)" }
        #expect(summary == ["berlin 1/1", "standard 0/1"])
        // Calendar time: 3 days 16 h 50 min, missed by that less an hour.
        let expected: Int64 = 3 * 86_400 + 16 * 3600 + 50 * 60 - 3600
        #expect(result.groups[1].value.misses?.maximum == expected)

        // Without the calendar, the business-hours policy's observation is left out, named.
        let without = Self.compute("sla_first_response", [facts], context: Self.context)
        #expect(without.overall.excluded == ["calendar support-berlin not supplied": 1])
        #expect(without.overall.count == 1)
    }

    /// Across the clocks going back (Berlin, 25 October 2026) a night of no working time, and a
    /// working day that keeps its eight hours.
    @Test func durationsInBusinessHoursAcrossADaylightSavingChange() {
        var facts = Self.incident("A", declared: "2026-10-23T14:00:00Z")
        facts.acknowledged = Self.micros("2026-10-26T09:00:00Z")  // Friday 16:00 CEST → Monday 10:00 CET
        let business = MetricContext(clock: Self.berlin, calendars: [:], asOf: Self.context.asOf)
        // Friday 16:00–17:00 CEST and Monday 09:00–10:00 CET: two working hours.
        let working: Double = 2 * 3600, elapsed: Double = 2 * 86_400 + 19 * 3600
        #expect(Self.compute("time_to_acknowledge", [facts], context: business).overall.statistics?.median == working)
        #expect(Self.compute("time_to_acknowledge", [facts]).overall.statistics?.median == elapsed)
    }

    /// An incident declared at 16:30 on a Tuesday (Berlin, CEST) and acknowledged at 09:30 the next
    /// morning: seventeen hours of calendar time, one hour of working time across the night.
    @Test func durationsInBusinessHoursAcrossANight() {
        var facts = Self.incident("A", declared: "2026-07-07T14:30:00Z")
        facts.acknowledged = Self.micros("2026-07-08T07:30:00Z")
        let business = MetricContext(clock: Self.berlin, calendars: [:], asOf: Self.context.asOf)
        let working: Double = 3600, elapsed: Double = 17 * 3600
        #expect(Self.compute("time_to_acknowledge", [facts], context: business).overall.statistics?.median == working)
        #expect(Self.compute("time_to_acknowledge", [facts]).overall.statistics?.median == elapsed)
    }

    @Test func cadenceAndResolutionTargets() {
        var facts = Self.incident("A", severity: .sev1)
        let t = Self.micros("2026-07-06T10:00:00Z")
        facts.resolved = t + 5 * 3_600_000_000
        facts.gaps = [.init(from: t, to: t + 1_800_000_000), .init(from: t + 1_800_000_000, to: t + 5_400_000_000)]
        facts.policies = [Self.policy(clock: .calendar, cadence: 45, resolution: 240)]
        let cadence = Self.compute("sla_update_cadence", [facts])
        #expect(cadence.overall.ratio == 0)
        let longestGapOver: Int64 = 3600 - 45 * 60
        #expect(cadence.overall.misses?.maximum == longestGapOver)
        let resolution = Self.compute("sla_resolution", [facts])
        #expect(resolution.overall.misses?.maximum == 3600)
        var open = facts
        open.resolved = nil
        #expect(Self.compute("sla_resolution", [open]).overall.excluded == ["still open": 1])
    }

    /// Saturday night maintenance announced for 23:00–23:20: one kept, one started on time but ran
    /// 12 minutes long, one that started late.
    @Test func maintenanceWindows() {
        func window(_ id: String, start: String, end: String) -> IncidentMetricFacts {
            var facts = Self.incident(id, declared: "2026-07-01T09:00:00Z", severity: .sev4, kind: .scheduledMaintenance)
            facts.plannedStart = Self.micros("2026-07-04T23:00:00Z")
            facts.plannedEnd = Self.micros("2026-07-04T23:20:00Z")
            facts.maintenanceStarted = Self.micros(start)
            facts.resolved = Self.micros(end)
            return facts
        }
        let kept = window("A", start: "2026-07-04T23:00:00Z", end: "2026-07-04T23:18:00Z")
        let overran = window("B", start: "2026-07-04T23:00:00Z", end: "2026-07-04T23:32:00Z")
        let late = window("C", start: "2026-07-04T23:25:00Z", end: "2026-07-04T23:30:00Z")
        var unannounced = Self.incident("D", kind: .scheduledMaintenance)
        unannounced.resolved = Self.micros("2026-07-06T11:00:00Z")
        let result = Self.compute("maintenance_window_kept", [kept, overran, late, unannounced, Self.incident("E")])
        #expect(result.overall.count == 3)
        #expect(result.overall.total == 1)
        #expect(result.overall.misses?.count == 2)
        #expect(result.overall.misses?.maximum == 720)
        #expect(result.overall.excluded == ["window not announced": 1])
    }

    @Test func satisfaction() {
        var facts = Self.incident("A")
        facts.surveys = [
            .init(scale: .csat, score: 5, expired: false), .init(scale: .csat, score: 4, expired: false), .init(scale: .csat, score: 2, expired: false),
            .init(scale: .csat, score: nil, expired: true),
            .init(scale: .nps, score: 10, expired: false), .init(scale: .nps, score: 9, expired: false), .init(scale: .nps, score: 7, expired: false),
            .init(scale: .nps, score: 3, expired: false),
        ]
        #expect(Self.compute("survey_response_rate", [facts]).overall.ratio == 7.0 / 8)
        // By incident: one group per incident.
        var other = Self.incident("B")
        other.surveys = [.init(scale: .csat, score: 1, expired: false)]
        let byIncident = Self.compute("csat", [facts, other], by: .incident)
        #expect(byIncident.groups.map(\.name) == ["A", "B"])
        #expect(byIncident.groups.map(\.value.ratio) == [2.0 / 3, 0])
        #expect(Self.compute("csat", [facts]).overall.ratio == 2.0 / 3)
        #expect(Self.compute("csat_score", [facts]).overall.statistics?.mean == 11.0 / 3)
        // 2 promoters, 1 detractor of 4: +25.
        #expect(Self.compute("nps", [facts]).overall.ratio == 25)
    }

    @Test func promisesRatesAndTallies() {
        var a = Self.incident("A")
        a.promisesMade = 4
        a.promisesKept = 2
        a.promisesMissed = 1
        a.promisesPending = 1
        a.impactStarted = Self.micros("2026-07-06T09:00:00Z")
        a.resolved = Self.micros("2026-07-06T11:00:00Z")
        a.messages = (0..<10).map { _ in .init(customer: "c", channel: .email, tier: nil, threatensToLeave: false, received: a.declared!, firstReply: nil) }
        a.escalations = [.init(level: .executive, reason: .threatToCancel, customer: "acme", at: a.declared!), .init(level: .engineering, reason: .severity, customer: nil, at: a.declared!)]
        a.actionItems = [.init(due: Self.micros("2026-08-01T00:00:00Z"), completed: nil), .init(due: Self.micros("2027-01-01T00:00:00Z"), completed: nil), .init(due: 0, completed: 1)]
        let promises = Self.compute("update_promises_kept", [a])
        #expect(promises.overall.ratio == 2.0 / 3)
        #expect(promises.overall.excluded == ["not yet due": 1])
        #expect(Self.compute("customer_messages_per_hour", [a]).overall.ratio == 5)
        #expect(Self.compute("executive_escalations", [a]).overall.total == 1)
        #expect(Self.compute("escalations", [a], by: .level).groups.map(\.name) == ["engineering", "executive"])
        #expect(Self.compute("action_items_overdue", [a]).overall.total == 1)
        #expect(Self.compute("action_items_completed", [a]).overall.total == 1)
    }

    /// A back-filled incident (created, updated and resolved at one instant) is in no clock, never a 0 s
    /// sample; one whose start conflicts with its end is in none that runs from the declaration.
    @Test func timesTheSourceNeverRecordedAreExcludedWithTheirReason() {
        var backfilled = Self.incident("A")
        backfilled.unknownTimes = .all
        backfilled.impactStarted = backfilled.declared
        backfilled.firstPublicUpdate = backfilled.declared
        backfilled.mitigated = backfilled.declared
        backfilled.resolved = backfilled.declared
        backfilled.publicUpdates = 1
        backfilled.gaps = [.init(from: backfilled.declared!, to: backfilled.declared!)]
        var conflicting = Self.incident("B")
        conflicting.unknownTimes = .start
        conflicting.impactStarted = Self.micros("2026-07-06T09:00:00Z")
        conflicting.resolved = Self.micros("2026-07-06T09:30:00Z")
        conflicting.mitigated = conflicting.resolved
        let reason = "back-filled by the source: times not known"
        for name in ["time_to_resolve", "time_to_resolve_from_declaration", "time_to_mitigate", "time_to_first_public_update", "longest_update_gap"] {
            let result = Self.compute(name, [backfilled])
            #expect(result.overall.count == 0, "\(name)")
            #expect(result.overall.excluded == [reason: 1], "\(name)")
        }
        // Counts still count.
        #expect(Self.compute("public_updates", [backfilled]).overall.total == 1)
        // From the declaration: not known; from the impact start (which the importer kept consistent): measured.
        #expect(Self.compute("time_to_resolve_from_declaration", [conflicting]).overall.excluded == ["start not known: the source's times conflict": 1])
        #expect(Self.compute("time_to_resolve", [conflicting]).overall.statistics?.median == 1800)
    }

    /// A promise nothing has fulfilled is judged against the report's time, not the ledger's last write.
    @Test func aPendingPromiseIsMissedOnceTheReportTimeIsPastIt() {
        var a = Self.incident("A")
        a.promisesMade = 1
        a.promisesPending = 1
        a.pendingPromiseDue = Self.micros("2026-07-06T10:30:00Z")
        let before = Self.compute("update_promises_kept", [a], context: MetricContext(asOf: Self.micros("2026-07-06T10:29:59Z")))
        #expect(before.overall.count == 0)
        #expect(before.overall.excluded == ["not yet due": 1])
        let after = Self.compute("update_promises_kept", [a], context: MetricContext(asOf: Self.micros("2026-07-06T10:30:01Z")))
        #expect(after.overall.count == 1)
        #expect(after.overall.ratio == 0)
    }

    @Test func periods() throws {
        let q3 = try #require(CalendarPeriod.parse("2026-Q3"))
        #expect(q3.start == Self.micros("2026-07-01T00:00:00Z"))
        #expect(q3.end == Self.micros("2026-10-01T00:00:00Z"))
        #expect(q3.previous.name == "2026-Q2")
        #expect(CalendarPeriod.parse("2026-Q1")!.previous.name == "2025-Q4")
        #expect(CalendarPeriod.parse("2026-01")!.previous.name == "2025-12")
        let range = try #require(CalendarPeriod.parse("2026-07-01..2026-07-15"))
        #expect(range.previous.name == "2026-06-17..2026-07-01")
        #expect(CalendarPeriod.quarter(containing: Self.micros("2026-12-31T23:59:59Z")).name == "2026-Q4")
        #expect(CalendarPeriod.month(containing: Self.micros("1969-12-31T23:00:00Z")).name == "1969-12")
        for bad in ["2026-Q5", "2026-13", "2026-07-15..2026-07-01", "2026-02-30..2026-03-01", "Q3"] { #expect(CalendarPeriod.parse(bad) == nil, "\(bad)") }
    }

    /// A period whose review would look back before year 1 (which no timestamp can write) or whose
    /// year overflows the day count is refused, not a crash: found by the API's property-based test.
    @Test(arguments: ["0000-01", "0999-Q4", "1000-01-01..1000-01-02", "0001-01-01..9999-12-31", "1500-01-01..2600-01-01", "9223372036854775807-01-01..9223372036854775807-01-02"])
    func periodsOutOfRangeAreRefused(text: String) {
        #expect(CalendarPeriod.parse(text) == nil)
    }

    @Test func theEarliestPeriodsReviewWithoutCrashing() throws {
        for text in ["1000-Q1", "1000-01", "1000-01-02..1000-01-03", "1500-01-01..2000-01-01", "9999-12", "9999-Q4"] {
            let period = try #require(CalendarPeriod.parse(text), "\(text)")
            let review = QuarterlyReview.build(period: period, facts: [], head: LedgerHead(position: 1, hash: .zero, recordedAt: Timestamp(microsecondsSinceEpoch: 0)), context: MetricContext(asOf: period.end))
            #expect(review.period == period)
        }
    }
}
