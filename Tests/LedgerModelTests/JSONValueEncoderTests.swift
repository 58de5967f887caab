import Foundation
import LedgerModel
import Testing

/// A `Codable` value written as a ``JSONValue``: nil is null unless marked, numbers keep their kind.
@Suite struct JSONValueEncoderTests {
    struct Report: Codable, Equatable {
        var name: String
        var count: Int
        var position: UInt64
        var mean: Double?
        var ratio: Double
        var note: String?
        var flags: [Bool]
        var parts: [Part]
        var at: Timestamp
        @OmittedWhenNil var shownAt: Timestamp?
    }

    struct Part: Codable, Equatable {
        var seconds: Int64?
    }

    static let at = Timestamp(microsecondsSinceEpoch: 1_773_738_720_000_000)

    @Test func nilIsNullAndNumbersKeepTheirKind() throws {
        let report = Report(
            name: "پیام \"x\"", count: 3, position: 12, mean: 4.0, ratio: 0.5, note: nil, flags: [true, false],
            parts: [Part(seconds: 90), Part(seconds: nil)], at: Self.at, shownAt: nil)
        let value = try JSONValueEncoder().encode(report)
        #expect(value == .object([
            "name": .string("پیام \"x\""), "count": .integer(3), "position": .integer(12), "mean": .number(4.0), "ratio": .number(0.5),
            "note": .null, "flags": .array([.bool(true), .bool(false)]),
            "parts": .array([.object(["seconds": .integer(90)]), .object(["seconds": .null])]), "at": .string(Self.at.rfc3339),
        ]))
        // 4.0 stays a number written as such, where JSONEncoder would write 4.
        #expect(value.prettyText.contains("\"mean\": 4.0"))
    }

    @Test func aMarkedMemberIsLeftOutOnlyWhenNilAndReadsBack() throws {
        var report = Report(name: "a", count: 0, position: 0, mean: nil, ratio: 1, note: "n", flags: [], parts: [], at: Self.at, shownAt: nil)
        #expect(try JSONValueEncoder().encode(report)["shownAt"] == nil)
        report.shownAt = Self.at
        let text = try JSONValueEncoder().encode(report).canonicalText
        #expect(text.contains("\"shownAt\":\"\(Self.at.rfc3339)\""))
        // Foundation reads it back, with the member and without it.
        #expect(try JSONDecoder().decode(Report.self, from: Data(text.utf8)) == report)
        report.shownAt = nil
        #expect(try JSONDecoder().decode(Report.self, from: Data(try JSONValueEncoder().encode(report).canonicalText.utf8)) == report)
    }
}
