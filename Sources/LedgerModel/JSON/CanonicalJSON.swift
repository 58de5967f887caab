/// A JSON value read in place from canonical text (see ``JSONValue/canonicalBytes``): where it lies
/// in the bytes and what kind it is, with its content read only when asked for.
///
/// This is how stored payloads are decoded. Building a ``JSONValue`` tree allocates a dictionary
/// and a string per member and hashes every key; reading in place costs one scan of the object and
/// a string only for the values a reader takes. The text must be canonical (no white space, members
/// in strictly increasing key order), which every stored payload is; anything else is refused with
/// the offset of the first byte that is not, never read loosely.
///
/// The views borrow the bytes: they are valid only inside the `withUnsafeBufferPointer` (or
/// equivalent) that produced the buffer, and must not be kept beyond it.
public struct CanonicalValue {
    /// What a value is, from its first byte.
    public enum Kind: Sendable, Equatable {
        case null, bool, number, string, array, object
    }

    /// The whole text the value is part of.
    public let text: UnsafeBufferPointer<UInt8>
    /// The value's bytes: `text[start..<end]`.
    public let start: Int
    public let end: Int

    init(text: UnsafeBufferPointer<UInt8>, start: Int, end: Int) {
        self.text = text
        self.start = start
        self.end = end
    }

    public var kind: Kind {
        switch text[start] {
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "{"): .object
        case UInt8(ascii: "["): .array
        case UInt8(ascii: "t"), UInt8(ascii: "f"): .bool
        case UInt8(ascii: "n"): .null
        default: .number
        }
    }

    /// A short name of the value's JSON type, for error messages (as ``JSONValue/typeName``).
    public var typeName: String {
        switch kind {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    public var isNull: Bool { text[start] == UInt8(ascii: "n") }

    /// The value's bytes.
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: text[start..<end]) }

    /// The string, or nil when the value is not a string. Invalid UTF-8 and bad escapes are errors.
    public func string() throws(JSONParseError) -> String? {
        guard kind == .string else { return nil }
        let inner = UnsafeBufferPointer(rebasing: text[(start + 1)..<(end - 1)])
        // Canonical text escapes only `"`, `\` and control characters, so nearly every string is
        // its own bytes; the rare escaped one goes through the full parser.
        guard !inner.contains(UInt8(ascii: "\\")) else { return try JSONParser.parse(bytes).stringValue }
        // ASCII needs no validation; `String(validating:)` is generic and much dearer per call.
        if CanonicalScanner.isASCII(inner) { return String(decoding: inner, as: UTF8.self) }
        guard let string = String(validating: inner, as: UTF8.self) else {
            throw CanonicalScanner.error("the string is not valid UTF-8", at: start)
        }
        return string
    }

    /// Whether the value is the string whose UTF-8 bytes are `expected` (no escapes involved).
    public func isString(_ expected: UnsafeBufferPointer<UInt8>) -> Bool {
        end - start == expected.count + 2 && kind == .string
            && expected.elementsEqual(UnsafeBufferPointer(rebasing: text[(start + 1)..<(end - 1)]))
    }

    /// The number as a whole number when it is written as one and fits in 64 bits; nil otherwise.
    public func integer() -> Int64? {
        guard kind == .number else { return nil }
        var index = start
        let negative = text[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        // Canonical integers have no leading zeros, no fraction and no exponent.
        guard index < end, end - index <= 19, text[index] != UInt8(ascii: "0") || end - index == 1 else { return nil }
        var magnitude: Int64 = 0
        while index < end {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, overflowTimes) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(Int64(digit))
            guard !overflowTimes, !overflowSum else { return nil }
            magnitude = sum
            index += 1
        }
        return negative ? -magnitude : magnitude
    }

    public func bool() -> Bool? {
        switch text[start] {
        case UInt8(ascii: "t"): true
        case UInt8(ascii: "f"): false
        default: nil
        }
    }

    /// The members of an object; nil when the value is not an object.
    public func object() throws(JSONParseError) -> CanonicalObject? {
        guard kind == .object else { return nil }
        return try CanonicalObject(text: text, start: start, end: end)
    }

    /// The elements of an array; nil when the value is not an array.
    public func elements() throws(JSONParseError) -> [CanonicalValue]? {
        guard kind == .array else { return nil }
        var scanner = CanonicalScanner(text: text, index: start + 1)
        var out = [CanonicalValue]()
        if text[scanner.index] == UInt8(ascii: "]") { return out }
        while true {
            let element = try scanner.value()
            out.append(element)
            if try scanner.separator(closing: UInt8(ascii: "]")) { break }
        }
        guard scanner.index == end else { throw CanonicalScanner.error("the array does not end where it should", at: scanner.index) }
        return out
    }

    /// Checks that the value and everything inside it is exactly what the canonical writer
    /// (``JSONValue/writeCanonical(into:)``) writes for it: member order and structure, string
    /// escapes, UTF-8, and the form of every number. Reading a value checks less (what it reads);
    /// this is for text taken verbatim, such as a payload in an exported line.
    public func checkCanonical() throws(JSONParseError) {
        switch kind {
        case .null, .bool:
            return
        case .number:
            if let integer = integer() {
                guard integer != 0 || text[start] != UInt8(ascii: "-") else { throw CanonicalScanner.error("-0 is written 0", at: start) }
                return
            }
            let literal = String(decoding: bytes, as: UTF8.self)
            guard let number = Double(literal), number.isFinite, number.description == literal else {
                throw CanonicalScanner.error("the number \(literal) is not in canonical form", at: start)
            }
        case .string:
            let inner = UnsafeBufferPointer(rebasing: text[(start + 1)..<(end - 1)])
            guard inner.contains(UInt8(ascii: "\\")) else {
                guard CanonicalScanner.isASCII(inner) || String(validating: inner, as: UTF8.self) != nil else {
                    throw CanonicalScanner.error("the string is not valid UTF-8", at: start)
                }
                return
            }
            var canonical = [UInt8]()
            JSONValue.writeString(try string() ?? "", into: &canonical)
            guard canonical.elementsEqual(bytes) else { throw CanonicalScanner.error("the string's escapes are not in canonical form", at: start) }
        case .array:
            for element in try elements() ?? [] { try element.checkCanonical() }
        case .object:
            guard let object = try object() else { return }
            for member in object.members {
                try CanonicalValue(text: text, start: Int(member.keyStart) - 1, end: Int(member.keyEnd) + 1).checkCanonical()
                try member.value.checkCanonical()
            }
        }
    }

    /// The value as a tree, for the rare reader that wants arbitrary JSON.
    public func jsonValue() throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(bytes)
    }
}

