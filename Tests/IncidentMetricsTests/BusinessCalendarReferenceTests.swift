import LedgerTestSupport
import Foundation
import LedgerModel
import Testing
@testable import IncidentMetrics

/// Random calendars and instants checked against a plain reference built on Foundation's `Calendar`:
/// every quarter hour of 2026 is looked up as local date and wall-clock time, and the calendar is
/// open in that quarter hour when the date is no holiday and the time falls in one of the day's
/// intervals.
///
/// The reference reads the wall clock, so it agrees with the calendar's rule only where an interval
/// does not start or end strictly inside a repeated hour (there the rule cuts at the first pass; the
/// hand-worked tests cover that). Random boundaries are therefore quarter hours outside 01:00–03:00
/// and 23:00–24:00 and whole hours inside them. All five zones change clocks at instants and offsets
/// that are whole quarter hours, so each quarter hour is wholly open or wholly closed. Santiago
/// changes at midnight: on 2026-04-05 00:00 its clocks go back to 23:00 on the 4th, and on
/// 2026-09-06 its midnight does not exist (00:00 becomes 01:00).
@Suite struct BusinessCalendarReferenceTests {
    static let windowStart: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z
    static let blockSeconds: Int64 = 900
    static let blockCount = 365 * 96

    /// The local date, weekday and second of the day at the start of every quarter hour of 2026.
    struct Grid {
        var dates: [LocalDate] = []
        var weekdays: [Weekday] = []
        var secondsOfDay: [Int] = []

