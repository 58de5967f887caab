import Testing
@testable import LedgerModel

@Suite struct CanonicalJSONTests {
    /// Reads every member of an object through the in-place view and builds the tree from it.
    static func tree(of value: CanonicalValue) throws -> JSONValue {
        switch value.kind {
        case .null: return .null
        case .bool: return .bool(try #require(value.bool() as Bool?))
        case .number: return try value.integer().map(JSONValue.integer) ?? value.jsonValue()
        case .string: return .string(try #require(try value.string()))
        case .array: return .array(try #require(try value.elements()).map(tree(of:)))
        case .object:
            let object = try #require(try value.object())
            var members = [String: JSONValue]()
            for (index, member) in object.members.enumerated() { members[object.name(at: index)] = try tree(of: member.value) }
            return .object(members)
        }
    }

    static func read(_ text: String) throws -> JSONValue {
        try Array(text.utf8).withUnsafeBufferPointer { buffer in
            let object = try CanonicalObject(wholeText: buffer)
            var members = [String: JSONValue]()
            for (index, member) in object.members.enumerated() { members[object.name(at: index)] = try tree(of: member.value) }
            return .object(members)
        }
    }

    @Test func readsWhatTheCanonicalWriterWrites() throws {
        let value: JSONValue = [
            "title": "Checkout \"errors\"\n\tand é😀", "count": 42, "negative": -7, "zero": 0, "max": .integer(Int64.max),
            "min": .integer(Int64.min + 1), "ratio": 2.5, "flag": true, "off": false, "none": nil,
            "list": ["a", 1, [], [:], ["nested": ["deep": [true]]]], "empty": [:], "control": "\u{01}\u{1F}",
            "": "empty key", "b\\ackslash": "key with an escape",
        ]
        #expect(try Self.read(value.canonicalText) == value)
        // Member lookup by name, and a missing one.
        try value.canonicalBytes.withUnsafeBufferPointer { buffer in
            let object = try CanonicalObject(wholeText: buffer)
            let count = try #require(object.index(of: "count"))
            #expect(object.members[count].value.integer() == 42)
            #expect(object.index(of: "absent") == nil)
            #expect(object.index(of: "coun") == nil)
        }
    }

    /// Strings are stepped over eight bytes at a time: a quote, backslash, control character or
    /// non-ASCII byte at every offset of every word must still be found.
    @Test(arguments: ["\"", "\\", "\n", "\u{01}", "é", "😀"])
    func everyOffsetOfASpecialCharacterIsFound(special: String) throws {
        for length in 0..<20 {
            for offset in 0...length {
                var text = String(repeating: "a", count: length)
                text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: offset))
                let value: JSONValue = ["a": .string(text), "b": 1]
                #expect(try Self.read(value.canonicalText) == value, "\(length) \(offset)")
            }
        }
    }

    @Test(arguments: [
        (#"{"b":1,"a":2}"#, "canonical order"), (#"{"a":1,"a":2}"#, "canonical order"), (#"{ "a":1}"#, "member name"),
        (#"{"a": 1}"#, "expected a value"), (#"{"a":1} "#, "after the object"), (#"{"a":1,}"#, "member name"),
        (#"{"a":"x"#, "unterminated"), (#"{"a":[1}"#, "unexpected end"), (#"{"a":tru}"#, "expected a value"),
        ("{\"a\":\"\u{01}\"}", "control character"), ("{\"a\":\"abcdefghijk\u{1F}lm\"}", "control character"), (#"[1]"#, "expected a JSON object"), (#"{"a":1"#, "unexpected end"),
        (#"{"a":{"c":1,"b":2}}"#, "canonical order"),
    ])
    func refusesTextThatIsNotCanonical(text: String, reason: String) {
        #expect {
            _ = try Self.read(text)
        } throws: { error in
            (error as? JSONParseError)?.reason.contains(reason) == true
        }
    }

    static func checkCanonical(_ text: String) throws {
        try Array(text.utf8).withUnsafeBufferPointer { buffer in
            _ = try CanonicalObject(wholeText: buffer)
            try CanonicalValue(text: buffer, start: 0, end: buffer.count).checkCanonical()
        }
    }

    @Test func theCanonicalCheckPassesWhatTheWriterWrites() throws {
        let value: JSONValue = [
            "text": "quote \" backslash \\ tab \t bell \u{07} é", "ratio": 2.5, "big": 1e300, "small": -0.000125, "zero": 0,
            "nested": [["b": [1, 2], "a": nil]], "\n": true,
        ]
        try Self.checkCanonical(value.canonicalText)
    }

    @Test(arguments: [
        #"{"a":1.50}"#, #"{"a":1e3}"#, #"{"a":-0}"#, #"{"a":01}"#, #"{"a":"\u0041"}"#, #"{"a":"\/"}"#, #"{"a":"\u001F"}"#,
        #"{"a":[{"c":1,"b":2}]}"#, #"{"a":[1, 2]}"#, #"{"\u0061":1}"#,
    ])
    func theCanonicalCheckRefusesAnythingElse(text: String) {
        #expect(throws: JSONParseError.self) { try Self.checkCanonical(text) }
    }

    @Test func refusesInvalidUTF8WhenTheStringIsRead() throws {
        let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            let object = try CanonicalObject(wholeText: buffer)
            #expect(throws: JSONParseError.self) { _ = try object.members[0].value.string() }
        }
    }

    @Test(arguments: ["01", "-01", "1.0", "1e3", "9223372036854775808", "-", "1-2"])
    func integersAreOnlyPlainCanonicalWholeNumbers(text: String) throws {
        let document = #"{"n":"# + text + "}"
        try Array(document.utf8).withUnsafeBufferPointer { buffer in
            let object = try CanonicalObject(wholeText: buffer)
            #expect(object.members[0].value.integer() == nil)
        }
    }
}