/// The members of a JSON object in canonical text, located by one scan that checks the object's
/// structure and the strict order of its keys (which also rules out a key appearing twice).
public struct CanonicalObject {
    /// Where one member's key (without its quotes) and value lie.
    public struct Member {
        public let keyStart: Int32
        public let keyEnd: Int32
        public let value: CanonicalValue
    }

    public let text: UnsafeBufferPointer<UInt8>
    public private(set) var members: [Member] = []

    /// Scans the object that fills all of `text`.
    public init(wholeText text: UnsafeBufferPointer<UInt8>) throws(JSONParseError) {
        guard text.count >= 2, text[0] == UInt8(ascii: "{") else {
            throw CanonicalScanner.error("expected a JSON object", at: 0)
        }
        try self.init(text: text, start: 0, end: text.count)
    }

    init(text: UnsafeBufferPointer<UInt8>, start: Int, end: Int) throws(JSONParseError) {
        self.text = text
        var scanner = CanonicalScanner(text: text, index: start + 1)
        guard scanner.index < end else { throw CanonicalScanner.error("unexpected end of an object", at: scanner.index) }
        if text[scanner.index] == UInt8(ascii: "}") {
            scanner.index += 1
        } else {
            members.reserveCapacity(12)
            var previous: UnsafeBufferPointer<UInt8>? = nil
            while true {
                let keyOffset = scanner.index
                guard keyOffset < end, text[keyOffset] == UInt8(ascii: "\"") else {
                    throw CanonicalScanner.error("expected a member name in double quotes", at: keyOffset)
                }
                let key = try scanner.value()
                let name = UnsafeBufferPointer(rebasing: text[(key.start + 1)..<(key.end - 1)])
                if let previous, !previous.lexicographicallyPrecedes(name) {
                    throw CanonicalScanner.error("member names are not in canonical order (strictly increasing)", at: keyOffset)
                }
                previous = name
                guard scanner.index < end, text[scanner.index] == UInt8(ascii: ":") else {
                    throw CanonicalScanner.error("expected ':' after a member name", at: scanner.index)
                }
                scanner.index += 1
                let value = try scanner.value()
                members.append(Member(keyStart: Int32(key.start + 1), keyEnd: Int32(key.end - 1), value: value))
                if try scanner.separator(closing: UInt8(ascii: "}")) { break }
            }
        }
        guard scanner.index == end else { throw CanonicalScanner.error("unexpected text after the object", at: scanner.index) }
    }

