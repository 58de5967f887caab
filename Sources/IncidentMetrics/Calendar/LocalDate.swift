import LedgerModel

/// A date on the wall calendar of a business calendar's time zone, with no time of day and no zone,
/// such as a holiday: `2026-12-25`.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1–9999 (proleptic Gregorian).
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31.
    public let day: Int

    /// A date; throws `invalidDate` for a day that does not exist, such as 2026-02-29.
    public init(year: Int, month: Int, day: Int) throws(BusinessCalendarError) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CivilDays.daysIn(month: month, year: year)).contains(day)
        else {
            throw BusinessCalendarError(
                code: .invalidDate,
                message: "\(year)-\(month)-\(day) is not a date in years 1–9999"
            )
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, such as `2026-12-25`.
    public init(_ text: String) throws(BusinessCalendarError) {
        let bytes = Array(text.utf8)
        func field(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = field(0..<4), let month = field(5..<7), let day = field(8..<10)
        else {
            throw BusinessCalendarError(code: .invalidDate, message: "\(MessageText.quoted(text)) is not a date; expected YYYY-MM-DD such as 2026-12-25")
        }
        try self.init(year: year, month: month, day: day)
    }

    /// The date that is this many days after 1970-01-01 (negative before it).
    init(dayNumber: Int) {
        let (year, month, day) = CivilDays.civil(fromDays: dayNumber)
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01, negative before it.
    var dayNumber: Int { CivilDays.days(year: year, month: month, day: day) }

    /// The day of the week this date falls on.
    public var weekday: Weekday { Weekday(dayNumber: dayNumber) }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

extension LocalDate: Codable, TextCodable {}
