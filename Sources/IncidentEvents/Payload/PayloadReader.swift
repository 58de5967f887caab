public import LedgerModel

/// Reads and validates the members of a payload object, one typed field at a time.
///
/// In describe mode it reads nothing: it records each field asked for (name, type, constraints,
/// description) and hands back a placeholder, so that the schema of a payload is derived from the
/// very code that decodes it.
public struct PayloadReader {
    private enum Mode {
        case decode(CanonicalObject)
        case describe
    }

    private let mode: Mode
    /// The JSON path of this object, for error messages: `payload` or `payload.window`.
    private let path: String
    /// Which members of the object have been read, a bit per member index (each key is asked for
    /// once). No payload has 64 fields, so a member past the 64th is unknown unless its name says so.
    private var consumed: UInt64 = 0
    /// The fields asked for so far, in describe mode.
    public private(set) var recordedFields: [FieldSpec] = []

    /// A reader of a payload object, in place in its canonical text. The reader borrows the text:
    /// use it only while the buffer the object was scanned from is valid.
    public init(_ object: CanonicalObject, path: String = "payload") {
        mode = .decode(object)
        self.path = path
    }

    /// Runs `body` with a reader of a payload's canonical text; the reader is valid only inside it.
    public static func reading<Result>(_ payload: Payload, _ body: (inout PayloadReader) throws(EventInputError) -> Result) throws(EventInputError) -> Result {
        try payload.canonicalBytes.withUnsafeBufferPointer { (text) throws(EventInputError) -> Result in
            let object: CanonicalObject
            do throws(JSONParseError) {
                object = try CanonicalObject(wholeText: text)
            } catch {
                throw EventInputError(field: "payload", reason: error.description)
            }
            var reader = PayloadReader(object)
            return try body(&reader)
        }
    }

    /// A reader in describe mode.
    public init(describing: Void, path: String = "payload") {
        mode = .describe
        self.path = path
    }

    /// True when decoding real data; false in describe mode.
    public var isDecoding: Bool {
        if case .decode = mode { return true }
        return false
    }

    /// An error about one field of this object.
    public func error(_ key: String, _ reason: String) -> EventInputError {
        EventInputError(field: "\(path).\(key)", reason: reason)
    }

    /// Checks that every member of the object was read: an unknown member is refused, not dropped.
    /// `fields` names the known ones, for the message.
    public func finish(fields: @autoclosure () -> [FieldSpec]) throws(EventInputError) {
        guard case .decode(let object) = mode else { return }
        let count = object.members.count
        if count < 64, consumed == (1 << count) - 1 { return }
        // Only on the way to an error: name the first unknown member.
        let names = fields().map(\.name)
        for index in 0..<count where index >= 64 || consumed & (1 << index) == 0 {
            let name = object.name(at: index)
            guard index < 64 || !names.contains(name) else { continue }
            throw EventInputError(field: "\(path).\(name)", reason: "is not a field of this event; the fields are \(names.sorted().joined(separator: ", "))")
        }
    }

    // MARK: The raw step every typed read goes through

    /// Records the field, then returns its value (nil when absent or null).
    private mutating func member(_ key: String, _ kind: @autoclosure () -> FieldSpec.Kind, required: Bool, _ description: String) throws(EventInputError) -> CanonicalValue? {
        switch mode {
        case .describe:
            recordedFields.append(FieldSpec(name: key, kind: kind(), required: required, description: description))
            return nil
        case .decode(let object):
            guard let index = object.index(of: key) else {
                if required { throw error(key, "is required") }
                return nil
            }
            if index < 64 { consumed |= 1 << index }
            let value = object.members[index].value
            guard !value.isNull else {
                if required { throw error(key, "is required") }
                return nil
            }
            return value
        }
    }

    /// A text value read from the payload, with malformed text reported against the field.
    private func text(_ value: CanonicalValue, _ key: @autoclosure () -> String) throws(EventInputError) -> String? {
        do {
            return try value.string()
        } catch {
            throw self.error(key(), error.reason)
        }
    }

    // MARK: Strings

    public mutating func string(_ key: String, _ description: String, maxLength: Int = 1000) throws(EventInputError) -> String {
        try optionalString(key, description, maxLength: maxLength, required: true) ?? ""
    }

    public mutating func optionalString(_ key: String, _ description: String, maxLength: Int = 1000) throws(EventInputError) -> String? {
        try optionalString(key, description, maxLength: maxLength, required: false)
    }

    private mutating func optionalString(_ key: String, _ description: String, maxLength: Int, required: Bool) throws(EventInputError) -> String? {
        guard let value = try member(key, .string(minLength: 1, maxLength: maxLength), required: required, description) else { return nil }
        return try checkString(value, maxLength: maxLength, key)
    }

