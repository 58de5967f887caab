public import LedgerModel

/// Business hours: when a team counts time as working time, for response-time metrics measured in
/// business hours rather than calendar time.
///
/// A calendar has weekly working hours in the local wall-clock time of one IANA time zone (for
/// example Monday to Friday 09:00–17:30 in `Europe/Berlin`) and holidays, local dates that are whole
/// days off. It is identified by `id` and `version`, which metrics report so that a figure can be
/// traced to the hours it was computed with.
///
/// ## Daylight-saving time
///
/// A working interval on a local date covers the instants between the instants its two wall-clock
/// times stand for, and a wall-clock time stands for **the first instant at which the local clock
/// shows that time or a later one**. So:
///
/// - a time that occurs once is simply that instant, and a 09:00–17:00 day has 8 working hours on
///   the days the clocks change unless the change happens within 09:00–17:00;
/// - a time skipped when the clocks go forward stands for the instant of the jump: an interval loses
///   the part of the gap it contains (Berlin, 29 March 2026, 01:00–04:00 is 2 hours; 02:15–02:45 is 0);
/// - a time repeated when the clocks go back stands for its first occurrence: an interval that is
///   open when the clocks go back keeps both passes through the repeated hour (Berlin, 25 October
///   2026, 01:00–04:00 is 4 hours). An interval that starts or ends *inside* the repeated hour is cut
///   at the first pass of that time, so 02:30–04:00 that day is 02:30 CEST to 04:00 CET, 2.5 hours.
///
/// The mapping never goes backwards in time, so intervals that are adjacent in wall-clock time (such
/// as 22:00–24:00 and the next day's 00:00–06:00) stay adjacent and no instant is counted twice.
/// Offsets come from Foundation's `TimeZone`, read once per zone for 1900–2199; before and after
/// that range the offset at its edge is used.
///
/// ## Cost
///
/// The operations walk the range day by day and add whole weeks in one step where a week has no
/// holiday and no clock change, so a call costs a few days' work plus one step per holiday and clock
/// change in the range.
public struct BusinessCalendar: Sendable, CustomStringConvertible {
    /// A stable name, such as `support-berlin`.
    public let id: String
    /// The version of this calendar's hours; metrics report which version they used.
    public let version: Int
    /// The IANA time zone name the working hours and holidays are read in, such as `Europe/Berlin`.
    public let timeZone: String
    /// The working intervals of each weekday, in local wall-clock time.
    public let weeklyHours: WeeklyHours
    /// Whole local days off, ascending, without duplicates.
    public let holidays: [LocalDate]

    private let zone: ZoneOffsets
    /// Working spans per weekday (Monday first), as microseconds since local midnight.
    private let spans: [[Span]]
    /// Holidays as days since 1970-01-01, ascending.
    private let holidayDays: [Int64]
    /// The nominal working time of one week, in microseconds; greater than zero.
    private let weekMicros: Int64
    /// Open every moment: business time is calendar time.
    private let isAlwaysOpen: Bool

    private struct Span: Sendable {
        var start: Int64
        var end: Int64
    }

    /// A calendar; throws when the time zone is unknown, the id is empty, or no day has working hours.
    public init(
        id: String,
        version: Int,
        timeZone: String,
        weeklyHours: WeeklyHours,
        holidays: some Sequence<LocalDate> = [LocalDate]()
    ) throws(BusinessCalendarError) {
        guard !id.isEmpty else {
            throw BusinessCalendarError(code: .invalidIdentifier, message: "a business calendar needs a non-empty id")
        }
        guard let zone = ZoneOffsets.named(timeZone) else {
            throw BusinessCalendarError(
                code: .unknownTimeZone,
                message: "\(MessageText.quoted(timeZone)) is not a known time zone; expected an IANA name such as Europe/Berlin or America/New_York"
            )
        }
        guard weeklyHours.secondsPerWeek > 0 else {
            throw BusinessCalendarError(
                code: .noWorkingHours,
                message: "business calendar \(MessageText.quoted(id)) has no working hours on any day of the week"
            )
        }
        self.init(checkedID: id, version: version, timeZone: timeZone, zone: zone, weeklyHours: weeklyHours, holidays: holidays)
    }

