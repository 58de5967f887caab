import Foundation
import IncidentEvents
import IncidentReports
import LedgerModel
import IncidentMetrics
import Testing

/// Follow-the-sun figures on hand-worked facts: time to first reply by hour of the week, and the
/// response figures of each region on its own calendar. Each expected value is worked out beside it.
@Suite struct CoverageFiguresTests {
    static func micros(_ text: String) -> Int64 { try! Timestamp(rfc3339: text).microsecondsSinceEpoch }

    /// A: eu-west-1, declared Monday 2026-07-06 10:00Z (12:00 in Berlin), acknowledged 10:05; a message
    /// Monday 10:10 answered 10:20 (10m), one Saturday 03:30 answered 05:30 (2h), one Saturday 03:45 never.
    /// B: us-east-1, declared Tuesday 15:00Z, acknowledged 15:30; a message 15:10 answered 15:12.
    /// C: no region, declared Wednesday 09:00Z, acknowledged 09:01.
    static func facts() -> [IncidentMetricFacts] {
        var a = MetricCatalogTests.incident("A", declared: "2026-07-06T10:00:00Z")
        a.regions = ["eu-west-1"]
        a.acknowledged = micros("2026-07-06T10:05:00Z")
        a.messages = [
            .init(customer: "acme", channel: .email, threatensToLeave: false, received: micros("2026-07-06T10:10:00Z"), firstReply: micros("2026-07-06T10:20:00Z")),
            .init(customer: "acme", channel: .email, threatensToLeave: false, received: micros("2026-07-11T03:30:00Z"), firstReply: micros("2026-07-11T05:30:00Z")),
            .init(customer: "globex", channel: .chat, threatensToLeave: false, received: micros("2026-07-11T03:45:00Z")),
        ]
        var b = MetricCatalogTests.incident("B", declared: "2026-07-07T15:00:00Z")
        b.regions = ["us-east-1"]
        b.acknowledged = micros("2026-07-07T15:30:00Z")
        b.messages = [.init(customer: "initech", channel: .phone, threatensToLeave: false, received: micros("2026-07-07T15:10:00Z"), firstReply: micros("2026-07-07T15:12:00Z"))]
        var c = MetricCatalogTests.incident("C", declared: "2026-07-08T09:00:00Z")
        c.acknowledged = micros("2026-07-08T09:01:00Z")
        return [a, b, c]
    }

    static func review(_ context: MetricContext) -> QuarterlyReview {
        QuarterlyReview.build(
            period: .quarter(year: 2026, 3), facts: facts(), head: LedgerHead(position: 1, hash: .zero, recordedAt: Timestamp(microsecondsSinceEpoch: 0)),
            context: context)
    }

    @Test func firstRepliesByHourOfTheWeekInUTC() {
        let review = Self.review(MetricCatalogTests.context)
        let cells = review.firstReplyByHourOfWeek
        #expect(cells.count == 168 && review.hourOfWeekZone == "UTC")
        #expect(cells[10].day == 0 && cells[10].hour == 10 && cells[10].messages == 1 && cells[10].medianSeconds == 600)  // Monday 10:00
        #expect(cells[39].day == 1 && cells[39].hour == 15 && cells[39].medianSeconds == 120)  // Tuesday 15:00
        #expect(cells[123].day == 5 && cells[123].hour == 3 && cells[123].messages == 2 && cells[123].unanswered == 1 && cells[123].medianSeconds == 7200)  // Saturday 03:00
        #expect(cells.map(\.messages).reduce(0, +) == 4)
        #expect(cells.filter { $0.messages > 0 }.count == 3)

        let text = ReviewText.render(review, markdown: false)
        #expect(text.contains("  Sat 03:00: median 2h 00m over 1 answered of 2\n  Mon 10:00: median 10m 00s over 1 answered of 1\n  Tue 15:00: median 2m 00s over 1 answered of 1\n"))
        let html = ReviewHTML.render(review)
        #expect(html.contains("<section id=\"coverage\"><h2>Time to first reply by hour of the week</h2>"))
        #expect(html.contains("<title>Sat 03:00: 2 messages, median first reply 2h 00m, 1 unanswered</title>"))
        #expect(html.contains("fill=\"#f2c14e\" stroke=\"#ffffff\"><title>Sat 03:00"), "2h: the 1–4 h band")
        #expect(html.contains("fill=\"#1a7f37\" stroke=\"#ffffff\"><title>Mon 10:00"), "10m: under 15 minutes")
    }

    @Test func hoursOfTheWeekFollowTheClocksZone() throws {
        var context = MetricCatalogTests.context
        context.clock = try BusinessCalendarTests.office()
        let review = Self.review(context)
        #expect(review.hourOfWeekZone == "Europe/Berlin")
        // Monday 10:10Z is 12:10 in Berlin (CEST); Saturday 03:30Z is 05:30.
        #expect(review.firstReplyByHourOfWeek[12].messages == 1)
        #expect(review.firstReplyByHourOfWeek[5 * 24 + 5].messages == 2)
        // On the office's hours Saturday's reply took no working time.
        #expect(review.firstReplyByHourOfWeek[5 * 24 + 5].medianSeconds == 0)
    }

    @Test func eachRegionOnItsOwnCalendar() throws {
        var context = MetricCatalogTests.context
        context.regionCalendars = ["eu-west-1": try BusinessCalendarTests.office(), "us-east-1": .alwaysOpen]
        let rows = Self.review(context).byRegion
        #expect(rows.map(\.region) == ["eu-west-1", "us-east-1", QuarterlyReview.otherRegions])
        #expect(rows.map(\.calendar) == ["support-berlin v1", "always-open v1", "always-open v1"])
        #expect(rows.map(\.incidents) == [1, 1, 1])
        // eu-west-1 in office hours: acknowledged in 5m; replies 10m and 0 (Saturday is closed): median 5m.
        #expect(rows[0].timeToAcknowledge.statistics?.median == 300)
        #expect(rows[0].timeToFirstReply.statistics?.median == 300)
        #expect(rows[0].timeToFirstReply.excluded == ["unanswered": 1])
        #expect(rows[1].timeToAcknowledge.statistics?.median == 1800 && rows[1].timeToFirstReply.statistics?.median == 120)
        #expect(rows[2].timeToAcknowledge.statistics?.median == 60 && rows[2].timeToFirstReply.count == 0)
        #expect(rows[0].timeToFirstPublicUpdate.excluded == ["no public update": 1])

        let text = ReviewText.render(Self.review(context), markdown: true)
        #expect(text.contains("## Response figures by region"))
        #expect(text.contains("| eu-west-1 | support-berlin v1 | 1 | 5m 00s† | 5m 00s† | —"))
        #expect(Self.review(MetricCatalogTests.context).byRegion.isEmpty, "no rows without region calendars")
    }
}
