public import LedgerModel

/// A JSON object of a mapping file, read key by key; every error names the key's path
/// (`status.values.Queued`), and keys the mapping does not know are refused, so a typo is not
/// silently ignored.
public struct MappingObject: Sendable {
    public let path: String
    public let fields: [String: JSONValue]

    public init(_ value: JSONValue, path: String) throws(MappingError) {
        guard let fields = value.objectValue else {
            throw MappingError("\(path.isEmpty ? "the mapping" : path) must be an object, not \(value.typeName)")
        }
        self.path = path
        self.fields = fields
    }

    /// Parses a mapping document: a JSON object whose `kind` is `kind`.
    public static func document(_ bytes: [UInt8], kind: String) throws(MappingError) -> MappingObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw MappingError("not a JSON mapping file: \(error.description)")
        }
        let object = try MappingObject(value, path: "")
        let found = try object.string("kind")
        guard found == kind else {
            throw MappingError("kind is \(MessageText.quoted(found)), but this import needs a \(MessageText.quoted(kind)) mapping")
        }
        return object
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Refuses keys other than `allowed`.
    public func allowOnly(_ allowed: Set<String>) throws(MappingError) {
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw MappingError("\(name(unknown)) is not a key of this mapping (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    public func optionalString(_ key: String) throws(MappingError) -> String? {
        guard let value = fields[key], value != .null else { return nil }
        guard let text = value.stringValue else { throw MappingError("\(name(key)) must be a string, not \(value.typeName)") }
        return text
    }

    public func string(_ key: String) throws(MappingError) -> String {
        guard let text = try optionalString(key) else { throw MappingError("\(name(key)) is missing") }
        guard !text.isEmpty else { throw MappingError("\(name(key)) must not be empty") }
        return text
    }

    public func optionalObject(_ key: String) throws(MappingError) -> MappingObject? {
        guard let value = fields[key], value != .null else { return nil }
        return try MappingObject(value, path: name(key))
    }

    public func object(_ key: String) throws(MappingError) -> MappingObject {
        guard let object = try optionalObject(key) else { throw MappingError("\(name(key)) is missing") }
        return object
    }

    public func optionalBool(_ key: String) throws(MappingError) -> Bool? {
        guard let value = fields[key], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw MappingError("\(name(key)) must be true or false, not \(value.typeName)") }
        return flag
    }

    /// A string, or a list of strings (for a column: several columns joined).
    public func optionalStrings(_ key: String) throws(MappingError) -> [String]? {
        guard let value = fields[key], value != .null else { return nil }
        if let text = value.stringValue { return [text] }
        guard case .array(let items) = value, !items.isEmpty else {
            throw MappingError("\(name(key)) must be a string or a non-empty list of strings, not \(value.typeName)")
        }
        var texts = [String]()
        for item in items {
            guard let text = item.stringValue else { throw MappingError("\(name(key)) must list strings, not \(item.typeName)") }
            texts.append(text)
        }
        return texts
    }

    /// An object whose values are all strings.
    public func optionalStringMap(_ key: String) throws(MappingError) -> [String: String]? {
        guard let object = try optionalObject(key) else { return nil }
        var map = [String: String]()
        for (source, value) in object.fields {
            guard let text = value.stringValue else { throw MappingError("\(object.name(source)) must be a string, not \(value.typeName)") }
            map[source] = text
        }
        return map
    }

    /// A catalog value (`severity`, `level`, …) by its raw name, naming the allowed ones when it is not one.
    public func catalogValue<Value: RawRepresentable & CaseIterable>(_ text: String, key: String, as _: Value.Type) throws(MappingError) -> Value
    where Value.RawValue == String {
        guard let value = Value(rawValue: text) else {
            throw MappingError("\(name(key)) is \(MessageText.quoted(text)), not one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