    /// `key` is only made on the way to an error (for list items it is `key[index]`).
    private func checkString(_ value: CanonicalValue, maxLength: Int, _ key: @autoclosure () -> String) throws(EventInputError) -> String {
        guard let text = try text(value, key()) else { throw error(key(), "must be a string, not \(value.typeName)") }
        guard !text.isBlank else { throw error(key(), "must not be empty") }
        // utf8.count is O(1) and never below the character count: count characters only when it matters.
        guard text.utf8.count <= maxLength || text.count <= maxLength else { throw error(key(), "is longer than \(maxLength) characters") }
        return text
    }

    public mutating func strings(_ key: String, _ description: String, minItems: Int = 0, maxLength: Int = 200) throws(EventInputError) -> [String] {
        guard let value = try member(key, .array(.string(minLength: 1, maxLength: maxLength), minItems: minItems), required: minItems > 0, description) else { return [] }
        let elements = try elements(of: value, key, minItems: minItems, expected: "an array of strings")
        var out = [String]()
        out.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            out.append(try checkString(element, maxLength: maxLength, "\(key)[\(index)]"))
        }
        guard !Self.hasDuplicates(out) else { throw error(key, "must not list the same item twice") }
        return out
    }

    /// The elements of an array field, at least `minItems` of them.
    private func elements(of value: CanonicalValue, _ key: String, minItems: Int, expected: String) throws(EventInputError) -> [CanonicalValue] {
        let elements: [CanonicalValue]?
        do {
            elements = try value.elements()
        } catch {
            throw self.error(key, error.reason)
        }
        guard let elements else { throw error(key, "must be \(expected), not \(value.typeName)") }
        guard elements.count >= minItems else { throw error(key, "must have at least \(minItems) item\(minItems == 1 ? "" : "s")") }
        return elements
    }

    /// Whether a list names an item twice; lists in payloads are short, so small ones are compared pairwise.
    private static func hasDuplicates<Item: Hashable>(_ items: [Item]) -> Bool {
        guard items.count > 8 else {
            for index in items.indices.dropFirst() where items[..<index].contains(items[index]) { return true }
            return false
        }
        return Set(items).count != items.count
    }

    // MARK: Vocabularies

    public mutating func value<Value: PayloadEnum>(_ key: String, _ description: String, as: Value.Type = Value.self) throws(EventInputError) -> Value {
        try optionalValue(key, description, required: true) ?? Value.allCases.first!
    }

    public mutating func optionalValue<Value: PayloadEnum>(_ key: String, _ description: String, as: Value.Type = Value.self) throws(EventInputError) -> Value? {
        try optionalValue(key, description, required: false)
    }

    private mutating func optionalValue<Value: PayloadEnum>(_ key: String, _ description: String, required: Bool) throws(EventInputError) -> Value? {
        guard let value = try member(key, .oneOf(Value.allCases.map(\.rawValue)), required: required, description) else { return nil }
        return try checkEnum(value, Value.self, key)
    }

    private func checkEnum<Value: PayloadEnum>(_ value: CanonicalValue, _: Value.Type, _ key: @autoclosure () -> String) throws(EventInputError) -> Value {
        // Compared as bytes: no string is made for a name that matches.
        for candidate in Value.allCases {
            var name = candidate.rawValue
            if name.withUTF8({ value.isString($0) }) { return candidate }
        }
        let names = Value.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = try text(value, key()) else { throw error(key(), "must be one of \(names), not \(value.typeName)") }
        throw error(key(), "must be one of \(names); \(MessageText.quoted(text)) is not")
    }

    public mutating func values<Value: PayloadEnum>(_ key: String, _ description: String, minItems: Int = 0, as: Value.Type = Value.self) throws(EventInputError) -> [Value] {
        guard let value = try member(key, .array(.oneOf(Value.allCases.map(\.rawValue)), minItems: minItems), required: minItems > 0, description) else { return [] }
        let elements = try elements(of: value, key, minItems: minItems, expected: "an array")
        var out = [Value]()
        out.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            out.append(try checkEnum(element, Value.self, "\(key)[\(index)]"))
        }
        guard !Self.hasDuplicates(out) else { throw error(key, "must not list the same item twice") }
        return out
    }

    // MARK: Times, numbers, flags

    public mutating func timestamp(_ key: String, _ description: String) throws(EventInputError) -> Timestamp {
        try optionalTimestamp(key, description, required: true) ?? Timestamp(microsecondsSinceEpoch: 0)
    }

    public mutating func optionalTimestamp(_ key: String, _ description: String) throws(EventInputError) -> Timestamp? {
        try optionalTimestamp(key, description, required: false)
    }

    private mutating func optionalTimestamp(_ key: String, _ description: String, required: Bool) throws(EventInputError) -> Timestamp? {
        guard let value = try member(key, .timestamp, required: required, description) else { return nil }
        guard value.kind == .string else { throw error(key, "must be an RFC 3339 time string, not \(value.typeName)") }
        do {
            // A timestamp never needs an escape: one that has one is refused as malformed.
            return try Timestamp(rfc3339: UnsafeBufferPointer(rebasing: value.text[(value.start + 1)..<(value.end - 1)]))
        } catch {
            throw self.error(key, error.description)
        }
    }

    public mutating func integer(_ key: String, _ description: String, in range: ClosedRange<Int64>) throws(EventInputError) -> Int64 {
        try optionalInteger(key, description, in: range, required: true) ?? range.lowerBound
    }

    public mutating func optionalInteger(_ key: String, _ description: String, in range: ClosedRange<Int64>) throws(EventInputError) -> Int64? {
        try optionalInteger(key, description, in: range, required: false)
    }

    private mutating func optionalInteger(_ key: String, _ description: String, in range: ClosedRange<Int64>, required: Bool) throws(EventInputError) -> Int64? {
        guard let value = try member(key, .integer(minimum: range.lowerBound, maximum: range.upperBound), required: required, description) else { return nil }
        guard let number = value.integer() else { throw error(key, "must be a whole number, not \(value.typeName)") }
        guard range.contains(number) else { throw error(key, "must be from \(range.lowerBound) to \(range.upperBound); \(number) is outside") }
        return number
    }

    public mutating func optionalBool(_ key: String, _ description: String) throws(EventInputError) -> Bool? {
        guard let value = try member(key, .boolean, required: false, description) else { return nil }
        guard let flag = value.bool() else { throw error(key, "must be true or false, not \(value.typeName)") }
        return flag
    }

    // MARK: Objects

    public mutating func object<Object: PayloadObject>(_ key: String, _ description: String, as: Object.Type = Object.self) throws(EventInputError) -> Object {
        try optionalObject(key, description, required: true, as: Object.self)!
    }

    public mutating func optionalObject<Object: PayloadObject>(_ key: String, _ description: String, as: Object.Type = Object.self) throws(EventInputError) -> Object? {
        try optionalObject(key, description, required: false, as: Object.self)
    }

    private mutating func optionalObject<Object: PayloadObject>(_ key: String, _ description: String, required: Bool, as: Object.Type) throws(EventInputError) -> Object? {
        if case .describe = mode {
            var nested = PayloadReader(describing: (), path: "\(path).\(key)")
            let placeholder = try? Object(from: &nested)
            recordedFields.append(FieldSpec(name: key, kind: .object(nested.recordedFields), required: required, description: description))
            return required ? placeholder : nil
        }
        guard let value = try member(key, .anyObject, required: required, description) else { return nil }
        return try read(value, as: Object.self, "\(key)")
    }

    public mutating func objects<Object: PayloadObject>(_ key: String, _ description: String, minItems: Int = 0, as: Object.Type = Object.self) throws(EventInputError) -> [Object] {
        if case .describe = mode {
            var nested = PayloadReader(describing: (), path: "\(path).\(key)[]")
            _ = try? Object(from: &nested)
            recordedFields.append(FieldSpec(name: key, kind: .array(.object(nested.recordedFields), minItems: minItems), required: minItems > 0, description: description))
            return []
        }
        guard let value = try member(key, .anyObject, required: minItems > 0, description) else { return [] }
        let elements = try elements(of: value, key, minItems: minItems, expected: "an array of objects")
        var out = [Object]()
        out.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            out.append(try read(element, as: Object.self, "\(key)[\(index)]"))
        }
        return out
    }

    /// Reads a nested object with a reader of its own, which must consume every member.
    private func read<Object: PayloadObject>(_ value: CanonicalValue, as: Object.Type, _ key: String) throws(EventInputError) -> Object {
        let members: CanonicalObject?
        do {
            members = try value.object()
        } catch {
            throw self.error(key, error.reason)
        }
        guard let members else { throw error(key, "must be an object, not \(value.typeName)") }
        var nested = PayloadReader(members, path: "\(path).\(key)")
        let object = try Object(from: &nested)
        try nested.finish(fields: {
            var describing = PayloadReader(describing: ())
            _ = try? Object(from: &describing)
            return describing.recordedFields
        }())
        return object
    }

    /// Any JSON object, kept as it is (for example the fields a correction replaces).
    public mutating func anyObject(_ key: String, _ description: String) throws(EventInputError) -> [String: JSONValue] {
        guard let value = try member(key, .anyObject, required: true, description) else { return [:] }
        let parsed: JSONValue
        do {
            parsed = try value.jsonValue()
        } catch {
            throw self.error(key, error.reason)
        }
        guard case .object(let members) = parsed, !members.isEmpty else { throw error(key, "must be a non-empty object") }
        return members
    }
}

extension String {
    /// Whether the text is empty or only whitespace. Nearly every text has a printable ASCII byte,
    /// which settles it at once; only the rest are checked character by character (this check runs
    /// on every string of every payload decoded, stored ones included).
    var isBlank: Bool {
        for byte in utf8 where byte > 0x20 && byte < 0x7F { return false }
        return allSatisfy(\.isWhitespace)
    }
}
