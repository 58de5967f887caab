import Foundation
public import LedgerModel

/// Planned maintenance against the policy's window: its day and hours, its length, the notice given.
///
/// The declaration's checks and the figures use the same function (``findings(plannedStart:plannedEnd:declaredAt:policy:)``),
/// so a maintenance the review counts as unplanned is one recording warned about (or refused).
public enum MaintenanceChecks {
    /// The rules a scheduled maintenance declared at `occurredAt` breaks.
    public static func findings(for declared: IncidentDeclared, occurredAt: Timestamp, policy: PlaybookPolicy.Maintenance) -> [PlaybookFinding] {
        guard declared.kind == .scheduledMaintenance, let start = declared.plannedStart, let end = declared.plannedEnd else { return [] }
        return findings(plannedStart: start, plannedEnd: end, declaredAt: occurredAt, policy: policy)
    }

    /// The rules the window `plannedStart`–`plannedEnd`, announced at `declaredAt`, breaks. Under a
    /// policy that `alwaysRefuse`s, each finding's rule refuses always (``PlaybookRule/refusesAlways``).
    public static func findings(plannedStart start: Timestamp, plannedEnd end: Timestamp, declaredAt: Timestamp, policy: PlaybookPolicy.Maintenance) -> [PlaybookFinding] {
        let found = windowFindings(plannedStart: start, plannedEnd: end, declaredAt: declaredAt, policy: policy)
        guard policy.alwaysRefuse else { return found }
        return found.map { finding in
            var refusing = finding
            refusing.rule = PlaybookRule(finding.rule.rawValue, summary: finding.rule.summary, refusesAlways: true)
            return refusing
        }
    }

    static func windowFindings(plannedStart start: Timestamp, plannedEnd end: Timestamp, declaredAt: Timestamp, policy: PlaybookPolicy.Maintenance) -> [PlaybookFinding] {
        var found = [PlaybookFinding]()
        let clock = LocalClock(policy)
        let window = clock.windowHolding(start)
        let openingDay = window?.weekday ?? clock.weekday(of: start)
        let days = policy.days.joined(separator: ", ")
        if !policy.weekdays.contains(openingDay) {
            found.append(
                PlaybookFinding(
                    rule: .maintenanceDay, field: "payload.plannedStart",
                    message: "the window opens on a \(clock.dayName(openingDay)) (\(clock.local(start)) \(policy.timeZone)), but the policy lets maintenance open only on \(days); move it to one of those days or declare the work as unplanned"))
        }
        if window.map({ end > $0.close }) ?? true {
            found.append(
                PlaybookFinding(
                    rule: .maintenanceHours, field: "payload.plannedStart",
                    message: "the window \(clock.local(start))–\(clock.local(end)) (\(policy.timeZone)) lies outside the policy's hours \(policy.opens)–\(policy.closes); move it inside them"))
        }
        let length = (end.microsecondsSinceEpoch - start.microsecondsSinceEpoch) / 1_000_000
        if length > Int64(policy.maximumMinutes) * 60 {
            found.append(
                PlaybookFinding(
                    rule: .maintenanceTooLong, field: "payload.plannedEnd",
                    message: "the window lasts \(Self.words(seconds: length)), longer than the policy's \(policy.maximumMinutes) minutes; shorten it or split the work"))
        }
        if end <= declaredAt {
            found.append(
                PlaybookFinding(
                    rule: .maintenancePast, field: "payload.plannedStart",
                    message: "the window closed (\(end.rfc3339)) before it was announced (\(declaredAt.rfc3339)); record work already done as an unplanned incident"))
        } else {
            let notice = (start.microsecondsSinceEpoch - declaredAt.microsecondsSinceEpoch) / 1_000_000
            if notice < Int64(policy.noticeHours) * 3600 {
                let given = notice <= 0 ? "after it opened" : "\(Self.words(seconds: notice)) ahead"
                found.append(
                    PlaybookFinding(
                        rule: .maintenanceShortNotice, field: "payload.plannedStart",
                        message: "the window is announced \(given), but the policy asks for \(policy.noticeHours) hours' notice; announce it earlier or move it later"))
            }
        }
        return found
    }

    /// The figures' one check that recording cannot make: a maintenance resolved after its window closed.
    public static func overran(plannedEnd: Timestamp, resolvedAt: Timestamp) -> PlaybookFinding? {
        guard resolvedAt > plannedEnd else { return nil }
        let over = (resolvedAt.microsecondsSinceEpoch - plannedEnd.microsecondsSinceEpoch) / 1_000_000
        return PlaybookFinding(
            rule: .maintenanceOverran, field: nil,
            message: "the maintenance was resolved \(Self.words(seconds: over)) after its window closed (\(plannedEnd.rfc3339)), so it counts as an unplanned outage")
    }

