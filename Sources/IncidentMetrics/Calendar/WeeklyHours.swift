import LedgerModel

/// A day of the week, numbered as ISO 8601 does: Monday is 1, Sunday is 7.
public enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The lower-case English name used in the JSON form: `monday` … `sunday`.
    public var name: String {
        switch self {
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        case .sunday: "sunday"
        }
    }

    /// The weekday with this lower-case English name, or nil.
    public init?(name: String) {
        guard let day = Weekday.allCases.first(where: { $0.name == name }) else { return nil }
        self = day
    }

    /// The weekday of a day counted from 1970-01-01, which was a Thursday.
    init(dayNumber: Int) {
        let mondayBased = ((dayNumber % 7) + 7 + 3) % 7
        self = Weekday(rawValue: mondayBased + 1) ?? .monday
    }

    public var description: String { name }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A local wall-clock time of day, from 00:00 to 24:00 inclusive, to the second.
///
/// 24:00 exists only as the end of a working interval: the midnight at the end of the day.
public struct LocalTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since the day's midnight, 0...86,400.
    public let secondsSinceMidnight: Int

    /// A time of day; `hour: 24` is allowed only with zero minutes and seconds.
    public init(hour: Int, minute: Int = 0, second: Int = 0) throws(BusinessCalendarError) {
        guard (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
            || hour == 24 && minute == 0 && second == 0
        else {
            throw BusinessCalendarError(
                code: .invalidTime,
                message: "\(hour):\(minute):\(second) is not a time of day between 00:00 and 24:00"
            )
        }
        secondsSinceMidnight = hour * 3600 + minute * 60 + second
    }

    /// Parses `HH:MM` or `HH:MM:SS`, such as `09:00`, `17:30:15` or `24:00`.
    public init(_ text: String) throws(BusinessCalendarError) {
        let bytes = Array(text.utf8)
        func field(_ start: Int) -> Int? {
            guard start + 2 <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + 2] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        let wellFormed = (bytes.count == 5 || bytes.count == 8) && bytes[2] == UInt8(ascii: ":")
            && (bytes.count == 5 || bytes[5] == UInt8(ascii: ":"))
        guard wellFormed, let hour = field(0), let minute = field(3) else {
            throw BusinessCalendarError(code: .invalidTime, message: "\(MessageText.quoted(text)) is not a time; expected HH:MM or HH:MM:SS such as 09:00")
        }
        var second = 0
        if bytes.count == 8 {
            guard let value = field(6) else {
                throw BusinessCalendarError(code: .invalidTime, message: "\(MessageText.quoted(text)) is not a time; expected HH:MM or HH:MM:SS such as 09:00")
            }
            second = value
        }
        try self.init(hour: hour, minute: minute, second: second)
    }

    /// 00:00, the start of a day.
    public static let startOfDay = LocalTime(uncheckedSeconds: 0)
    /// 24:00, the midnight that ends a day.
    public static let endOfDay = LocalTime(uncheckedSeconds: 86_400)

    private init(uncheckedSeconds: Int) {
        secondsSinceMidnight = uncheckedSeconds
    }

    /// `HH:MM`, or `HH:MM:SS` when the seconds are not zero.
    public var description: String {
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let hour = secondsSinceMidnight / 3600
        let minute = secondsSinceMidnight % 3600 / 60
        let second = secondsSinceMidnight % 60
        return second == 0 ? "\(pad(hour)):\(pad(minute))" : "\(pad(hour)):\(pad(minute)):\(pad(second))"
    }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        lhs.secondsSinceMidnight < rhs.secondsSinceMidnight
    }
}

/// Working time on one day, from a local wall-clock start up to (not including) a local end.
///
/// An interval may not cross midnight: its end is later on the same day, at most 24:00. Work from
/// 22:00 to 06:00 is written as 22:00–24:00 on one day and 00:00–06:00 on the next; two such
/// intervals that meet at midnight count as one continuous stretch.
public struct WorkingInterval: Sendable, Hashable, CustomStringConvertible {
    /// When work starts, included.
    public let start: LocalTime
    /// When work stops, excluded; later than `start`, at most 24:00.
    public let end: LocalTime