    private init(
        checkedID id: String,
        version: Int,
        timeZone: String,
        zone: ZoneOffsets,
        weeklyHours: WeeklyHours,
        holidays: some Sequence<LocalDate>
    ) {
        self.id = id
        self.version = version
        self.timeZone = timeZone
        self.weeklyHours = weeklyHours
        self.holidays = Array(Set(holidays)).sorted()
        self.zone = zone
        spans = Weekday.allCases.map { weekday in
            weeklyHours[weekday].map {
                Span(start: Int64($0.start.secondsSinceMidnight) * 1_000_000, end: Int64($0.end.secondsSinceMidnight) * 1_000_000)
            }
        }
        holidayDays = self.holidays.map { Int64($0.dayNumber) }
        weekMicros = Int64(weeklyHours.secondsPerWeek) * 1_000_000
        // Whole days on every day tile time without gaps in any zone (see the DST rule above).
        isAlwaysOpen = weeklyHours == .everyDay(.wholeDay) && self.holidays.isEmpty
    }

    /// Calendar time: open every moment of every day, in UTC, with no holidays (id `always-open`,
    /// version 1). Business seconds are then plain elapsed seconds.
    public static let alwaysOpen = BusinessCalendar(
        checkedID: "always-open",
        version: 1,
        timeZone: "UTC",
        zone: .utc,
        weeklyHours: .everyDay(.wholeDay),
        holidays: [LocalDate]()
    )

    public var description: String { "\(id) v\(version) (\(timeZone))" }
}

// MARK: - Operations

extension BusinessCalendar {
    /// The working time between two instants, in whole seconds (rounded down); 0 when `end <= start`.
    ///
    /// Instants are clamped to years 1–9999.
    public func businessSeconds(from start: Timestamp, to end: Timestamp) -> Int64 {
        businessMicroseconds(from: start.microsecondsSinceEpoch, to: end.microsecondsSinceEpoch) / 1_000_000
    }

    /// The instant at which `businessSeconds` of working time have passed since `start`.
    ///
    /// Counting begins at `start` if the calendar is open then, otherwise at the next opening; so
    /// adding 0 gives that first open instant. When the time runs out exactly at a closing, the
    /// result is the closing instant, not the next opening. Negative amounts count as 0. The result
    /// is at most 9999-12-31T23:59:59.999999Z.
    ///
    /// For any result `r` before that limit, `businessSeconds(from: start, to: r) == businessSeconds`.
    public func adding(businessSeconds: Int64, to start: Timestamp) -> Timestamp {
        let (micros, overflow) = max(0, businessSeconds).multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { return Timestamp(microsecondsSinceEpoch: Self.highestInstant) }
        return Timestamp(microsecondsSinceEpoch: addingMicroseconds(micros, to: start.microsecondsSinceEpoch))
    }

    /// The local hour of the week an instant falls in, in the calendar's time zone: 0 is Monday
    /// 00:00–01:00, 167 Sunday 23:00–24:00.
    public func hourOfWeek(_ instant: Timestamp) -> Int {
        let hour: Int64 = 3_600_000_000
        let local = zone.localTime(ofInstant: instant.microsecondsSinceEpoch)
        let hours = local >= 0 ? local / hour : (local - hour + 1) / hour
        // 1970-01-01 was a Thursday: hour 0 since the epoch is hour 72 of its week.
        return Int(((hours + 72) % 168 + 168) % 168)
    }

    /// Whether the instant lies in working time: a working interval's start is open, its end closed.
    public func isOpen(at instant: Timestamp) -> Bool {
        let micros = instant.microsecondsSinceEpoch
        guard micros < Self.highestInstant else { return false }
        return businessMicroseconds(from: micros, to: micros + 1) > 0
    }
}

