import IncidentImporters
import LedgerModel
import Testing

@Suite struct TimestampFormatTests {
    private func format(_ pattern: String, zone: String? = nil) throws -> TimestampFormat {
        var object: [String: JSONValue] = ["format": .string(pattern)]
        if let zone { object["timeZone"] = .string(zone) }
        return try TimestampFormat(mapping: try MappingObject(.object(object), path: "time"))
    }

    @Test func rfc3339NeedsAnOffset() throws {
        let rfc = try format("rfc3339")
        #expect(rfc.parse("2010-03-31T15:59:42+01:00")?.rfc3339 == "2010-03-31T14:59:42Z")
        #expect(rfc.parse("2010-03-31T15:59:42") == nil)
    }

    @Test func patternsWithFractionsAndLiterals() throws {
        let utc = try format("yyyy-MM-ddTHH:mm:ss.SSS", zone: "UTC")
        #expect(utc.parse("2024-02-29T23:59:58.125")?.rfc3339 == "2024-02-29T23:59:58.125Z")
        #expect(utc.parse("2023-02-29T23:59:58.125") == nil)  // not a leap year
        #expect(utc.parse("2024-02-29T23:59:58.12") == nil)
        let short = try format("dd/MM/yyyy HH:mm", zone: "UTC")
        #expect(short.parse("01/02/2024 07:05")?.rfc3339 == "2024-02-01T07:05:00Z")
        #expect(short.parse("01/02/2024 07:05 ") == nil)
    }

    /// A spreadsheet's `29/2/2016 1:16`: day, month and hour in one or two digits (`d`, `M`, `H`).
    @Test func oneOrTwoDigitDaysMonthsAndHours() throws {
        let sheet = try format("d/M/yyyy H:mm", zone: "Europe/Madrid")
        #expect(sheet.parse("29/2/2016 1:16")?.rfc3339 == "2016-02-29T00:16:00Z")
        #expect(sheet.parse("9/12/2016 13:05")?.rfc3339 == "2016-12-09T12:05:00Z")
        #expect(sheet.parse("09/03/2016 01:16")?.rfc3339 == "2016-03-09T00:16:00Z")
        #expect(sheet.parse("30/2/2016 1:16") == nil, "no 30 February")
        #expect(sheet.parse("/2/2016 1:16") == nil)
        #expect(sheet.parse("123/2/2016 1:16") == nil, "at most two digits")
        // The two-digit forms stay strict.
        #expect(try format("dd/MM/yyyy HH:mm", zone: "UTC").parse("9/2/2016 01:16") == nil)
    }

    @Test func daylightSavingGapsAndRepeatsAreReadOneWay() throws {
        let brussels = try format("yyyy-MM-dd HH:mm", zone: "Europe/Brussels")
        // Clocks jump from 02:00 to 03:00: 02:30 does not exist and is read as the jump.
        #expect(brussels.parse("2024-03-31 02:30")?.rfc3339 == "2024-03-31T01:00:00Z")
        // Clocks go back from 03:00 to 02:00: 02:30 happens twice and is read as the first time.
        #expect(brussels.parse("2024-10-27 02:30")?.rfc3339 == "2024-10-27T00:30:00Z")
    }

    @Test func badFormatsAreMappingErrors() {
        #expect(throws: MappingError.self) { try format("yyyy-MM-dd HH:mm") }  // no zone
        #expect(throws: MappingError.self) { try format("yyyy-MM-dd HH:mm", zone: "Mars/Olympus") }
        #expect(throws: MappingError.self) { try format("yyyy-MM-dd HH:mm:ss.SSSSSSS", zone: "UTC") }
        #expect(throws: MappingError.self) { try format("rfc3339", zone: "UTC") }
    }
}
