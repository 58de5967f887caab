import Foundation
import IncidentEvents
import LedgerModel
import Testing

/// Planned maintenance against the policy, one rule at a time: a window that keeps it and one that
/// breaks it, with local days and hours worked out by hand (2026-03-14 is a Saturday; Europe/Berlin is
/// UTC+1 until 2026-03-29, UTC+2 from then on).
@Suite struct MaintenanceChecksTests {
    static func time(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }

    /// The rules the window breaks under `policy` (the standard one by default), announced on 2026-03-01.
    static func rules(
        _ start: String, _ end: String, declaredAt: String = "2026-03-01T12:00:00Z", policy: PlaybookPolicy.Maintenance = PlaybookPolicy.standard.maintenance
    ) -> [String] {
        MaintenanceChecks.findings(plannedStart: time(start), plannedEnd: time(end), declaredAt: time(declaredAt), policy: policy).map(\.rule.rawValue)
    }

    static var berlin: PlaybookPolicy.Maintenance {
        var policy = PlaybookPolicy.standard.maintenance
        policy.timeZone = "Europe/Berlin"
        policy.days = ["sunday"]
        policy.opens = "01:00"
        policy.closes = "05:00"
        policy.maximumMinutes = 60
        return policy
    }

    @Test func aWindowInsideThePolicyBreaksNothing() {
        #expect(Self.rules("2026-03-14T22:00:00Z", "2026-03-14T22:20:00Z").isEmpty, "Saturday 22:00, 20 minutes, 13 days ahead")
        #expect(Self.rules("2026-03-15T05:40:00Z", "2026-03-15T06:00:00Z").isEmpty, "past midnight, in Saturday night's window until 06:00")
        // In the policy's zone: Sunday 01:30 in Berlin is Saturday 00:30 UTC in winter, 23:30 UTC in summer.
        #expect(Self.rules("2026-03-22T00:30:00Z", "2026-03-22T01:30:00Z", policy: Self.berlin).isEmpty)
        #expect(Self.rules("2026-04-04T23:30:00Z", "2026-04-05T00:30:00Z", policy: Self.berlin).isEmpty)
    }

    @Test func theDayTheWindowOpensOn() {
        #expect(Self.rules("2026-03-17T22:00:00Z", "2026-03-17T22:20:00Z") == ["maintenance-day"], "a Tuesday night")
        // Sunday 01:00 belongs to Saturday night's window; Monday 01:00 to Sunday night's, which the policy does not have.
        #expect(Self.rules("2026-03-16T01:00:00Z", "2026-03-16T01:20:00Z") == ["maintenance-day"])
        // The same hours in UTC: Saturday 23:30 opens on a Saturday, and outside 01:00–05:00.
        var utc = Self.berlin
        utc.timeZone = "UTC"
        #expect(Self.rules("2026-03-21T23:30:00Z", "2026-03-22T00:30:00Z", policy: utc) == ["maintenance-day", "maintenance-hours"])
        let finding = MaintenanceChecks.findings(
            plannedStart: Self.time("2026-03-17T22:00:00Z"), plannedEnd: Self.time("2026-03-17T22:20:00Z"), declaredAt: Self.time("2026-03-01T12:00:00Z"),
            policy: PlaybookPolicy.standard.maintenance)[0]
        #expect(finding.field == "payload.plannedStart")
        #expect(finding.message == "the window opens on a Tuesday (Tuesday 22:00 UTC), but the policy lets maintenance open only on saturday; move it to one of those days or declare the work as unplanned")
    }

    @Test func theHoursOfTheWindow() {
        #expect(Self.rules("2026-03-14T14:00:00Z", "2026-03-14T14:20:00Z") == ["maintenance-hours"], "Saturday afternoon")
        #expect(Self.rules("2026-03-15T05:50:00Z", "2026-03-15T06:10:00Z") == ["maintenance-hours"], "runs past 06:00")
        let finding = MaintenanceChecks.findings(
            plannedStart: Self.time("2026-03-14T14:00:00Z"), plannedEnd: Self.time("2026-03-14T14:20:00Z"), declaredAt: Self.time("2026-03-01T12:00:00Z"),
            policy: PlaybookPolicy.standard.maintenance)[0]
        #expect(finding.message == "the window Saturday 14:00–Saturday 14:20 (UTC) lies outside the policy's hours 22:00–06:00; move it inside them")
        // In Berlin's hours: Sunday 00:30 local (23:30 UTC Saturday, winter) is before 01:00.
        #expect(Self.rules("2026-03-21T23:30:00Z", "2026-03-22T00:10:00Z", policy: Self.berlin) == ["maintenance-hours"])
    }

