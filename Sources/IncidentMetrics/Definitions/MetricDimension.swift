import Foundation
import IncidentEvents
import LedgerModel

/// What a metric can be broken down by.
///
/// Incident-level dimensions come from the incident (the incident itself, the quarter and month of its declaration in
/// UTC, its final severity, its kind, each service in its final scope); sample-level ones from the
/// observation itself (the tier and channel of a customer message, the level and reason of an
/// escalation, the SLA policy). A sample without the dimension falls in the group `(none)`.
public enum MetricDimension: String, Codable, Sendable, CaseIterable, Comparable {
    case incident, quarter, month, severity, kind, service, tier, channel, level, reason, policy

    public static func < (lhs: MetricDimension, rhs: MetricDimension) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The group name for samples without the dimension.
    public static let none = "(none)"

    /// The groups an incident belongs to for an incident-level dimension (several for services).
    func groups(of facts: borrowing IncidentMetricFacts) -> [String]? {
        switch self {
        case .incident: [facts.incident]
        case .quarter: facts.declared.map { [CalendarPeriod.quarter(containing: $0).name] }
        case .month: facts.declared.map { [CalendarPeriod.month(containing: $0).name] }
        case .severity: [facts.severity?.rawValue ?? Self.none]
        case .kind: [facts.kind?.rawValue ?? Self.none]
        case .service: facts.services.isEmpty ? [Self.none] : facts.services
        case .tier, .channel, .level, .reason, .policy: nil
        }
    }
}

/// A span of time in UTC: a quarter, a month, or any range, start included, end excluded.
public struct CalendarPeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String
    /// Microseconds since the epoch.
    public var start: Int64
    public var end: Int64

    public init(name: String, start: Int64, end: Int64) {
        self.name = name
        self.start = start
        self.end = end
    }

    public var description: String { name }

    public func contains(_ instant: Int64) -> Bool { start <= instant && instant < end }

    static func micros(_ year: Int, _ month: Int, _ day: Int = 1) -> Int64 {
        Int64(CivilDays.days(year: year, month: month, day: day)) * 86_400_000_000
    }

    static func civil(_ instant: Int64) -> (year: Int, month: Int) {
        let days = Int(instant >= 0 ? instant / 86_400_000_000 : (instant - 86_399_999_999) / 86_400_000_000)
        let date = CivilDays.civil(fromDays: days)
        return (date.year, date.month)
    }

    /// The quarter `YYYY-Qn`.
    public static func quarter(year: Int, _ quarter: Int) -> CalendarPeriod {
        let startMonth = (quarter - 1) * 3 + 1
        let (endYear, endMonth) = startMonth + 3 > 12 ? (year + 1, 1) : (year, startMonth + 3)
        return CalendarPeriod(name: "\(year)-Q\(quarter)", start: micros(year, startMonth), end: micros(endYear, endMonth))
    }

    public static func quarter(containing instant: Int64) -> CalendarPeriod {
        let (year, month) = civil(instant)
        return quarter(year: year, (month - 1) / 3 + 1)
    }

    public static func month(year: Int, _ month: Int) -> CalendarPeriod {
        let (endYear, endMonth) = month == 12 ? (year + 1, 1) : (year, month + 1)
        return CalendarPeriod(name: String(format: "%04d-%02d", year, month), start: micros(year, month), end: micros(endYear, endMonth))
    }

    public static func month(containing instant: Int64) -> CalendarPeriod {
        let (year, month) = civil(instant)
        return Self.month(year: year, month)
    }

    /// The period of the same kind just before this one: the previous quarter or month, or for a
    /// range, the range of the same length that ends where this one starts.
    public var previous: CalendarPeriod {
        if let (year, quarter) = Self.parseQuarter(name) {
            return quarter == 1 ? Self.quarter(year: year - 1, 4) : Self.quarter(year: year, quarter - 1)
        }
        if let (year, month) = Self.parseMonth(name) {
            return month == 1 ? Self.month(year: year - 1, 12) : Self.month(year: year, month - 1)
        }
        let length = end - start
        let from = Timestamp(microsecondsSinceEpoch: start - length), to = Timestamp(microsecondsSinceEpoch: start)
        return CalendarPeriod(name: "\(Self.day(from))..\(Self.day(to))", start: start - length, end: start)
    }

    static func day(_ timestamp: Timestamp) -> String { String(timestamp.rfc3339.prefix(10)) }

    static func parseQuarter(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].count == 2, parts[1].first == "Q",
            let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter)
        else { return nil }
        return (year, quarter)
    }

    static func parseMonth(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month)
        else { return nil }
        return (year, month)
    }

    static func parseDay(_ text: Substring) -> Int64? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), years.contains(year), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...CivilDays.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        return micros(year, month, day)
    }

    /// The years a period may name. A review looks back two years of quarters and one period of the
    /// same length before its own, so those must stay within the times a timestamp can write.
    public static let years = 1000...9999

    /// Reads `2026-Q3`, `2026-07`, or `2026-07-01..2026-10-01` (end date excluded), within ``years``.
    public static func parse(_ text: String) -> CalendarPeriod? {
        if let (year, quarter) = parseQuarter(text) { return years.contains(year) ? Self.quarter(year: year, quarter) : nil }
        if let (year, month) = parseMonth(text) { return years.contains(year) ? Self.month(year: year, month) : nil }
        let ends = text.split(separator: ".", omittingEmptySubsequences: true)
        guard text.contains(".."), ends.count == 2, let start = parseDay(ends[0]), let end = parseDay(ends[1]), start < end,
            start - (end - start) >= micros(years.lowerBound, 1)
        else { return nil }
        return CalendarPeriod(name: text, start: start, end: end)
    }
}
