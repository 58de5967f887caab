public import IncidentEvents
import LedgerModel

/// How incidents kept as JSON (a provider's status history, an alerting tool's export) map to catalog
/// events: where the incidents are, the path of each field, the updates, how times are written, what
/// the source's values mean and which values stand for "not known". docs/importing.md describes every
/// key; `docs/examples/*-mapping.json` are examples.
public struct JSONMapping: Sendable {
    /// The `kind` a mapping file for this importer declares.
    public static let kind = "json-incidents"

    /// One value of a record: the first of its paths that holds a value (not null, not a missing-value marker).
    public struct Field: Sendable {
        /// The mapping key, for messages (`fields.severity`).
        public let key: String
        public let paths: [JSONPath]

        static func optional(_ object: MappingObject, _ key: String) throws(MappingError) -> Field? {
            guard let texts = try object.optionalStrings(key) else { return nil }
            var paths = [JSONPath]()
            for text in texts { paths.append(try JSONPath(text, key: object.name(key))) }
            return Field(key: object.name(key), paths: paths)
        }

        static func required(_ object: MappingObject, _ key: String) throws(MappingError) -> Field {
            guard let field = try optional(object, key) else { throw MappingError("\(object.name(key)) is missing") }
            return field
        }
    }

    /// Several values of a record: the strings at a path (a string or an array of them), or for each
    /// element of the array at `path`, the strings at `item` within it.
    public struct ListField: Sendable {
        public let key: String
        public let path: JSONPath
        public let item: JSONPath?

        static func optional(_ object: MappingObject, _ key: String) throws(MappingError) -> ListField? {
            guard let value = object.fields[key], value != .null else { return nil }
            if value.objectValue == nil {
                let texts = try object.optionalStrings(key) ?? []
                guard texts.count == 1 else { throw MappingError("\(object.name(key)) must be a path or {\"path\": …, \"item\": …}") }
                return ListField(key: object.name(key), path: try JSONPath(texts[0], key: object.name(key)), item: nil)
            }
            let spec = try object.object(key)
            try spec.allowOnly(["path", "item"])
            return ListField(
                key: spec.path, path: try JSONPath(try spec.string("path"), key: spec.name("path")),
                item: try spec.optionalString("item").map { (text) throws(MappingError) in try JSONPath(text, key: spec.name("item")) })
        }
    }

    /// How the entries of an incident's history read.
    public struct Updates: Sendable {
        /// What an entry is recorded as.
        public enum RecordAs: String, Sendable, CaseIterable {
            /// `status_update.published` (audience public, channel status_page), and a working status change.
            case publicUpdate = "public_update"
            /// `incident.note_added`: a review's own timeline, not something customers were shown.
            case note
        }

        /// The array within an incident.
        public let path: JSONPath
        public let id: Field?
        public let time: Field
        public let status: Field?
        public let text: Field
        public let recordAs: RecordAs
    }

    public var naming: SourceNaming
    /// The array of incidents within a document (or within each line of JSON Lines); `$` for the whole.
    public var incidents: JSONPath
    public var id: Field
    public var title: Field
    public var severity: Field
    public var kind: Field?
    public var created: Field
    public var start: Field?
    public var end: Field?
    /// A time read only when the status says the incident is over and `end` gives none (PagerDuty's
    /// `last_status_change_at`), since on an open incident it means something else.
    public var endIfResolved: Field?
    public var status: Field?
    public var description: Field?
    public var plannedStart: Field?
    public var plannedEnd: Field?
    public var services: ListField?
    public var regions: ListField?
    public var updates: Updates?
    public var time: TimestampFormat
    /// Source value → severity; a value already named sev1…sev4 needs no entry.
    public var severities: [String: Severity]
    /// Source status (of an incident or an update) → public status; catalog names need no entry.
    public var statuses: [String: PublicStatus]
    /// Source value → kind; unplanned and scheduled_maintenance need no entry.
    public var kinds: [String: IncidentKind]
    /// Texts that stand for "not known" (compared after trimming spaces); null and absent keys always do.
    public var missing: Set<String>
    /// The source recorded each fact as it happened (a status page, an alerting tool): its creation and
    /// update times are then when each fact became known (`sourceRecordedAt`), so an import is late only
    /// where the source was. False (the default) for an account written afterwards, such as a
    /// post-incident review: its events are known when they are imported.
    public var recordedAsItHappened: Bool

