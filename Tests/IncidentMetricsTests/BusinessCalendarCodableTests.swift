import Foundation
import Testing
@testable import IncidentMetrics

@Suite struct BusinessCalendarCodableTests {
    /// The example from docs/metrics-foundations.md.
    static let example = """
        {
          "id": "support-berlin",
          "version": 3,
          "timeZone": "Europe/Berlin",
          "weeklyHours": {
            "monday": ["09:00-17:30"],
            "tuesday": ["09:00-17:30"],
            "wednesday": ["09:00-12:00", "13:00-17:30"],
            "thursday": ["09:00-17:30"],
            "friday": ["09:00-16:00"]
          },
          "holidays": ["2026-01-01", "2026-04-03", "2026-04-06", "2026-12-25", "2026-12-26"]
        }
        """

    @Test func decodesTheDocumentedExample() throws {
        let calendar = try JSONDecoder().decode(BusinessCalendar.self, from: Data(Self.example.utf8))
        #expect(calendar.id == "support-berlin")
        #expect(calendar.version == 3)
        #expect(calendar.timeZone == "Europe/Berlin")
        #expect(calendar.weeklyHours[.wednesday].map(\.description) == ["09:00-12:00", "13:00-17:30"])
        #expect(calendar.weeklyHours[.saturday].isEmpty)
        #expect(calendar.holidays.count == 5)
        // Monday, Tuesday, Thursday 8.5 h each, Wednesday 3 h + 4.5 h, Friday 7 h: 40 h.
        #expect(calendar.weeklyHours.secondsPerWeek == 144_000)
    }

    @Test func roundTripsThroughJSON() throws {
        let calendar = try JSONDecoder().decode(BusinessCalendar.self, from: Data(Self.example.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(calendar)
        let again = try JSONDecoder().decode(BusinessCalendar.self, from: data)
        #expect(again == calendar)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""saturday":[]"#))
        #expect(text.contains(#""holidays":["2026-01-01","2026-04-03","2026-04-06","2026-12-25","2026-12-26"]"#))
    }

    @Test(arguments: [
        // Unknown time zone.
        #"{"id":"a","version":1,"timeZone":"Mars/Olympus","weeklyHours":{"monday":["09:00-17:00"]}}"#,
        // Misspelt weekday.
        #"{"id":"a","version":1,"timeZone":"UTC","weeklyHours":{"wednsday":["09:00-17:00"]}}"#,
        // An interval across midnight.
        #"{"id":"a","version":1,"timeZone":"UTC","weeklyHours":{"monday":["22:00-06:00"]}}"#,
        // No working hours.
        #"{"id":"a","version":1,"timeZone":"UTC","weeklyHours":{"monday":[]}}"#,
        // A date that does not exist.
        #"{"id":"a","version":1,"timeZone":"UTC","weeklyHours":{"monday":["09:00-17:00"]},"holidays":["2026-02-30"]}"#,
        // Missing version.
        #"{"id":"a","timeZone":"UTC","weeklyHours":{"monday":["09:00-17:00"]}}"#,
    ])
    func refusesBadJSON(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(BusinessCalendar.self, from: Data(json.utf8))
        }
    }
}