    /// The index of the member named `key`, compared byte for byte.
    public func index(of key: String) -> Int? {
        var key = key
        return key.withUTF8 { name in
            for (index, member) in members.enumerated() {
                let length = Int(member.keyEnd - member.keyStart)
                guard length == name.count else { continue }
                if name.elementsEqual(UnsafeBufferPointer(rebasing: text[Int(member.keyStart)..<Int(member.keyEnd)])) {
                    return index
                }
            }
            return nil
        }
    }

    /// A member's name, decoded (for messages about members nobody asked for).
    public func name(at index: Int) -> String {
        let member = members[index]
        let quoted = CanonicalValue(text: text, start: Int(member.keyStart) - 1, end: Int(member.keyEnd) + 1)
        return (try? quoted.string()) ?? String(decoding: quoted.bytes, as: UTF8.self)
    }
}

/// Steps over canonical values: finds where each ends and checks the structure it passes over.
/// What a value contains is checked when it is read (strings for UTF-8 and escapes, numbers by
/// their reader, nested objects and arrays by their own scan).
struct CanonicalScanner {
    let text: UnsafeBufferPointer<UInt8>
    var index: Int

    static func error(_ reason: String, at offset: Int) -> JSONParseError {
        JSONParseError(line: 1, column: offset + 1, reason: reason + " (in canonical JSON text)")
    }

    /// Steps over one value and returns where it lies.
    mutating func value() throws(JSONParseError) -> CanonicalValue {
        let start = index
        guard index < text.count else { throw Self.error("unexpected end of input; expected a value", at: index) }
        switch text[index] {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["): try skipContainer()
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw Self.error("unexpected character; expected a value", at: index)
        }
        return CanonicalValue(text: text, start: start, end: index)
    }

    /// After a member or element: true at the closing bracket (stepped over), false at a comma.
    mutating func separator(closing: UInt8) throws(JSONParseError) -> Bool {
        guard index < text.count else { throw Self.error("unexpected end of input", at: index) }
        let byte = text[index]
        index += 1
        if byte == closing { return true }
        guard byte == UInt8(ascii: ",") else {
            throw Self.error("expected ',' or '\(Character(Unicode.Scalar(closing)))'", at: index - 1)
        }
        return false
    }

    /// Eight bytes at once: a bit set in the top of each byte that is `"`, `\` or below 0x20.
    /// (The classic "has a zero byte" and "has a byte less than" tests; exact in whether any is set.)
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20) & ~word) & highs
    }

    /// Whether any byte is `"`, `\` or a control character: what a JSON string must escape.
    static func needsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= bytes.count {
            if specialBytes(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) != 0 { return true }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            index += 1
        }
        return false
    }

    /// Whether every byte is below 0x80.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(bytes[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    private mutating func skipString() throws(JSONParseError) {
        let start = index
        index += 1
        // Step over ordinary bytes eight at a time; the byte loop below handles the rest.
        if let base = text.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= text.count, Self.specialBytes(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) == 0 {
                index += 8
            }
        }
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return
            }
            if byte < 0x20 { throw Self.error("a control character must be escaped inside a string", at: index) }
            index += byte == UInt8(ascii: "\\") ? 2 : 1
        }
        throw Self.error("unterminated string", at: start)
    }

    private mutating func skipLiteral(_ word: StaticString) throws(JSONParseError) {
        let length = word.utf8CodeUnitCount
        guard index + length <= text.count,
            UnsafeBufferPointer(start: word.utf8Start, count: length).elementsEqual(UnsafeBufferPointer(rebasing: text[index..<index + length]))
        else { throw Self.error("unexpected character; expected a value", at: index) }
        index += length
    }

    private mutating func skipNumber() throws(JSONParseError) {
        let start = index
        while index < text.count {
            switch text[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                guard index > start else { throw Self.error("a number needs digits", at: start) }
                return
            }
        }
    }

    /// Steps over an object or array by its brackets, minding strings; its inside is checked when
    /// it is read.
    private mutating func skipContainer() throws(JSONParseError) {
        let start = index
        var depth = 0
        while index < text.count {
            switch text[index] {
            case UInt8(ascii: "\""):
                try skipString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                guard depth <= JSONParser.maximumDepth else { throw Self.error("nesting deeper than \(JSONParser.maximumDepth) levels", at: index) }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    index += 1
                    return
                }
            default:
                break
            }
            index += 1
        }
        throw Self.error("unterminated object or array", at: start)
    }
}
