public import LedgerModel

/// Builds a payload object field by field; absent optionals and empty lists are left out, so a
/// payload written and read back compares equal.
public struct PayloadWriter {
    public private(set) var members: [String: JSONValue] = [:]

    public init() {}

    public mutating func set(_ key: String, _ value: String?) {
        if let value { members[key] = .string(value) }
    }

    public mutating func set<Value: PayloadEnum>(_ key: String, _ value: Value?) {
        if let value { members[key] = .string(value.rawValue) }
    }

    public mutating func set(_ key: String, _ value: Timestamp?) {
        if let value { members[key] = .string(value.rfc3339) }
    }

    public mutating func set(_ key: String, _ value: Int64?) {
        if let value { members[key] = .integer(value) }
    }

    public mutating func set(_ key: String, _ value: Bool?) {
        if let value { members[key] = .bool(value) }
    }

    public mutating func set(_ key: String, _ values: [String]) {
        if !values.isEmpty { members[key] = .array(values.map(JSONValue.string)) }
    }

    public mutating func set<Value: PayloadEnum>(_ key: String, _ values: [Value]) {
        if !values.isEmpty { members[key] = .array(values.map { .string($0.rawValue) }) }
    }

    public mutating func set<Object: PayloadObject>(_ key: String, _ object: Object?) {
        guard let object else { return }
        var nested = PayloadWriter()
        object.write(to: &nested)
        members[key] = .object(nested.members)
    }

    public mutating func set<Object: PayloadObject>(_ key: String, _ objects: [Object]) {
        guard !objects.isEmpty else { return }
        members[key] = .array(objects.map { object in
            var nested = PayloadWriter()
            object.write(to: &nested)
            return .object(nested.members)
        })
    }

    public mutating func set(_ key: String, _ object: [String: JSONValue]) {
        members[key] = .object(object)
    }
}
