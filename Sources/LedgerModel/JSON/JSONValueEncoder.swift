/// Encodes an `Encodable` value as a ``JSONValue``, so a report that is a `Codable` value is written
/// with this package's own JSON text (``JSONValue/prettyText``, ``JSONValue/canonicalText``).
///
/// Unlike Foundation's `JSONEncoder`, an optional that is `nil` is written as `null`, never left out
/// (a figure that was not recorded is `null`, not missing), unless the member is marked
/// ``OmittedWhenNil``. Integers stay integers and a `Double` stays a number (`4.0`, not `4`).
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode(_ value: some Encodable) throws -> JSONValue {
        let encoder = JSONNodeEncoder(node: JSONNode(), codingPath: [])
        try value.encode(to: encoder)
        return encoder.node.value
    }
}

/// A value being built; containers share it by reference, as `Encoder` requires.
final class JSONNode {
    enum Content { case empty, value(JSONValue), object([String: JSONNode]), array([JSONNode]) }

    var content = Content.empty

    init(_ content: Content = .empty) { self.content = content }

    var value: JSONValue {
        switch content {
        case .empty: .object([:])
        case .value(let value): value
        case .object(let members): .object(members.mapValues(\.value))
        case .array(let elements): .array(elements.map(\.value))
        }
    }

    /// The members so far, making this node an object if it is not one yet.
    func member(_ key: String) -> JSONNode {
        var members = [String: JSONNode]()
        if case .object(let existing) = content { members = existing }
        let node = members[key] ?? JSONNode()
        members[key] = node
        content = .object(members)
        return node
    }

    func append() -> JSONNode {
        var elements = [JSONNode]()
        if case .array(let existing) = content { elements = existing }
        let node = JSONNode()
        elements.append(node)
        content = .array(elements)
        return node
    }

    /// Writes `value` into this node: a primitive directly, anything else through its `encode(to:)`.
    func encode(_ value: some Encodable, codingPath: [any CodingKey]) throws {
        switch value {
        case let text as String: content = .value(.string(text))
        case let flag as Bool: content = .value(.bool(flag))
        case let number as Double: content = .value(.number(number))
        case let number as Float: content = .value(.number(Double(number)))
        case let number as any BinaryInteger:
            guard let integer = Int64(exactly: number) else {
                throw EncodingError.invalidValue(number, .init(codingPath: codingPath, debugDescription: "\(number) does not fit a 64-bit integer"))
            }
            content = .value(.integer(integer))
        default: try value.encode(to: JSONNodeEncoder(node: self, codingPath: codingPath))
        }
    }
}

struct JSONNodeEncoder: Encoder {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .empty = node.content { node.content = .object([:]) }
        return KeyedEncodingContainer(Keyed(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .empty = node.content { node.content = .array([]) }
        return Unkeyed(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: JSONNode
        let codingPath: [any CodingKey]

        func encodeNil(forKey key: Key) { node.member(key.stringValue).content = .value(.null) }

        func put(_ value: some Encodable, _ key: Key) throws {
            if let member = value as? any OmittableMember, member.isAbsent { return }
            try node.member(key.stringValue).encode(value, codingPath: codingPath + [key])
        }

        mutating func encode(_ value: some Encodable, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: String, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { try put(value, key) }

        // `nil` is written as null, never left out.
        mutating func encodeIfPresent(_ value: (some Encodable)?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }

        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws {
            if let value { try put(value, key) } else { encodeNil(forKey: key) }
        }


        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            JSONNodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            JSONNodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { JSONNodeEncoder(node: node.member("super"), codingPath: codingPath) }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            JSONNodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer, PrimitiveEncoding {
        let node: JSONNode
        let codingPath: [any CodingKey]

        var count: Int {
            if case .array(let elements) = node.content { return elements.count }
            return 0
        }

        mutating func encodeNil() { node.append().content = .value(.null) }

        func put(_ value: some Encodable) throws { try node.append().encode(value, codingPath: codingPath) }

        mutating func encode(_ value: some Encodable) throws { try put(value) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            JSONNodeEncoder(node: node.append(), codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            JSONNodeEncoder(node: node.append(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { JSONNodeEncoder(node: node.append(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer, PrimitiveEncoding {
        let node: JSONNode
        let codingPath: [any CodingKey]

        mutating func encodeNil() { node.content = .value(.null) }

        func put(_ value: some Encodable) throws { try node.encode(value, codingPath: codingPath) }

        mutating func encode(_ value: some Encodable) throws { try put(value) }
    }
}

/// The primitive `encode` overloads an unkeyed and a single-value container both require, each
/// written through the container's one generic `put`.
protocol PrimitiveEncoding {
    func put(_ value: some Encodable) throws
}

extension PrimitiveEncoding {
    mutating func encode(_ value: Bool) throws { try put(value) }
    mutating func encode(_ value: String) throws { try put(value) }
    mutating func encode(_ value: Double) throws { try put(value) }
    mutating func encode(_ value: Float) throws { try put(value) }
    mutating func encode(_ value: Int) throws { try put(value) }
    mutating func encode(_ value: Int8) throws { try put(value) }
    mutating func encode(_ value: Int16) throws { try put(value) }
    mutating func encode(_ value: Int32) throws { try put(value) }
    mutating func encode(_ value: Int64) throws { try put(value) }
    mutating func encode(_ value: UInt) throws { try put(value) }
    mutating func encode(_ value: UInt8) throws { try put(value) }
    mutating func encode(_ value: UInt16) throws { try put(value) }
    mutating func encode(_ value: UInt32) throws { try put(value) }
    mutating func encode(_ value: UInt64) throws { try put(value) }
}

/// A member left out of the JSON object when it is nil, instead of written as null: for the few
/// members a published format only has when they are set.
@propertyWrapper
public struct OmittedWhenNil<Wrapped: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public var wrappedValue: Wrapped?

    public init(wrappedValue: Wrapped?) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Wrapped.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    /// A member marked ``OmittedWhenNil`` may be missing.
    public func decode<Wrapped>(_ type: OmittedWhenNil<Wrapped>.Type, forKey key: Key) throws -> OmittedWhenNil<Wrapped> {
        OmittedWhenNil(wrappedValue: try decodeIfPresent(Wrapped.self, forKey: key))
    }
}

/// What the encoder asks of an ``OmittedWhenNil`` member, whatever it wraps.
protocol OmittableMember {
    var isAbsent: Bool { get }
}

extension OmittedWhenNil: OmittableMember {
    var isAbsent: Bool { wrappedValue == nil }
}