// MARK: - The walk over days

extension BusinessCalendar {
    static let dayMicros: Int64 = 86_400_000_000
    static let weekLocalMicros: Int64 = 7 * dayMicros
    /// 0001-01-01T00:00:00Z.
    static let lowestInstant: Int64 = -62_135_596_800_000_000
    /// 9999-12-31T23:59:59.999999Z.
    static let highestInstant: Int64 = 253_402_300_799_999_999

    @inline(__always)
    private static func clamp(_ micros: Int64) -> Int64 {
        min(max(micros, lowestInstant), highestInstant)
    }

    @inline(__always)
    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// The index of the first holiday on or after a day.
    private func firstHoliday(atOrAfter day: Int64) -> Int {
        var low = 0
        var high = holidayDays.count
        while low < high {
            let middle = (low + high) / 2
            if holidayDays[middle] < day { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// One local day as the walk sees it.
    private struct DayView {
        /// Local midnight at the start of the day, microseconds since 1970-01-01T00:00 local.
        var localStart: Int64
        /// The offset of the zone segment that the day's midnight falls in.
        var offset: Int64
        /// Whether the day's midnight exists (is not skipped), so that `localStart - offset` is its instant.
        var startIsLinear: Bool
        /// The local time, exclusive, up to which `local - offset` stays the instant, from the
        /// day's midnight on (when `startIsLinear`); capped well past year 9999.
        var linearReach: Int64
        /// Whether the whole day, midnight to midnight, maps as `local - offset`.
        var isLinear: Bool
    }

    /// The view of a day; `segment` is a cursor into the zone table that only moves forward.
    @inline(__always)
    private func view(ofDay day: Int64, from segment: inout Int) -> DayView {
        let localStart = day * Self.dayMicros
        while zone.localEnds[segment] <= localStart { segment += 1 }
        let offset = zone.offsets[segment]
        let startIsLinear = localStart - offset >= zone.start(ofSegment: segment)
        let reach = min(zone.localEnds[segment], Self.highestInstant + 4 * Self.weekLocalMicros)
        return DayView(
            localStart: localStart,
            offset: offset,
            startIsLinear: startIsLinear,
            linearReach: reach,
            isLinear: startIsLinear && reach > localStart + Self.dayMicros
        )
    }

    /// The instants a span of a day covers.
    @inline(__always)
    private func instants(of span: Span, on view: DayView) -> (start: Int64, end: Int64) {
        if view.isLinear {
            return (view.localStart + span.start - view.offset, view.localStart + span.end - view.offset)
        }
        return (zone.instant(forLocal: view.localStart + span.start), zone.instant(forLocal: view.localStart + span.end))
    }

    /// How many whole weeks from this day on can be added as `weekMicros` each: weeks with no
    /// holiday and no clock change, starting at or after `earliest`. Not limited at the far end.
    @inline(__always)
    private func wholeWeeks(from view: DayView, day: Int64, earliest: Int64, nextHoliday: Int) -> Int64 {
        guard view.startIsLinear, view.localStart - view.offset >= earliest else { return 0 }
        var weeks = (view.linearReach - 1 - view.localStart) / Self.weekLocalMicros
        if nextHoliday < holidayDays.count {
            weeks = min(weeks, (holidayDays[nextHoliday] - day) / 7)
        }
        return weeks
    }

    /// The working time in `[start, end)`, in microseconds.
    func businessMicroseconds(from start: Int64, to end: Int64, skippingWeeks: Bool = true) -> Int64 {
        let lower = Self.clamp(start)
        let upper = Self.clamp(end)
        guard lower < upper else { return 0 }
        if isAlwaysOpen { return upper - lower }
        // At the far end one more day is walked: when the clocks go back from after midnight to
        // before it, the end's local date can be a day behind the date whose first interval has begun.
        var total: Int64 = 0
        walk(
            from: lower, through: Self.floorDivision(zone.localTime(ofInstant: upper), Self.dayMicros) + 1, skippingWeeks: skippingWeeks,
            weeks: { view in (upper + view.offset - view.localStart) / Self.weekLocalMicros },
            skip: { weeks in total += weeks * weekMicros },
            span: { from, spanEnd in
                let to = min(spanEnd, upper)
                if to > from { total += to - from }
                return false
            })
        return total
    }

    /// The instant at which `amount` microseconds of working time have passed since `start`.
    func addingMicroseconds(_ amount: Int64, to start: Int64, skippingWeeks: Bool = true) -> Int64 {
        let lower = Self.clamp(start)
        var remaining = max(0, amount)
        if isAlwaysOpen {
            let (sum, overflow) = lower.addingReportingOverflow(remaining)
            return overflow ? Self.highestInstant : min(sum, Self.highestInstant)
        }
        var result = Self.highestInstant
        walk(
            from: lower, through: Self.floorDivision(Self.highestInstant, Self.dayMicros) + 2, skippingWeeks: skippingWeeks,
            // Skip only weeks that leave some time to count after them, so that the result is found
            // in a day's spans and is the earliest instant with that much working time.
            weeks: { _ in (remaining - 1) / weekMicros },
            skip: { weeks in remaining -= weeks * weekMicros },
            span: { from, spanEnd in
                guard spanEnd > from else { return false }
                if remaining <= spanEnd - from {
                    result = min(from + remaining, Self.highestInstant)
                    return true
                }
                remaining -= spanEnd - from
                return false
            })
        return result
    }

    /// Walks the local days from the one `lower` falls on through `lastDay`, for both operations.
    ///
    /// Days before `lower`'s local date end before it: its wall clock already shows that date, so
    /// its midnight stands for an earlier instant. Where whole weeks can be skipped (at most
    /// `weeks(view)` of them), `skip` is given their number; otherwise every working span of a day
    /// that is not a holiday is handed to `span` as its instants, the start raised to `lower`, until
    /// `span` returns true.
    @inline(__always)
    private func walk(
        from lower: Int64, through lastDay: Int64, skippingWeeks: Bool,
        weeks limit: (DayView) -> Int64, skip: (Int64) -> Void, span visit: (_ from: Int64, _ end: Int64) -> Bool
    ) {
        var day = Self.floorDivision(zone.localTime(ofInstant: lower), Self.dayMicros)
        var segment = zone.segment(reachingLocal: day * Self.dayMicros)
        var nextHoliday = firstHoliday(atOrAfter: day)
        while day <= lastDay {
            let view = view(ofDay: day, from: &segment)
            while nextHoliday < holidayDays.count && holidayDays[nextHoliday] < day { nextHoliday += 1 }
            if skippingWeeks {
                let weeks = min(wholeWeeks(from: view, day: day, earliest: lower, nextHoliday: nextHoliday), limit(view))
                if weeks > 0 {
                    skip(weeks)
                    day += 7 * weeks
                    continue
                }
            }
            if nextHoliday >= holidayDays.count || holidayDays[nextHoliday] != day {
                for span in spans[Self.weekdayIndex(day)] {
                    let (spanStart, spanEnd) = instants(of: span, on: view)
                    if visit(max(spanStart, lower), spanEnd) { return }
                }
            }
            day += 1
        }
    }

    /// Monday is 0; day 0 (1970-01-01) was a Thursday.
    @inline(__always)
    private static func weekdayIndex(_ day: Int64) -> Int {
        Int(((day % 7) + 7 + 3) % 7)
    }
}

// MARK: - Equality

extension BusinessCalendar: Hashable {
    public static func == (lhs: BusinessCalendar, rhs: BusinessCalendar) -> Bool {
        lhs.id == rhs.id && lhs.version == rhs.version && lhs.timeZone == rhs.timeZone
            && lhs.weeklyHours == rhs.weeklyHours && lhs.holidays == rhs.holidays
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(version)
        hasher.combine(timeZone)
        hasher.combine(weeklyHours)
        hasher.combine(holidays)
    }
}