        init(zone: String) throws {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = try #require(TimeZone(identifier: zone))
            for block in 0..<blockCount {
                let seconds = windowStart + Int64(block) * blockSeconds
                let parts = calendar.dateComponents(
                    [.year, .month, .day, .hour, .minute, .second, .weekday],
                    from: Date(timeIntervalSince1970: TimeInterval(seconds))
                )
                let date = try LocalDate(
                    year: try #require(parts.year),
                    month: try #require(parts.month),
                    day: try #require(parts.day)
                )
                dates.append(date)
                // Foundation counts Sunday as 1.
                let weekday = try #require(parts.weekday)
                weekdays.append(try #require(Weekday(rawValue: weekday == 1 ? 7 : weekday - 1)))
                secondsOfDay.append(try #require(parts.hour) * 3600 + (try #require(parts.minute)) * 60 + (try #require(parts.second)))
            }
        }

        /// Microseconds open before each block boundary, and whether each block is open.
        func reference(for calendar: BusinessCalendar) -> (prefix: [Int64], open: [Bool]) {
            let holidays = Set(calendar.holidays)
            var open: [Bool] = []
            var prefix: [Int64] = [0]
            for block in 0..<BusinessCalendarReferenceTests.blockCount {
                let isOpen = !holidays.contains(dates[block])
                    && calendar.weeklyHours[weekdays[block]].contains {
                        $0.start.secondsSinceMidnight <= secondsOfDay[block] && secondsOfDay[block] < $0.end.secondsSinceMidnight
                    }
                open.append(isOpen)
                prefix.append(prefix[block] + (isOpen ? BusinessCalendarReferenceTests.blockSeconds * 1_000_000 : 0))
            }
            return (prefix, open)
        }
    }

    static let boundaries: [Int] = (0...96).compactMap { quarter in
        let seconds = quarter * 900
        let insideChangeHours = seconds > 3600 && seconds < 3 * 3600 || seconds > 23 * 3600
        return insideChangeHours && seconds % 3600 != 0 ? nil : seconds
    }

    /// 00:00, 01:00, 02:00, 03:00, 04:00, 23:00, 24:00.
    static let changeHours = [0, 3_600, 7_200, 10_800, 14_400, 82_800, 86_400]

    static func randomCalendar(zone: String, using generator: inout SeededGenerator) throws -> BusinessCalendar {
        while true {
            var hours: [Weekday: [WorkingInterval]] = [:]
            for weekday in Weekday.allCases {
                let pieces = Int.random(in: 0...2, using: &generator)
                // Half the cuts fall on the hours around the clock changes, so that the changes
                // often fall inside, at the edge of, or just outside an interval.
                let cuts = Array(Set((0..<(2 * pieces)).map { _ in
                    let pool = Bool.random(using: &generator) ? changeHours : boundaries
                    return pool.randomElement(using: &generator) ?? 0
                })).sorted()
                var intervals: [WorkingInterval] = []
                var index = 0
                while index + 1 < cuts.count {
                    let start = try LocalTime(hour: cuts[index] / 3600, minute: cuts[index] % 3600 / 60)
                    let end = try LocalTime(hour: cuts[index + 1] / 3600, minute: cuts[index + 1] % 3600 / 60)
                    intervals.append(try WorkingInterval(start: start, end: end))
                    index += 2
                }
                hours[weekday] = intervals
            }
            let weeklyHours = WeeklyHours(hours)
            guard weeklyHours.secondsPerWeek > 0 else { continue }
            let holidays = try (0..<Int.random(in: 0...10, using: &generator)).map { _ in
                try LocalDate(year: 2026, month: Int.random(in: 1...12, using: &generator), day: Int.random(in: 1...28, using: &generator))
            }
            return try BusinessCalendar(id: "random", version: 1, timeZone: zone, weeklyHours: weeklyHours, holidays: holidays)
        }
    }

    @Test(arguments: [
        ("Europe/Berlin", UInt64(1)), ("America/New_York", 2), ("Australia/Lord_Howe", 3), ("Asia/Kolkata", 4),
        ("America/Santiago", 5),
    ])
    func agreesWithFoundationReference(zone: String, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let grid = try Grid(zone: zone)
        let windowMicros = Self.windowStart * 1_000_000
        let blockMicros = Self.blockSeconds * 1_000_000
        let windowLength = Int64(Self.blockCount) * blockMicros
        for _ in 0..<4 {
            let calendar = try Self.randomCalendar(zone: zone, using: &generator)
            let (prefix, open) = grid.reference(for: calendar)
            for block in 0..<Self.blockCount {
                let start = windowMicros + Int64(block) * blockMicros
                let lastMicrosecondDiffers = block % 7 == 0
                    && calendar.isOpen(at: Timestamp(microsecondsSinceEpoch: start + blockMicros - 1)) != open[block]
                if calendar.isOpen(at: Timestamp(microsecondsSinceEpoch: start)) != open[block] || lastMicrosecondDiffers {
                    Issue.record("\(zone) \(calendar.weeklyHours) block at \(Timestamp(microsecondsSinceEpoch: start)): expected open = \(open[block])")
                    return
                }
            }
            // Open microseconds in [window start, instant).
            func openBefore(_ instant: Int64) -> Int64 {
                let block = Int((instant - windowMicros) / blockMicros)
                let into = instant - windowMicros - Int64(block) * blockMicros
                return prefix[block] + (block < open.count && open[block] ? into : 0)
            }
            for query in 0..<300 {
                // Short, medium and long spans, at random microseconds.
                let longest: Int64 = [3 * 86_400_000_000, 30 * 86_400_000_000, windowLength - 1][query % 3]
                let from = windowMicros + Int64.random(in: 0..<windowLength, using: &generator)
                let to = min(from + Int64.random(in: 0...longest, using: &generator), windowMicros + windowLength)
                let expected = openBefore(to) - openBefore(from)
                let actual = calendar.businessMicroseconds(from: from, to: to)
                #expect(actual == expected, "\(zone) \(calendar.weeklyHours) holidays \(calendar.holidays) from \(Timestamp(microsecondsSinceEpoch: from)) to \(Timestamp(microsecondsSinceEpoch: to))")
                #expect(
                    calendar.businessSeconds(from: Timestamp(microsecondsSinceEpoch: from), to: Timestamp(microsecondsSinceEpoch: to))
                        == expected / 1_000_000
                )
            }
        }
    }

