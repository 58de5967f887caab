import Foundation
import LedgerTestSupport
import Testing
@testable import LedgerModel

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" { "a": [1, -2.5, 3e2, true, false, null], "b": "x\"\u00e9\ud83d\ude00\n", "c": {} } "#)
        #expect(value == ["a": [1, -2.5, 300.0, true, false, nil], "b": "x\"é😀\n", "c": .object([:])])
    }

    @Test(arguments: [
        ("", "the input is empty"), ("{", "member name"), ("[1", "unexpected end"), ("[1,]", "expected a value"), ("{\"a\":1,}", "member name"),
        ("01", "leading zeros"), ("1.", "followed by digits"), ("\"\u{01}\"", "control character"),
        ("{\"a\":1,\"a\":2}", "appears twice"), ("\"\\ud800\"", "surrogate"), ("\"\\q\"", "unknown escape"),
        ("[1] 2", "after the JSON value"), ("nul", "expected a value"), ("1e999", "out of range"),
    ])
    func refusesMalformedJSON(text: String, reason: String) {
        #expect {
            _ = try JSONParser.parse(text)
        } throws: { error in
            (error as? JSONParseError)?.reason.contains(reason) == true
        }
    }

    @Test func refusesInvalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
    }

    @Test func refusesDeepNesting() {
        let text = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func reportsLineAndColumn() throws {
        do {
            _ = try JSONParser.parse("{\n  \"a\": tru\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 8)
        }
    }

    /// Random documents: our parser agrees with Foundation's, and the canonical text is a fixed point.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func canonicalTextIsStableAndAgreesWithFoundation(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<200 {
            let value = Self.randomValue(depth: 0, &random)
            let canonical = value.canonicalBytes
            let reparsed = try JSONParser.parse(canonical)
            #expect(reparsed == value)
            #expect(reparsed.canonicalBytes == canonical)
            let foundation = try JSONSerialization.jsonObject(with: Data(canonical), options: [.fragmentsAllowed])
            let backThroughFoundation = try JSONSerialization.data(withJSONObject: foundation, options: [.fragmentsAllowed, .sortedKeys])
            #expect(Self.normalized(try JSONParser.parse(Array(backThroughFoundation))) == Self.normalized(value))
        }
    }

    /// The value with every number as a Double, since Foundation may write 2.0 as 2.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .integer(let number): .number(Double(number))
        case .array(let elements): .array(elements.map(normalized))
        case .object(let members): .object(members.mapValues(normalized))
        default: value
        }
    }

    static func randomValue(depth: Int, _ random: inout SeededGenerator) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .integer(Int64.random(in: -1_000_000_000...1_000_000_000, using: &random))
        case 3: return .number(Double(Int.random(in: -100_000...100_000, using: &random)) / 64)
        case 4:
            let alphabet = Array("abc xyz\"\\\n\t/é😀\u{1}")
            return .string(String((0..<Int.random(in: 0..<12, using: &random)).map { _ in alphabet.randomElement(using: &random)! }))
        case 5: return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in randomValue(depth: depth + 1, &random) })
        default:
            var members = [String: JSONValue]()
            for index in 0..<Int.random(in: 0..<4, using: &random) {
                members["k\(index)\(["", "é", "Z"].randomElement(using: &random)!)"] = randomValue(depth: depth + 1, &random)
            }
            return .object(members)
        }
    }
}
