public import LedgerModel

/// Generates the published JSON Schemas (draft 2020-12) of the event types from the catalog, so
/// that the schemas in `Schemas/` and the Swift types cannot drift apart.
public enum EventSchemas {
    static let base = "https://incidentledger.example/schemas/"

    /// One schema to publish: its file name under `Schemas/` and its JSON.
    public struct Document: Sendable {
        public var path: String
        public var json: JSONValue
    }

    /// Every event schema, current and legacy versions.
    public static var all: [Document] {
        let current = Catalog.allEntries.map { entry in
            document(type: entry.type, version: entry.schemaVersion, summary: entry.summary, fields: entry.fields, examples: entry.examples, isCurrent: true)
        }
        let legacy = Catalog.legacyVersions.map { old in
            document(type: old.type, version: old.schemaVersion, summary: old.summary, fields: old.fields, examples: old.examples, isCurrent: false)
        }
        return (current + legacy).sorted { $0.path < $1.path }
    }

    /// The schema of one type at one version (the current one when `version` is nil).
    public static func document(type: String, version: UInt16? = nil) -> Document? {
        all.first { doc in
            doc.json["properties"]?["type"]?["const"] == .string(type)
                && (version.map { doc.json["properties"]?["schemaVersion"]?["const"] == .integer(Int64($0)) }
                    ?? Catalog.entry(for: type).map { doc.json["properties"]?["schemaVersion"]?["const"] == .integer(Int64($0.schemaVersion)) } ?? false)
        }
    }

    static func document(type: String, version: UInt16, summary: String, fields: [FieldSpec], examples: [[String: JSONValue]], isCurrent: Bool) -> Document {
        let path = "events/\(type).v\(version).schema.json"
        let versionRule: JSONValue = [
            "const": .integer(Int64(version)),
            "description": .string(isCurrent
                ? "Schema version \(version), the current one; may be left out on input."
                : "Schema version \(version), superseded; read and upcast to the current version."),
        ]
        var required: [JSONValue] = ["type", "payload"]
        if !isCurrent { required.append("schemaVersion") }
        let exampleEvents: [JSONValue] = examples.map { payload in
            var event: [String: JSONValue] = [
                "stream": "INC-2026-0042", "type": .string(type), "occurredAt": "2026-03-14T23:30:00Z",
                "actor": ["kind": "person", "id": "oncall@example.com"], "source": "cli", "payload": .object(payload),
            ]
            if !isCurrent || version > 1 { event["schemaVersion"] = .integer(Int64(version)) }
            return .object(event)
        }
        let json: JSONValue = [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": .string(base + path),
            "title": .string("\(type), version \(version)"),
            "description": .string(summary),
            "$ref": "../envelope.schema.json",
            "required": .array(required),
            "properties": [
                "type": ["const": .string(type), "description": "The event type."],
                "schemaVersion": versionRule,
                "payload": objectSchema(fields, description: "The \(type) payload."),
            ],
            "examples": .array(exampleEvents),
        ]
        return Document(path: path, json: json)
    }

    static func objectSchema(_ fields: [FieldSpec], description: String) -> JSONValue {
        var properties = [String: JSONValue]()
        for field in fields {
            var schema = kindSchema(field.kind).objectValue ?? [:]
            schema["description"] = .string(field.description)
            properties[field.name] = .object(schema)
        }
        return [
            "type": "object",
            "description": .string(description),
            "additionalProperties": false,
            "required": .array(fields.filter(\.required).map { .string($0.name) }),
            "properties": .object(properties),
        ]
    }

    static func kindSchema(_ kind: FieldSpec.Kind) -> JSONValue {
        switch kind {
        case .string(let minLength, let maxLength):
            return ["type": "string", "minLength": .integer(Int64(minLength)), "maxLength": .integer(Int64(maxLength)), "pattern": "\\S"]
        case .timestamp:
            return ["type": "string", "format": "date-time", "pattern": "^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$"]
        case .integer(let minimum, let maximum):
            return ["type": "integer", "minimum": .integer(minimum), "maximum": .integer(maximum)]
        case .boolean:
            return ["type": "boolean"]
        case .oneOf(let names):
            return ["type": "string", "enum": .array(names.map(JSONValue.string))]
        case .array(let items, let minItems):
            var itemSchema = kindSchema(items).objectValue ?? [:]
            if case .object = items { itemSchema["description"] = "One item." }
            return ["type": "array", "items": .object(itemSchema), "minItems": .integer(Int64(minItems)), "uniqueItems": true]
        case .object(let fields):
            return objectSchema(fields, description: "")
        case .anyObject:
            return ["type": "object", "minProperties": 1]
        }
    }
}