    /// The offset table read from `TimeZone`'s transitions gives the same offsets as asking
    /// `TimeZone` directly, including changes of standard time (Moscow 2011 and 2014) and a
    /// three-hour change (Casey 2010).
    @Test(arguments: [
        "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago",
        "Europe/Moscow", "Antarctica/Casey", "Pacific/Apia", "UTC",
    ])
    func offsetTableMatchesTimeZone(zone: String) throws {
        var generator = SeededGenerator(seed: 99)
        let timeZone = try #require(TimeZone(identifier: zone))
        let table = try #require(ZoneOffsets.named(zone))
        for _ in 0..<20_000 {
            // 1900-01-01 to 2200-01-01, whole seconds.
            let seconds = Int64.random(in: -2_208_988_800..<7_258_118_400, using: &generator)
            let expected = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
            let actual = table.localTime(ofInstant: seconds * 1_000_000) / 1_000_000 - seconds
            if actual != expected {
                Issue.record("\(zone) at \(Timestamp(microsecondsSinceEpoch: seconds * 1_000_000)): table says \(actual), TimeZone \(expected)")
                return
            }
        }
    }

    /// `adding(businessSeconds:to:)` inverts `businessSeconds(from:to:)` and returns the earliest such instant.
    @Test(arguments: [("Europe/Berlin", UInt64(11)), ("America/New_York", 12), ("Australia/Lord_Howe", 13), ("America/Santiago", 14)])
    func addingRoundTripsWithBusinessSeconds(zone: String, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<10 {
            let calendar = try Self.randomCalendar(zone: zone, using: &generator)
            for query in 0..<200 {
                // Random instants in 2025–2027, amounts from nothing to about a year of working time.
                let start = Timestamp(microsecondsSinceEpoch: Int64.random(in: 1_735_689_600_000_000..<1_830_297_600_000_000, using: &generator))
                let amount = Int64.random(in: 0...[0, 3_600, 200_000, 10_000_000][query % 4], using: &generator)
                let result = calendar.adding(businessSeconds: amount, to: start)
                #expect(result >= start)
                #expect(calendar.businessSeconds(from: start, to: result) == amount)
                let micros = calendar.businessMicroseconds(from: start.microsecondsSinceEpoch, to: result.microsecondsSinceEpoch)
                #expect(micros == amount * 1_000_000)
                if amount > 0 {
                    // The last microsecond before the result was working time, so none earlier would do.
                    #expect(calendar.isOpen(at: Timestamp(microsecondsSinceEpoch: result.microsecondsSinceEpoch - 1)))
                } else {
                    // Zero: the first open instant at or after the start.
                    #expect(calendar.isOpen(at: result))
                }
                // And the other way: measure to a random end, then add that back.
                let end = start.adding(seconds: Int64.random(in: 0...(90 * 86_400), using: &generator))
                let measured = calendar.businessSeconds(from: start, to: end)
                let back = calendar.adding(businessSeconds: measured, to: start)
                #expect(calendar.businessSeconds(from: start, to: back) == measured)
                if measured > 0 { #expect(back <= end) }
            }
        }
    }

    /// Adding whole weeks at once gives the same answers as walking every day, over long spans
    /// with clock changes and holidays.
    @Test(arguments: [("Europe/Berlin", UInt64(21)), ("America/New_York", 22), ("Australia/Lord_Howe", 23), ("America/Santiago", 24)])
    func skippingWeeksMatchesWalkingEveryDay(zone: String, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<4 {
            let base = try Self.randomCalendar(zone: zone, using: &generator)
            let holidays = try (0..<200).map { _ in
                try LocalDate(
                    year: Int.random(in: 2000...2040, using: &generator),
                    month: Int.random(in: 1...12, using: &generator),
                    day: Int.random(in: 1...28, using: &generator)
                )
            }
            let calendar = try BusinessCalendar(id: "long", version: 2, timeZone: zone, weeklyHours: base.weeklyHours, holidays: holidays)
            for _ in 0..<40 {
                // 2000-01-01 to 2040-01-01, spans up to ten years.
                let from = Int64.random(in: 946_684_800_000_000..<2_208_988_800_000_000, using: &generator)
                let to = from + Int64.random(in: 0...(3_650 * 86_400_000_000), using: &generator)
                let walked = calendar.businessMicroseconds(from: from, to: to, skippingWeeks: false)
                #expect(calendar.businessMicroseconds(from: from, to: to) == walked)
                let amount = Int64.random(in: 0...max(0, walked), using: &generator)
                #expect(calendar.addingMicroseconds(amount, to: from) == calendar.addingMicroseconds(amount, to: from, skippingWeeks: false))
            }
        }
    }
}
