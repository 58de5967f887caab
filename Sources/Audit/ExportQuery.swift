public import LedgerModel

/// What an export was asked for: all events, or those of one incident, some types, or a time range
/// (by when they happened, as `incidents log` filters).
public struct ExportQuery: Sendable, Equatable {
    public var incident: String?
    /// Event types; empty means every type.
    public var types: [String]
    /// Only events that happened at or after this time.
    public var since: Timestamp?
    /// Only events that happened before this time.
    public var until: Timestamp?

    public init(incident: String? = nil, types: [String] = [], since: Timestamp? = nil, until: Timestamp? = nil) {
        self.incident = incident
        self.types = Array(Set(types)).sorted()
        self.since = since
        self.until = until
    }

    /// True when the export leaves events out, and so carries an inclusion proof for each event.
    public var isFiltered: Bool { incident != nil || !types.isEmpty || since != nil || until != nil }

    public func matches(_ event: RecordedEvent) -> Bool {
        if let incident, event.stream != incident { return false }
        if !types.isEmpty, !types.contains(event.type) { return false }
        if let since, event.occurredAt < since { return false }
        if let until, event.occurredAt >= until { return false }
        return true
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["types": .array(types.map(JSONValue.string))]
        object["incident"] = incident.map(JSONValue.string) ?? .null
        object["since"] = since.map { .string($0.rfc3339) } ?? .null
        object["until"] = until.map { .string($0.rfc3339) } ?? .null
        return .object(object)
    }

    init(json: JSONValue?) throws(AuditError) {
        guard case .object(let fields)? = json, case .array(let types)? = fields["types"] else {
            throw AuditError.failed("the manifest's query is not an object with a types list")
        }
        func optionalString(_ key: String) throws(AuditError) -> String? {
            switch fields[key] {
            case .string(let text)?: return text
            case .null?, nil: return nil
            default: throw AuditError.failed("the manifest's query.\(key) must be a string or null")
            }
        }
        func time(_ key: String) throws(AuditError) -> Timestamp? {
            guard let text = try optionalString(key) else { return nil }
            guard let time = try? Timestamp(rfc3339: text) else { throw AuditError.failed("the manifest's query.\(key) is not an RFC 3339 time") }
            return time
        }
        self.init(
            incident: try optionalString("incident"), types: types.compactMap(\.stringValue), since: try time("since"), until: try time("until"))
    }
}