    /// An interval; throws `invalidInterval` unless `start < end`.
    public init(start: LocalTime, end: LocalTime) throws(BusinessCalendarError) {
        guard start < end else {
            throw BusinessCalendarError(
                code: .invalidInterval,
                message: "the working interval \(start)-\(end) must end after it starts on the same day (intervals may not cross midnight; split them at 24:00)"
            )
        }
        self.start = start
        self.end = end
    }

    /// Parses `HH:MM-HH:MM` (seconds optional on either side), such as `09:00-17:30` or `22:00-24:00`.
    public init(_ text: String) throws(BusinessCalendarError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw BusinessCalendarError(code: .invalidInterval, message: "\(MessageText.quoted(text)) is not a working interval; expected HH:MM-HH:MM such as 09:00-17:30")
        }
        try self.init(start: LocalTime(String(parts[0])), end: LocalTime(String(parts[1])))
    }

    /// 00:00–24:00, the whole day.
    public static let wholeDay = WorkingInterval(uncheckedStart: .startOfDay, end: .endOfDay)

    /// For callers that have already checked `start < end`.
    fileprivate init(uncheckedStart start: LocalTime, end: LocalTime) {
        self.start = start
        self.end = end
    }

    /// The nominal length in seconds (on a daylight-saving day the real length may differ).
    public var seconds: Int { end.secondsSinceMidnight - start.secondsSinceMidnight }

    /// `HH:MM-HH:MM`, the JSON form.
    public var description: String { "\(start)-\(end)" }
}

extension WorkingInterval: Codable, TextCodable {}

/// The working intervals of each day of the week, in local wall-clock time.
///
/// Each day's intervals are kept sorted; intervals that overlap or touch are merged into one.
/// A day with no intervals is closed.
public struct WeeklyHours: Sendable, Hashable {
    /// Monday first; each day's intervals sorted, disjoint and not touching.
    private var days: [[WorkingInterval]]

    /// The hours of each listed day; days not listed are closed.
    public init(_ hours: [Weekday: [WorkingInterval]] = [:]) {
        days = Weekday.allCases.map { Self.normalized(hours[$0] ?? []) }
    }

    /// The same intervals on Monday to Friday; Saturday and Sunday closed.
    public static func mondayToFriday(_ intervals: WorkingInterval...) -> WeeklyHours {
        WeeklyHours([.monday: intervals, .tuesday: intervals, .wednesday: intervals, .thursday: intervals, .friday: intervals])
    }

    /// The same intervals on all seven days.
    public static func everyDay(_ intervals: WorkingInterval...) -> WeeklyHours {
        WeeklyHours(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, intervals) }))
    }

    /// The working intervals of a weekday, sorted; empty when the day is closed.
    public subscript(weekday: Weekday) -> [WorkingInterval] {
        days[weekday.rawValue - 1]
    }

    /// The nominal working time of a week, in seconds.
    public var secondsPerWeek: Int {
        days.reduce(0) { total, day in total + day.reduce(0) { $0 + $1.seconds } }
    }

    private static func normalized(_ intervals: [WorkingInterval]) -> [WorkingInterval] {
        var merged: [WorkingInterval] = []
        for interval in intervals.sorted(by: { $0.start < $1.start }) {
            if let last = merged.last, interval.start <= last.end {
                if interval.end > last.end {
                    merged[merged.count - 1] = WorkingInterval(uncheckedStart: last.start, end: interval.end)
                }
            } else {
                merged.append(interval)
            }
        }
        return merged
    }
}

extension WeeklyHours: Codable {
    /// The JSON form: an object from weekday name to a list of `HH:MM-HH:MM` intervals. Missing days
    /// are closed; an unknown day name is an error. Encoding writes all seven days, closed ones as `[]`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: DayKey.self)
        var hours: [Weekday: [WorkingInterval]] = [:]
        for key in container.allKeys {
            guard let weekday = Weekday(name: key.stringValue) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key,
                    in: container,
                    debugDescription: "\(MessageText.quoted(key.stringValue)) is not a weekday; expected monday … sunday in lower case"
                )
            }
            hours[weekday] = try container.decode([WorkingInterval].self, forKey: key)
        }
        self.init(hours)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DayKey.self)
        for weekday in Weekday.allCases {
            try container.encode(self[weekday], forKey: DayKey(weekday.name))
        }
    }

    private struct DayKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
