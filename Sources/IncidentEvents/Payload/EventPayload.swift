public import LedgerModel

/// The typed payload of one event type at its current schema version.
///
/// A payload is read by ``init(from:)`` through a ``PayloadReader``, which both decodes and
/// validates, and which in describe mode records the fields instead: the JSON Schema in `Schemas/`,
/// `docs/events.md` and the command-line flags are all generated from that one initializer.
public protocol EventPayload: Sendable, Hashable {
    /// The event type, for example `incident.declared`.
    static var type: String { get }
    /// The current schema version. Older versions are upcast on read (see ``Catalog``).
    static var schemaVersion: UInt16 { get }
    /// One sentence: what the fact means.
    static var summary: String { get }
    /// Realistic examples; each must decode and validate against the schema (tests check).
    static var examples: [Self] { get }

    init(from reader: inout PayloadReader) throws(EventInputError)
    func write(to writer: inout PayloadWriter)
    /// Rules across fields (for example an end after its start). Not run in describe mode.
    func validate() throws(EventInputError)
    /// The schema version this payload is written at: the current one, or an older one that holds it
    /// unchanged (when the newer version only adds an optional field this payload leaves out), so that
    /// events which do not use the addition stay exactly what earlier builds wrote, and a re-import of
    /// them is still recognised as a retry.
    var writtenSchemaVersion: UInt16 { get }
}

extension EventPayload {
    public func validate() throws(EventInputError) {}

    public var writtenSchemaVersion: UInt16 { Self.schemaVersion }

    /// The payload as a JSON object.
    public var json: [String: JSONValue] {
        var writer = PayloadWriter()
        write(to: &writer)
        return writer.members
    }

    /// Decodes and validates a payload from its canonical text (as stored).
    public static func decode(_ payload: Payload) throws(EventInputError) -> Self {
        try PayloadReader.reading(payload) { (reader) throws(EventInputError) in try decode(from: &reader) }
    }

    /// Decodes and validates a payload object (canonicalised first: decoding always reads canonical text).
    public static func decode(_ object: [String: JSONValue]) throws(EventInputError) -> Self {
        try decode(Payload(object))
    }

    /// Decodes and validates the object a reader is positioned on.
    static func decode(from reader: inout PayloadReader) throws(EventInputError) -> Self {
        let payload = try Self(from: &reader)
        try reader.finish(fields: fields)
        try payload.validate()
        return payload
    }

    /// The fields, as recorded by running the decoder in describe mode.
    public static var fields: [FieldSpec] {
        var reader = PayloadReader(describing: ())
        _ = try? Self(from: &reader)
        return reader.recordedFields
    }
}

/// A nested object inside a payload, read and written like a payload.
public protocol PayloadObject: Sendable, Hashable {
    init(from reader: inout PayloadReader) throws(EventInputError)
    func write(to writer: inout PayloadWriter)
}
