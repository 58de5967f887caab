import Foundation
import Testing
@testable import LedgerModel

@Suite struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-03-14T09:26:53Z", Int64(1_773_480_413_000_000)),
        ("2026-03-14T10:26:53+01:00", Int64(1_773_480_413_000_000)),
        ("2026-03-14T09:26:53.25Z", Int64(1_773_480_413_250_000)),
        ("2026-03-14T09:26:53.123456789Z", Int64(1_773_480_413_123_456)),
        ("1969-12-31T23:59:59.5Z", Int64(-500_000)),
        ("2000-02-29T12:00:00-05:30", Int64(951_845_400_000_000)),
    ])
    func parsesRFC3339(text: String, micros: Int64) throws {
        #expect(try Timestamp(rfc3339: text).microsecondsSinceEpoch == micros)
    }

    @Test(arguments: [
        "", "2026-03-14", "2026-03-14T09:26:53", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-03-14T24:00:00Z", "2026-03-14T09:26:60Z", "2026-03-14T09:26:53.Z", "2026-03-14T09:26:53+0100",
        "2026-03-14T09:26:53Zjunk", "twenty twenty-six",
    ])
    func refusesMalformedText(text: String) {
        #expect(throws: Timestamp.ParseError.self) { try Timestamp(rfc3339: text) }
    }

    /// An offset that carries the time outside the years 0001 to 9999 in UTC is refused: no record can
    /// hold it, and once written it made every later read of the ledger fail (found by Tools/api-fuzz).
    @Test(arguments: ["0001-01-01T00:00:00+23:59", "0001-01-01T00:00:00.5+00:01", "9999-12-31T23:59:59-00:01"])
    func refusesTimesOutsideTheWritableYears(text: String) {
        #expect(throws: Timestamp.ParseError.self) { try Timestamp(rfc3339: text) }
    }

    @Test func acceptsTheEdgesOfTheWritableYears() throws {
        #expect(try Timestamp(rfc3339: "0001-01-01T00:00:00Z").microsecondsSinceEpoch == Timestamp.writable.lowerBound)
        #expect(try Timestamp(rfc3339: "0001-01-01T00:00:00-01:00").microsecondsSinceEpoch == Timestamp.writable.lowerBound + 3_600_000_000)
        #expect(try Timestamp(rfc3339: "9999-12-31T23:59:59.999999Z").microsecondsSinceEpoch == Timestamp.writable.upperBound)
    }

    @Test func formatsWithTheShortestFraction() {
        #expect(Timestamp(microsecondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(Timestamp(microsecondsSinceEpoch: 1_250_000).rfc3339 == "1970-01-01T00:00:01.250Z")
        #expect(Timestamp(microsecondsSinceEpoch: 1_000_001).rfc3339 == "1970-01-01T00:00:01.000001Z")
        #expect(Timestamp(microsecondsSinceEpoch: -500_000).rfc3339 == "1969-12-31T23:59:59.500Z")
    }

    /// Checked against Foundation's calendar arithmetic over random instants in 1600–9999 (before
    /// the Gregorian reform Foundation switches to the Julian calendar; RFC 3339 never does).
    @Test func agreesWithFoundationOnRandomInstants() throws {
        var generator = SystemRandomNumberGenerator()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for _ in 0..<2000 {
            let seconds = Int64.random(in: -11_676_096_000..<253_402_300_799, using: &generator)
            let ours = Timestamp(microsecondsSinceEpoch: seconds * 1_000_000)
            let theirs = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(ours.rfc3339 == theirs)
            #expect(try Timestamp(rfc3339: ours.rfc3339) == ours)
        }
    }
}
