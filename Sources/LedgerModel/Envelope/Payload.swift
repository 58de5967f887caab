/// The body of an event: a JSON object held as its canonical UTF-8 text.
///
/// The canonical text is what is stored, hashed and exported, so it is kept as bytes and parsed
/// only by the code that needs the fields.
public struct Payload: Sendable, Hashable {
    /// The canonical JSON text of the object.
    public let canonicalBytes: [UInt8]

    /// The payload of an event that carries no data.
    public static let empty = Payload(uncheckedCanonicalBytes: Array("{}".utf8))

    /// Canonicalises an object.
    public init(_ object: [String: JSONValue]) {
        canonicalBytes = JSONValue.object(object).canonicalBytes
    }

    /// Wraps bytes that are already canonical JSON text of an object, as read from the ledger.
    public init(uncheckedCanonicalBytes: [UInt8]) {
        canonicalBytes = uncheckedCanonicalBytes
    }

    /// Parses the payload.
    public func decoded() throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(canonicalBytes)
    }

    /// The canonical JSON text.
    public var text: String { String(decoding: canonicalBytes, as: UTF8.self) }
}