    /// Reads a mapping file; every error names the key.
    public init(json bytes: [UInt8]) throws(MappingError) {
        let root = try MappingObject.document(bytes, kind: Self.kind)
        try root.allowOnly([
            "kind", "description", "source", "streamPrefix", "incidents", "fields", "updates", "time", "severities", "statuses", "kinds",
            "missing", "recordedAsItHappened",
        ])
        naming = try SourceNaming(root)
        recordedAsItHappened = try root.optionalBool("recordedAsItHappened") ?? false
        incidents = try JSONPath(try root.optionalString("incidents") ?? "$", key: "incidents")
        let fields = try root.object("fields")
        try fields.allowOnly([
            "id", "title", "severity", "kind", "created", "start", "end", "endIfResolved", "status", "description", "plannedStart", "plannedEnd",
            "services", "regions",
        ])
        id = try .required(fields, "id")
        title = try .required(fields, "title")
        severity = try .required(fields, "severity")
        kind = try .optional(fields, "kind")
        created = try .required(fields, "created")
        start = try .optional(fields, "start")
        end = try .optional(fields, "end")
        endIfResolved = try .optional(fields, "endIfResolved")
        status = try .optional(fields, "status")
        if endIfResolved != nil, status == nil {
            throw MappingError("fields.endIfResolved needs fields.status, which says when an incident is resolved")
        }
        description = try .optional(fields, "description")
        plannedStart = try .optional(fields, "plannedStart")
        plannedEnd = try .optional(fields, "plannedEnd")
        services = try .optional(fields, "services")
        regions = try .optional(fields, "regions")

        if let object = try root.optionalObject("updates") {
            try object.allowOnly(["path", "id", "time", "status", "text", "recordAs"])
            let recordAs = try object.catalogValue(try object.optionalString("recordAs") ?? "public_update", key: "recordAs", as: Updates.RecordAs.self)
            let status = try Field.optional(object, "status")
            if recordAs == .publicUpdate, status == nil {
                throw MappingError("\(object.name("status")) is missing: a public update needs its status (or set recordAs to note)")
            }
            updates = Updates(
                path: try JSONPath(try object.string("path"), key: object.name("path")), id: try .optional(object, "id"),
                time: try .required(object, "time"), status: status, text: try .required(object, "text"), recordAs: recordAs)
        }
        time = try root.optionalObject("time").map { (object) throws(MappingError) in try TimestampFormat(mapping: object) } ?? .rfc3339

        var severities = [String: Severity]()
        for (value, name) in try root.optionalStringMap("severities") ?? [:] {
            severities[value] = try root.catalogValue(name, key: "severities.\(value)", as: Severity.self)
        }
        self.severities = severities
        var statuses = [String: PublicStatus]()
        for (value, name) in try root.optionalStringMap("statuses") ?? [:] {
            statuses[value] = try root.catalogValue(name, key: "statuses.\(value)", as: PublicStatus.self)
        }
        self.statuses = statuses
        var kinds = [String: IncidentKind]()
        for (value, name) in try root.optionalStringMap("kinds") ?? [:] {
            kinds[value] = try root.catalogValue(name, key: "kinds.\(value)", as: IncidentKind.self)
        }
        self.kinds = kinds
        if let markers = root.fields["missing"], markers != .null {
            guard case .array(let items) = markers else { throw MappingError("missing must be a list of strings, not \(markers.typeName)") }
            var texts = Set<String>()
            for item in items {
                guard let text = item.stringValue else { throw MappingError("missing must list strings, not \(item.typeName)") }
                texts.insert(text.trimmingSpaces)
            }
            missing = texts
        } else {
            missing = [""]
        }
    }
}

extension String {
    /// Without leading and trailing white space.
    var trimmingSpaces: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }.reversed()))
    }
}