    /// A length in the largest whole unit that fits: `3 days`, `2 hours`, `45 minutes`, `30 seconds`.
    static func words(seconds: Int64) -> String {
        let (count, unit): (Int64, String) =
            seconds >= 2 * 86_400 ? (seconds / 86_400, "day") : seconds >= 2 * 3600 ? (seconds / 3600, "hour")
            : seconds >= 60 ? (seconds / 60, "minute") : (seconds, "second")
        return "\(count) \(unit)\(count == 1 ? "" : "s")"
    }

    /// Days and times in the policy's zone.
    struct LocalClock {
        let calendar: Calendar
        let opens: Int
        let closes: Int

        init(_ policy: PlaybookPolicy.Maintenance) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: policy.timeZone) ?? TimeZone(identifier: "UTC")!
            self.calendar = calendar
            opens = policy.openingMinute
            closes = policy.closingMinute
        }

        static func date(_ time: Timestamp) -> Date { Date(timeIntervalSince1970: Double(time.microsecondsSinceEpoch) / 1_000_000) }
        static func timestamp(_ date: Date) -> Timestamp { Timestamp(microsecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1_000_000).rounded())) }

        /// 1 = Sunday … 7 = Saturday.
        func weekday(of time: Timestamp) -> Int { calendar.component(.weekday, from: Self.date(time)) }

        func dayName(_ weekday: Int) -> String { PlaybookPolicy.Maintenance.weekdayNames[weekday - 1].capitalized }

        /// `Saturday 23:00`, in the policy's zone.
        func local(_ time: Timestamp) -> String {
            let parts = calendar.dateComponents([.weekday, .hour, .minute], from: Self.date(time))
            return "\(dayName(parts.weekday!)) \(Self.twoDigits(parts.hour!)):\(Self.twoDigits(parts.minute!))"
        }

        static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

        /// One opening of the policy's hours: the day it opens on, and when it opens and closes.
        struct Window {
            var weekday: Int
            var open: Timestamp
            var close: Timestamp
        }

        /// The opening of the policy's hours (on any day) that `time` falls in, if any: the one that opens
        /// on its local day, or for hours past midnight the one that opened the day before.
        func windowHolding(_ time: Timestamp) -> Window? {
            let day = calendar.startOfDay(for: Self.date(time))
            let overnight = closes < opens
            let days = overnight ? [day, calendar.date(byAdding: .day, value: -1, to: day)!] : [day]
            return days.lazy.compactMap(window(openingOn:)).first { $0.open <= time && time < $0.close }
        }

        func window(openingOn day: Date) -> Window? {
            guard let open = at(opens, of: day), let closingDay = closes < opens ? calendar.date(byAdding: .day, value: 1, to: day) : day,
                  let close = at(closes, of: closingDay)
            else { return nil }
            return Window(weekday: calendar.component(.weekday, from: day), open: Self.timestamp(open), close: Self.timestamp(close))
        }

        /// The local time `minute` (after midnight; 1440 is the next midnight) on `day`, by the clock on the wall.
        func at(_ minute: Int, of day: Date) -> Date? {
            minute >= 1440
                ? calendar.date(byAdding: .day, value: 1, to: day)
                : calendar.date(bySettingHour: minute / 60, minute: minute % 60, second: 0, of: day)
        }
    }
}

extension PlaybookRule {
    public static let maintenanceDay = PlaybookRule("maintenance-day", summary: "A maintenance window opens on one of the policy's days, in its time zone.")
    public static let maintenanceHours = PlaybookRule("maintenance-hours", summary: "A maintenance window lies within the policy's hours (opens to closes, in its time zone).")
    public static let maintenanceTooLong = PlaybookRule("maintenance-too-long", summary: "A maintenance window lasts no longer than the policy's maximum minutes.")
    public static let maintenanceShortNotice = PlaybookRule(
        "maintenance-short-notice", summary: "A maintenance is announced (declared) at least the policy's notice hours before its window opens.")
    public static let maintenancePast = PlaybookRule("maintenance-window-past", summary: "A maintenance is announced before its window closes, not after.")
    public static let maintenanceOverran = PlaybookRule(
        "maintenance-overran", summary: "A maintenance is resolved by the end of its window (judged by the figures, not at declaration).")

    /// The rules of planned maintenance.
    public static let maintenanceRules: [PlaybookRule] = [
        maintenanceDay, maintenanceHours, maintenanceTooLong, maintenanceShortNotice, maintenancePast, maintenanceOverran,
    ]
}
