public import LedgerModel

/// Reads and validates the members of a payload object, one typed field at a time.
///
/// In describe mode it reads nothing: it records each field asked for (name, type, constraints,
/// description) and hands back a placeholder, so that the schema of a payload is derived from the
/// very code that decodes it.
public struct PayloadReader {
    private enum Mode {
        case decode([String: JSONValue])
        case describe
    }

    private let mode: Mode
    /// The JSON path of this object, for error messages: `payload` or `payload.window`.
    private let path: String
    /// How many members of the object have been read (each key is asked for once).
    private var consumedCount = 0
    /// The keys asked for, for the message about an unknown member.
    private var askedFor: [String] = []
    /// The fields asked for so far, in describe mode.
    public private(set) var recordedFields: [FieldSpec] = []

    /// A reader of a payload object.
    public init(_ object: [String: JSONValue], path: String = "payload") {
        mode = .decode(object)
        self.path = path
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
    public func finish() throws(EventInputError) {
        guard case .decode(let members) = mode, consumedCount < members.count else { return }
        // Only on the way to an error: name the first unknown member.
        let known = Set(askedFor)
        for key in members.keys.sorted() where !known.contains(key) {
            throw EventInputError(field: "\(path).\(key)", reason: "is not a field of this event; the fields are \(askedFor.sorted().joined(separator: ", "))")
        }
    }

    // MARK: The raw step every typed read goes through

    /// Records the field, then returns its JSON value (nil when absent or null).
    private mutating func member(_ key: String, _ kind: FieldSpec.Kind, required: Bool, _ description: String) throws(EventInputError) -> JSONValue? {
        switch mode {
        case .describe:
            recordedFields.append(FieldSpec(name: key, kind: kind, required: required, description: description))
            return nil
        case .decode(let members):
            askedFor.append(key)
            let value = members[key]
            if value != nil { consumedCount += 1 }
            guard let value, value != .null else {
                if required { throw error(key, "is required") }
                return nil
            }
            return value
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
        return try Self.checkString(value, maxLength: maxLength) { reason throws(EventInputError) in throw error(key, reason) }
    }

    private static func checkString(_ value: JSONValue, maxLength: Int, fail: (String) throws(EventInputError) -> Never) throws(EventInputError) -> String {
        guard case .string(let text) = value else { try fail("must be a string, not \(value.typeName)") }
        guard !text.isBlank else { try fail("must not be empty") }
        // utf8.count is O(1) and never below the character count: count characters only when it matters.
        guard text.utf8.count <= maxLength || text.count <= maxLength else { try fail("is longer than \(maxLength) characters") }
        return text
    }

    public mutating func strings(_ key: String, _ description: String, minItems: Int = 0, maxLength: Int = 200) throws(EventInputError) -> [String] {
        let kind = FieldSpec.Kind.array(.string(minLength: 1, maxLength: maxLength), minItems: minItems)
        guard let value = try member(key, kind, required: minItems > 0, description) else { return [] }
        guard case .array(let elements) = value else { throw error(key, "must be an array of strings, not \(value.typeName)") }
        guard elements.count >= minItems else { throw error(key, "must have at least \(minItems) item\(minItems == 1 ? "" : "s")") }
        var out = [String]()
        for (index, element) in elements.enumerated() {
            out.append(try Self.checkString(element, maxLength: maxLength) { reason throws(EventInputError) in throw error("\(key)[\(index)]", reason) })
        }
        guard Set(out).count == out.count else { throw error(key, "must not list the same item twice") }
        return out
    }

    // MARK: Vocabularies

    public mutating func value<Value: PayloadEnum>(_ key: String, _ description: String, as: Value.Type = Value.self) throws(EventInputError) -> Value {
        try optionalValue(key, description, required: true) ?? Value.allCases.first!
    }

    public mutating func optionalValue<Value: PayloadEnum>(_ key: String, _ description: String, as: Value.Type = Value.self) throws(EventInputError) -> Value? {
        try optionalValue(key, description, required: false)
    }

    private mutating func optionalValue<Value: PayloadEnum>(_ key: String, _ description: String, required: Bool) throws(EventInputError) -> Value? {
        let names = Value.allCases.map(\.rawValue)
        guard let value = try member(key, .oneOf(names), required: required, description) else { return nil }
        return try Self.checkEnum(value, Value.self) { reason throws(EventInputError) in throw error(key, reason) }
    }

    private static func checkEnum<Value: PayloadEnum>(_ value: JSONValue, _: Value.Type, fail: (String) throws(EventInputError) -> Never) throws(EventInputError) -> Value {
        let names = Value.allCases.map(\.rawValue)
        guard case .string(let text) = value else { try fail("must be one of \(names.joined(separator: ", ")), not \(value.typeName)") }
        guard let parsed = Value(rawValue: text) else { try fail("must be one of \(names.joined(separator: ", ")); '\(text)' is not") }
        return parsed
    }

    public mutating func values<Value: PayloadEnum>(_ key: String, _ description: String, minItems: Int = 0, as: Value.Type = Value.self) throws(EventInputError) -> [Value] {
        let kind = FieldSpec.Kind.array(.oneOf(Value.allCases.map(\.rawValue)), minItems: minItems)
        guard let value = try member(key, kind, required: minItems > 0, description) else { return [] }
        guard case .array(let elements) = value else { throw error(key, "must be an array, not \(value.typeName)") }
        guard elements.count >= minItems else { throw error(key, "must have at least \(minItems) item\(minItems == 1 ? "" : "s")") }
        var out = [Value]()
        for (index, element) in elements.enumerated() {
            out.append(try Self.checkEnum(element, Value.self) { reason throws(EventInputError) in throw error("\(key)[\(index)]", reason) })
        }
        guard Set(out).count == out.count else { throw error(key, "must not list the same item twice") }
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
        guard case .string(let text) = value else { throw error(key, "must be an RFC 3339 time string, not \(value.typeName)") }
        do {
            return try Timestamp(rfc3339: text)
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
        guard case .integer(let number) = value else { throw error(key, "must be a whole number, not \(value.typeName)") }
        guard range.contains(number) else { throw error(key, "must be from \(range.lowerBound) to \(range.upperBound); \(number) is outside") }
        return number
    }

    public mutating func optionalBool(_ key: String, _ description: String) throws(EventInputError) -> Bool? {
        guard let value = try member(key, .boolean, required: false, description) else { return nil }
        guard case .bool(let flag) = value else { throw error(key, "must be true or false, not \(value.typeName)") }
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
        guard case .object(let members) = value else { throw error(key, "must be an object, not \(value.typeName)") }
        var nested = PayloadReader(members, path: "\(path).\(key)")
        let object = try Object(from: &nested)
        try nested.finish()
        return object
    }

    public mutating func objects<Object: PayloadObject>(_ key: String, _ description: String, minItems: Int = 0, as: Object.Type = Object.self) throws(EventInputError) -> [Object] {
        if case .describe = mode {
            var nested = PayloadReader(describing: (), path: "\(path).\(key)[]")
            _ = try? Object(from: &nested)
            recordedFields.append(FieldSpec(name: key, kind: .array(.object(nested.recordedFields), minItems: minItems), required: minItems > 0, description: description))
            return []
        }
        guard let value = try member(key, .anyObject, required: minItems > 0, description) else { return [] }
        guard case .array(let elements) = value else { throw error(key, "must be an array of objects, not \(value.typeName)") }
        guard elements.count >= minItems else { throw error(key, "must have at least \(minItems) item\(minItems == 1 ? "" : "s")") }
        var out = [Object]()
        for (index, element) in elements.enumerated() {
            guard case .object(let members) = element else { throw error("\(key)[\(index)]", "must be an object, not \(element.typeName)") }
            var nested = PayloadReader(members, path: "\(path).\(key)[\(index)]")
            out.append(try Object(from: &nested))
            try nested.finish()
        }
        return out
    }

    /// Any JSON object, kept as it is (for example the fields a correction replaces).
    public mutating func anyObject(_ key: String, _ description: String) throws(EventInputError) -> [String: JSONValue] {
        guard let value = try member(key, .anyObject, required: true, description) else { return [:] }
        guard case .object(let members) = value, !members.isEmpty else { throw error(key, "must be a non-empty object") }
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
