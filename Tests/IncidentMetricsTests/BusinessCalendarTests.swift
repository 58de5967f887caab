import LedgerModel
import Testing
@testable import IncidentMetrics

/// Hand-worked cases: each expected value is worked out in the comment beside it.
@Suite struct BusinessCalendarTests {
    /// Berlin office: Monday to Friday 09:00–17:30 (8.5 h = 30,600 s a day); Good Friday
    /// (2026-04-03), Easter Monday (2026-04-06) and Christmas Day (2026-12-25, a Friday) off.
    static func office() throws -> BusinessCalendar {
        try BusinessCalendar(
            id: "support-berlin",
            version: 1,
            timeZone: "Europe/Berlin",
            weeklyHours: .mondayToFriday(WorkingInterval("09:00-17:30")),
            holidays: [LocalDate("2026-04-03"), LocalDate("2026-04-06"), LocalDate("2026-12-25")]
        )
    }

    static func t(_ text: String) throws -> Timestamp { try Timestamp(rfc3339: text) }

    @Test(arguments: [
        // Tuesday 10:00–12:15: 2 h 15 min.
        ("2026-02-10T10:00:00+01:00", "2026-02-10T12:15:00+01:00", Int64(8_100)),
        // Tuesday 16:00 to Wednesday 10:00: 1.5 h on Tuesday, 1 h on Wednesday.
        ("2026-02-10T16:00:00+01:00", "2026-02-11T10:00:00+01:00", 9_000),
        // Friday 15:00 to Monday 11:00: 2.5 h on Friday, nothing at the weekend, 2 h on Monday.
        ("2026-02-13T15:00:00+01:00", "2026-02-16T11:00:00+01:00", 16_200),
        // Thursday 16:00 before Easter to the Tuesday after, 10:00 (CEST): 1.5 h on Thursday,
        // Good Friday, the weekend and Easter Monday off, 1 h on Tuesday.
        ("2026-04-02T16:00:00+02:00", "2026-04-07T10:00:00+02:00", 9_000),
        // Saturday 10:00 to Sunday 18:00: closed throughout.
        ("2026-02-14T10:00:00+01:00", "2026-02-15T18:00:00+01:00", 0),
        // Tuesday 18:00 to Wednesday 08:00: a night, closed throughout.
        ("2026-02-10T18:00:00+01:00", "2026-02-11T08:00:00+01:00", 0),
        // Friday 19:00 to Monday 10:30: only Monday 09:00–10:30 counts.
        ("2026-02-13T19:00:00+01:00", "2026-02-16T10:30:00+01:00", 5_400),
        // The same instant in UTC: 18:00Z is 19:00 in Berlin.
        ("2026-02-13T18:00:00Z", "2026-02-16T09:30:00Z", 5_400),
        // Reversed and empty intervals: 0.
        ("2026-02-11T10:00:00+01:00", "2026-02-10T10:00:00+01:00", 0),
        ("2026-02-10T10:00:00+01:00", "2026-02-10T10:00:00+01:00", 0),
        // Friday 17:00 before the spring change to Monday 09:30 after it: 0.5 h + 0.5 h.
        ("2026-03-27T17:00:00+01:00", "2026-03-30T09:30:00+02:00", 3_600),
        // Monday to Monday across the spring change: five full days, 5 × 30,600.
        ("2026-03-23T09:00:00+01:00", "2026-03-30T09:00:00+02:00", 153_000),
        // Monday to Monday across the autumn change: the same.
        ("2026-10-19T09:00:00+02:00", "2026-10-26T09:00:00+01:00", 153_000),
        // 52 weeks from Monday 2026-01-05: 260 weekdays less 3 weekday holidays, 257 × 30,600.
        ("2026-01-05T00:00:00+01:00", "2027-01-04T00:00:00+01:00", 7_864_200),
    ])
    func officeBusinessSeconds(from: String, to: String, expected: Int64) throws {
        let calendar = try Self.office()
        #expect(calendar.businessSeconds(from: try Self.t(from), to: try Self.t(to)) == expected)
    }