    @Test func theLengthOfTheWindow() {
        #expect(Self.rules("2026-03-14T22:00:00Z", "2026-03-14T22:20:00Z").isEmpty, "20 minutes is the most")
        #expect(Self.rules("2026-03-14T22:00:00Z", "2026-03-14T22:21:00Z") == ["maintenance-too-long"])
        // A three-day window: too long, and it runs far past Sunday 06:00.
        let threeDays = MaintenanceChecks.findings(
            plannedStart: Self.time("2026-03-14T22:00:00Z"), plannedEnd: Self.time("2026-03-17T22:00:00Z"), declaredAt: Self.time("2026-03-01T12:00:00Z"),
            policy: PlaybookPolicy.standard.maintenance)
        #expect(threeDays.map(\.rule) == [.maintenanceHours, .maintenanceTooLong])
        #expect(threeDays[1].field == "payload.plannedEnd")
        #expect(threeDays[1].message == "the window lasts 3 days, longer than the policy's 20 minutes; shorten it or split the work")
    }

    @Test func theNoticeGiven() {
        // Saturday 22:00 announced exactly 72 hours ahead (Wednesday 22:00): enough; a second later: not.
        #expect(Self.rules("2026-03-14T22:00:00Z", "2026-03-14T22:20:00Z", declaredAt: "2026-03-11T22:00:00Z").isEmpty)
        #expect(Self.rules("2026-03-14T22:00:00Z", "2026-03-14T22:20:00Z", declaredAt: "2026-03-11T22:00:01Z") == ["maintenance-short-notice"])
        let late = MaintenanceChecks.findings(
            plannedStart: Self.time("2026-03-14T22:00:00Z"), plannedEnd: Self.time("2026-03-14T22:20:00Z"), declaredAt: Self.time("2026-03-14T20:00:00Z"),
            policy: PlaybookPolicy.standard.maintenance)
        #expect(late.map(\.message) == ["the window is announced 2 hours ahead, but the policy asks for 72 hours' notice; announce it earlier or move it later"])
        // Announced once it had opened.
        #expect(
            MaintenanceChecks.findings(
                plannedStart: Self.time("2026-03-14T22:00:00Z"), plannedEnd: Self.time("2026-03-14T22:20:00Z"), declaredAt: Self.time("2026-03-14T22:05:00Z"),
                policy: PlaybookPolicy.standard.maintenance
            ).map(\.message) == ["the window is announced after it opened, but the policy asks for 72 hours' notice; announce it earlier or move it later"])
    }

    @Test func aWindowAlreadyPast() {
        // The example: a window in 2020 declared today (2020-05-02 was a Saturday).
        #expect(Self.rules("2020-05-02T22:00:00Z", "2020-05-02T22:20:00Z", declaredAt: "2026-03-01T12:00:00Z") == ["maintenance-window-past"])
        // Closing at the very moment it is announced counts as past; a minute before closing, as short notice.
        #expect(Self.rules("2026-03-14T22:00:00Z", "2026-03-14T22:20:00Z", declaredAt: "2026-03-14T22:20:00Z") == ["maintenance-window-past"])
        #expect(Self.rules("2026-03-14T22:00:00Z", "2026-03-14T22:20:00Z", declaredAt: "2026-03-14T22:19:00Z") == ["maintenance-short-notice"])
    }

    @Test func aMaintenanceThatOverran() {
        let end = Self.time("2026-03-14T22:20:00Z")
        #expect(MaintenanceChecks.overran(plannedEnd: end, resolvedAt: end) == nil)
        let over = MaintenanceChecks.overran(plannedEnd: end, resolvedAt: Self.time("2026-03-14T22:32:00Z"))
        #expect(over?.rule == .maintenanceOverran)
        #expect(over?.message == "the maintenance was resolved 12 minutes after its window closed (2026-03-14T22:20:00Z), so it counts as an unplanned outage")
    }

    @Test func onlyScheduledMaintenanceIsCheckedAndAlwaysRefuseMakesEveryRuleRefuse() {
        let facts = IncidentFacts()
        let declared = IncidentDeclared(
            title: "Upgrade", kind: .scheduledMaintenance, severity: .sev4, plannedStart: Self.time("2026-03-17T22:00:00Z"),
            plannedEnd: Self.time("2026-03-17T22:20:00Z"))
        var policy = PlaybookPolicy.standard
        let warned = PlaybookChecks.findings(for: .declared(declared), occurredAt: Self.time("2026-03-01T12:00:00Z"), facts: facts, policy: policy)
        #expect(warned.map(\.rule) == [.maintenanceDay])
        #expect(!PlaybookChecks.refuses(warned[0], strict: false) && PlaybookChecks.refuses(warned[0], strict: true))
        policy.maintenance.alwaysRefuse = true
        let refused = PlaybookChecks.findings(for: .declared(declared), occurredAt: Self.time("2026-03-01T12:00:00Z"), facts: facts, policy: policy)
        #expect(refused.map(\.rule) == [.maintenanceDay])
        #expect(PlaybookChecks.refuses(refused[0], strict: false))
        var unplanned = declared
        unplanned.kind = .unplanned
        unplanned.plannedStart = nil
        unplanned.plannedEnd = nil
        #expect(PlaybookChecks.findings(for: .declared(unplanned), occurredAt: Self.time("2026-03-01T12:00:00Z"), facts: facts, policy: policy).isEmpty)
        #expect(PlaybookRule.maintenanceRules.allSatisfy { PlaybookRule.all.contains($0) && PlaybookRule(rawValue: $0.rawValue) == $0 })
    }
}
