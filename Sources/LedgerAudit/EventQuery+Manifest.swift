import LedgerModel

/// The query an export was asked for, as its manifest records it.
extension EventQuery {
    var json: JSONValue {
        var object: [String: JSONValue] = ["types": .array(types.map(JSONValue.string))]
        object["incident"] = incident.map(JSONValue.string) ?? .null
        object["since"] = since.map { .string($0.rfc3339) } ?? .null
        object["until"] = until.map { .string($0.rfc3339) } ?? .null
        return .object(object)
    }

    /// Reads the manifest's query, whose members have the types of ``ExportManifest/shape``; the
    /// times must be spelled as the ledger writes them.
    init(json: JSONValue?) throws(AuditError) {
        guard case .object(let fields)? = json, case .array(let types)? = fields["types"] else {
            throw AuditError.failed("the manifest's query is not an object with a types list")
        }
        func optionalString(_ key: String) -> String? {
            if case .string(let text)? = fields[key] { text } else { nil }
        }
        func time(_ key: String) throws(AuditError) -> Timestamp? {
            guard let text = optionalString(key) else { return nil }
            guard let time = try? Timestamp(rfc3339: text), time.rfc3339 == text else {
                throw AuditError.failed("the manifest's query.\(key) is not an RFC 3339 time as the ledger writes it")
            }
            return time
        }
        self.init(incident: optionalString("incident"), types: types.compactMap(\.stringValue), since: try time("since"), until: try time("until"))
    }
}