    @Test func fridayEveningStartCountsFromMondayOpening() throws {
        let calendar = try Self.office()
        let fridayEvening = try Self.t("2026-02-13T19:00:00+01:00")
        // One business hour after Friday 19:00 is Monday 10:00.
        #expect(calendar.adding(businessSeconds: 3_600, to: fridayEvening) == (try Self.t("2026-02-16T10:00:00+01:00")))
        // Zero business seconds from a closed instant is the next opening, Monday 09:00.
        #expect(calendar.adding(businessSeconds: 0, to: fridayEvening) == (try Self.t("2026-02-16T09:00:00+01:00")))
        // Time that runs out exactly at a closing ends there, not at the next opening:
        // Friday 15:00 + 2.5 h is Friday 17:30.
        #expect(
            calendar.adding(businessSeconds: 9_000, to: try Self.t("2026-02-13T15:00:00+01:00"))
                == (try Self.t("2026-02-13T17:30:00+01:00"))
        )
        // Thursday 16:00 before Easter + 2 h: 1.5 h on Thursday, then Tuesday 09:30.
        #expect(
            calendar.adding(businessSeconds: 7_200, to: try Self.t("2026-04-02T16:00:00+02:00"))
                == (try Self.t("2026-04-07T09:30:00+02:00"))
        )
        // Negative amounts count as zero; an open start stays where it is.
        let tuesday = try Self.t("2026-02-10T10:00:00+01:00")
        #expect(calendar.adding(businessSeconds: -5, to: tuesday) == tuesday)
    }

    @Test func openingIsIncludedAndClosingExcluded() throws {
        let calendar = try Self.office()
        #expect(calendar.isOpen(at: try Self.t("2026-02-10T09:00:00+01:00")))
        #expect(calendar.isOpen(at: try Self.t("2026-02-10T17:29:59.999999+01:00")))
        #expect(!calendar.isOpen(at: try Self.t("2026-02-10T17:30:00+01:00")))
        #expect(!calendar.isOpen(at: try Self.t("2026-02-10T08:59:59.999999+01:00")))
        #expect(!calendar.isOpen(at: try Self.t("2026-02-14T12:00:00+01:00")))  // Saturday
        #expect(!calendar.isOpen(at: try Self.t("2026-04-03T12:00:00+02:00")))  // Good Friday
    }

    @Test func partialSecondsRoundDown() throws {
        let calendar = try Self.office()
        // 09:00:00.5 to 09:00:02.25 is 1.75 s of working time.
        #expect(
            calendar.businessSeconds(from: try Self.t("2026-02-10T09:00:00.5+01:00"), to: try Self.t("2026-02-10T09:00:02.25+01:00"))
                == 1
        )
    }

    /// One local day, midnight to midnight, on the four clock changes of 2026, with every-day hours.
    @Test(arguments: [
        // Berlin, 29 March: 02:00 CET becomes 03:00 CEST.
        ("Europe/Berlin", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", "09:00-17:00", Int64(28_800)),
        // 01:00 CET (00:00Z) to 04:00 CEST (02:00Z): 2 h, the skipped hour is lost.
        ("Europe/Berlin", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", "01:00-04:00", 7_200),
        // Both ends are skipped times: both stand for the jump at 01:00Z, so nothing.
        ("Europe/Berlin", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", "02:15-02:45", 0),
        // 02:30 is skipped and stands for the jump (01:00Z = 03:00 CEST); 04:00 CEST is 02:00Z: 1 h.
        ("Europe/Berlin", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", "02:30-04:00", 3_600),
        // The whole day has 23 hours.
        ("Europe/Berlin", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", "00:00-24:00", 82_800),
        // Berlin, 25 October: 03:00 CEST becomes 02:00 CET.
        ("Europe/Berlin", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", "09:00-17:00", 28_800),
        // 01:00 CEST (23:00Z) to 04:00 CET (03:00Z): 4 h, both passes through 02:00–03:00.
        ("Europe/Berlin", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", "01:00-04:00", 14_400),
        // 02:30 stands for its first pass, 02:30 CEST (00:30Z); 04:00 CET is 03:00Z: 2.5 h.
        ("Europe/Berlin", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", "02:30-04:00", 9_000),
        // 01:00 CEST (23:00Z) to 02:00, first pass (00:00Z): 1 h.
        ("Europe/Berlin", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", "01:00-02:00", 3_600),
        // 01:00 CEST (23:00Z) to 02:30, first pass (00:30Z): 1.5 h; the second pass is not in it.
        ("Europe/Berlin", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", "01:00-02:30", 5_400),
        // The whole day has 25 hours.
        ("Europe/Berlin", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", "00:00-24:00", 90_000),
        // New York, 8 March: 02:00 EST becomes 03:00 EDT.
        ("America/New_York", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", "09:00-17:00", 28_800),
        // 01:00 EST (06:00Z) to 04:00 EDT (08:00Z): 2 h.
        ("America/New_York", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", "01:00-04:00", 7_200),
        ("America/New_York", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", "00:00-24:00", 82_800),
        // New York, 1 November: 02:00 EDT becomes 01:00 EST.
        ("America/New_York", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", "09:00-17:00", 28_800),
        // 01:00 EDT (05:00Z) to 04:00 EST (09:00Z): 4 h.
        ("America/New_York", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", "01:00-04:00", 14_400),
        // 01:30 EDT (05:30Z) to 03:00 EST (08:00Z): 2.5 h.
        ("America/New_York", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", "01:30-03:00", 9_000),
        ("America/New_York", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", "00:00-24:00", 90_000),
    ])
    func daylightSavingDay(zone: String, from: String, to: String, hours: String, expected: Int64) throws {
        let calendar = try BusinessCalendar(
            id: "every-day",
            version: 1,
            timeZone: zone,
            weeklyHours: .everyDay(WorkingInterval(hours))
        )
        let start = try Self.t(from)
        let end = try Self.t(to)
        #expect(calendar.businessSeconds(from: start, to: end) == expected)
        // Whatever the day's length, adding it back lands on the day's last working instant.
        if expected > 0 {
            let last = calendar.adding(businessSeconds: expected, to: start)
            #expect(calendar.businessSeconds(from: start, to: last) == expected)
            #expect(calendar.isOpen(at: last.adding(seconds: -1)))
            #expect(last <= end)
        }
    }

    @Test func springForwardOpeningAndClosingInstants() throws {
        // Berlin, 01:00–04:00 every day; on 29 March it opens at 01:00 CET and closes at 04:00 CEST.
        let calendar = try BusinessCalendar(
            id: "night",
            version: 1,
            timeZone: "Europe/Berlin",
            weeklyHours: .everyDay(WorkingInterval("01:00-04:00"))
        )
        #expect(!calendar.isOpen(at: try Self.t("2026-03-28T23:59:59Z")))
        #expect(calendar.isOpen(at: try Self.t("2026-03-29T00:00:00Z")))
        #expect(calendar.isOpen(at: try Self.t("2026-03-29T01:59:59Z")))
        #expect(!calendar.isOpen(at: try Self.t("2026-03-29T02:00:00Z")))
        // One hour after opening is the jump itself: 01:00Z, 03:00 CEST.
        #expect(calendar.adding(businessSeconds: 3_600, to: try Self.t("2026-03-29T00:00:00Z")) == (try Self.t("2026-03-29T01:00:00Z")))
        // On 25 October it stays open from 01:00 CEST (23:00Z) through both passes to 04:00 CET (03:00Z).
        #expect(calendar.isOpen(at: try Self.t("2026-10-25T01:30:00Z")))  // 02:30 CET, second pass
        #expect(
            calendar.adding(businessSeconds: 14_400, to: try Self.t("2026-10-24T23:00:00Z")) == (try Self.t("2026-10-25T03:00:00Z"))
        )
    }

    @Test func clocksGoingBackAcrossMidnight() throws {
        // Antarctica/Casey, 4 March 2010 15:00Z: 5 March 02:00 (+11) became 4 March 23:00 (+08).
        // 5 March 00:00–01:00 first shows at 4 March 13:00Z–14:00Z; at 15:30Z the clock reads
        // 4 March 23:30 again, so the end's local date is a day behind that interval's date.
        let calendar = try BusinessCalendar(
            id: "casey",
            version: 1,
            timeZone: "Antarctica/Casey",
            weeklyHours: .everyDay(WorkingInterval("00:00-01:00"))
        )
        let start = try Self.t("2010-03-04T12:00:00Z")
        #expect(calendar.businessSeconds(from: start, to: try Self.t("2010-03-04T15:30:00Z")) == 3_600)
        #expect(calendar.isOpen(at: try Self.t("2010-03-04T13:30:00Z")))
        #expect(!calendar.isOpen(at: try Self.t("2010-03-04T14:00:00Z")))
        #expect(calendar.adding(businessSeconds: 1_800, to: start) == (try Self.t("2010-03-04T13:30:00Z")))
    }

    @Test func nightShiftAcrossMidnightIsContinuous() throws {
        // 22:00–24:00 and 00:00–06:00 every day: one stretch from 22:00 to 06:00.
        let calendar = try BusinessCalendar(
            id: "night-shift",
            version: 1,
            timeZone: "America/New_York",
            weeklyHours: .everyDay(WorkingInterval("22:00-24:00"), WorkingInterval("00:00-06:00"))
        )
        let monday2300 = try Self.t("2026-02-09T23:00:00-05:00")
        // 23:00 to 01:00 is 2 h.
        #expect(calendar.businessSeconds(from: monday2300, to: try Self.t("2026-02-10T01:00:00-05:00")) == 7_200)
        // 23:30 + 1 h is 00:30, across midnight with no gap.
        #expect(
            calendar.adding(businessSeconds: 3_600, to: try Self.t("2026-02-09T23:30:00-05:00"))
                == (try Self.t("2026-02-10T00:30:00-05:00"))
        )
        #expect(calendar.isOpen(at: try Self.t("2026-02-10T00:00:00-05:00")))
        // The 1 November change (02:00 EDT → 01:00 EST) lies inside the shift: 22:00 EDT on
        // 31 October (02:00Z) to 06:00 EST on 1 November (11:00Z) is 9 h.
        #expect(
            calendar.businessSeconds(from: try Self.t("2026-10-31T20:00:00-04:00"), to: try Self.t("2026-11-01T12:00:00-05:00"))
                == 32_400
        )
    }

    @Test func alwaysOpenIsCalendarTime() throws {
        let calendar = BusinessCalendar.alwaysOpen
        let start = try Self.t("2026-03-28T12:00:00+01:00")
        let end = try Self.t("2026-04-02T07:30:00+02:00")
        // 4 days, 18.5 hours (the Berlin clock change does not matter in UTC): 4 × 86,400 + 66,600.
        #expect(calendar.businessSeconds(from: start, to: end) == 412_200)
        #expect(calendar.adding(businessSeconds: 412_200, to: start) == end)
        #expect(calendar.isOpen(at: start))
        #expect(calendar.id == "always-open" && calendar.version == 1 && calendar.timeZone == "UTC")
    }

    @Test func extremeInstantsAreClamped() throws {
        let calendar = try Self.office()
        let lowest = Timestamp(microsecondsSinceEpoch: .min)
        let highest = Timestamp(microsecondsSinceEpoch: .max)
        #expect(calendar.businessSeconds(from: highest, to: lowest) == 0)
        #expect(calendar.adding(businessSeconds: .max, to: lowest) == Timestamp(microsecondsSinceEpoch: BusinessCalendar.highestInstant))
        #expect(!calendar.isOpen(at: highest))
        #expect(BusinessCalendar.alwaysOpen.adding(businessSeconds: .max / 2_000_000, to: highest) == Timestamp(microsecondsSinceEpoch: BusinessCalendar.highestInstant))
    }

    @Test func refusesBadCalendars() throws {
        let hours = WeeklyHours.mondayToFriday(try WorkingInterval("09:00-17:00"))
        #expect(throws: BusinessCalendarError.self) {
            try BusinessCalendar(id: "x", version: 1, timeZone: "Europe/Atlantis", weeklyHours: hours)
        }
        #expect(throws: BusinessCalendarError.self) {
            try BusinessCalendar(id: "", version: 1, timeZone: "Europe/Berlin", weeklyHours: hours)
        }
        #expect(throws: BusinessCalendarError.self) {
            try BusinessCalendar(id: "x", version: 1, timeZone: "Europe/Berlin", weeklyHours: WeeklyHours())
        }
    }

    @Test(arguments: ["22:00-06:00", "09:00-09:00", "09:00", "9:00-17:00", "09:00-24:01", "25:00-26:00", "09:60-10:00", "09:00-17:00-18:00"])
    func refusesBadIntervals(text: String) {
        #expect(throws: BusinessCalendarError.self) { try WorkingInterval(text) }
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "0000-01-01", "2026-01-01T00:00"])
    func refusesBadDates(text: String) {
        #expect(throws: BusinessCalendarError.self) { try LocalDate(text) }
    }

    @Test func weeklyHoursMergesOverlapsAndSorts() throws {
        let hours = WeeklyHours([
            .monday: [try WorkingInterval("13:00-17:00"), try WorkingInterval("09:00-12:00"), try WorkingInterval("11:00-13:00")],
            .tuesday: [try WorkingInterval("09:00-10:00"), try WorkingInterval("10:30-11:00")],
        ])
        #expect(hours[.monday] == [try WorkingInterval("09:00-17:00")])
        #expect(hours[.tuesday].map(\.description) == ["09:00-10:00", "10:30-11:00"])
        #expect(hours[.sunday].isEmpty)
        // 8 h + 1.5 h.
        #expect(hours.secondsPerWeek == 34_200)
    }

    @Test func weekdaysOfDates() throws {
        #expect(try LocalDate("1970-01-01").weekday == .thursday)
        #expect(try LocalDate("2026-03-29").weekday == .sunday)
        #expect(try LocalDate("2026-02-16").weekday == .monday)
        #expect(try LocalDate("1969-12-29").weekday == .monday)
        #expect(try LocalDate("2026-12-25").description == "2026-12-25")
    }
}
