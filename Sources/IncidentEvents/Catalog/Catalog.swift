public import LedgerModel
public import Foundation

/// The catalog of event types: how each is decoded and validated, its schema, its examples, and
/// how payloads of older schema versions are upcast to the current one.
public enum Catalog {
    /// One event type at one schema version.
    public struct Entry: Sendable {
        public let type: String
        public let schemaVersion: UInt16
        public let family: String
        public let summary: String
        public let fields: [FieldSpec]
        /// The examples as payload objects.
        public let examples: [[String: JSONValue]]
        let decode: @Sendable (inout PayloadReader) throws(EventInputError) -> IncidentEvent

        init<Payload: EventPayload>(_: Payload.Type, family: String, wrap: @escaping @Sendable (Payload) -> IncidentEvent) {
            type = Payload.type
            schemaVersion = Payload.schemaVersion
            self.family = family
            summary = Payload.summary
            fields = Payload.fields
            examples = Payload.examples.map(\.json)
            decode = { (reader) throws(EventInputError) in wrap(try Payload.decode(from: &reader)) }
        }
    }

    /// An older schema version still read: its fields (for its schema) and the step up to the next version.
    public struct LegacyVersion: Sendable {
        public let type: String
        public let schemaVersion: UInt16
        public let summary: String
        public let fields: [FieldSpec]
        public let examples: [[String: JSONValue]]
        let validate: @Sendable ([String: JSONValue]) throws(EventInputError) -> Void
        let upcast: @Sendable ([String: JSONValue]) -> [String: JSONValue]

        /// The version `Old` describes (its type, schema version, fields and examples), stepped up by `upcast`.
        init<Old: EventPayload>(_ old: Old.Type, upcast: @escaping @Sendable ([String: JSONValue]) -> [String: JSONValue]) {
            type = Old.type
            schemaVersion = Old.schemaVersion
            summary = Old.summary
            fields = Old.fields
            examples = Old.examples.map(\.json)
            validate = { (object) throws(EventInputError) in _ = try Old.decode(object) }
            self.upcast = upcast
        }
    }

    /// Versions older than current that are still read, each with its upcaster to the next version.
    public static let legacyVersions: [LegacyVersion] = [
        LegacyVersion(IncidentDeclared.Version1.self, upcast: IncidentDeclared.upcastFromVersion1),
        LegacyVersion(StatusUpdatePublished.Version1.self, upcast: StatusUpdatePublished.upcastFromVersion1),
        LegacyVersion(StatusUpdatePublished.Version2.self, upcast: StatusUpdatePublished.upcastFromVersion2),
        LegacyVersion(StatusUpdatePublished.Version3.self, upcast: StatusUpdatePublished.upcastFromVersion3),
        LegacyVersion(IncidentResolved.Version1.self, upcast: IncidentResolved.upcastFromVersion1),
    ]

    private static let byType: [String: Entry] = Dictionary(uniqueKeysWithValues: allEntries.map { ($0.type, $0) })

    /// The current schema version of a type (1 for a type the catalog does not know).
    public static func currentVersion(of type: String) -> UInt16 { byType[type]?.schemaVersion ?? 1 }

    /// The current entry for a type.
    public static func entry(for type: String) -> Entry? { byType[type] }

    /// Decodes and validates a payload written at `schemaVersion`, upcasting older versions.
    ///
    /// The current version is read in place from the payload's canonical text. A payload of an
    /// older version is first checked against that version's own rules, then upcast step by step;
    /// the result is the current type.
    public static func decode(type: String, schemaVersion: UInt16, payload: Payload) throws(EventInputError) -> IncidentEvent {
        guard let entry = byType[type] else {
            throw EventInputError(field: "type", reason: "\(MessageText.quoted(type)) is not an event type; `incidents schema list` shows them all")
        }
        guard schemaVersion <= entry.schemaVersion else {
            throw EventInputError(field: "schemaVersion", reason: "\(type) has schema versions up to \(entry.schemaVersion) in this build, not \(schemaVersion)")
        }
        guard schemaVersion < entry.schemaVersion else {
            return try PayloadReader.reading(payload) { (reader) throws(EventInputError) in try entry.decode(&reader) }
        }
        var object: [String: JSONValue]
        do {
            object = try payload.decoded().objectValue ?? [:]
        } catch {
            throw EventInputError(field: "payload", reason: error.description)
        }
        var version = schemaVersion
        while version < entry.schemaVersion {
            guard let legacy = legacyVersions.first(where: { $0.type == type && $0.schemaVersion == version }) else {
                throw EventInputError(field: "schemaVersion", reason: "\(type) version \(version) is no longer read; the oldest is \(entry.schemaVersion)")
            }
            try legacy.validate(object)
            object = legacy.upcast(object)
            version += 1
        }
        return try PayloadReader.reading(Payload(object)) { (reader) throws(EventInputError) in try entry.decode(&reader) }
    }

    /// Decodes and validates a payload object written at `schemaVersion` (canonicalised first).
    public static func decode(type: String, schemaVersion: UInt16, payload: [String: JSONValue]) throws(EventInputError) -> IncidentEvent {
        try decode(type: type, schemaVersion: schemaVersion, payload: Payload(payload))
    }

    /// Decodes a recorded event's payload into its current typed form.
    public static func decode(_ event: RecordedEvent) throws(EventInputError) -> IncidentEvent {
        try decode(type: event.type, schemaVersion: event.schemaVersion, payload: event.payload)
    }

    /// A proposed event carrying a typed payload, at its current schema version or the older one that
    /// holds it unchanged (``EventPayload/writtenSchemaVersion``).
    public static func proposed(
        _ event: IncidentEvent, id: UUID = .version7(), occurredAt: Timestamp, sourceRecordedAt: Timestamp? = nil, actor: Actor,
        source: String, correlationID: String? = nil, causationID: String? = nil
    ) -> ProposedEvent {
        let payload = event.payload
        return ProposedEvent(
            id: id, type: type(of: payload).type, schemaVersion: payload.writtenSchemaVersion, occurredAt: occurredAt,
            sourceRecordedAt: sourceRecordedAt, actor: actor, source: source, correlationID: correlationID, causationID: causationID, payload: Payload(payload.json))
    }
}
