import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import IncidentEvents

@Suite struct CatalogTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    @Test func typesAreUniqueAndNamedInOneStyle() throws {
        let types = Catalog.allEntries.map(\.type)
        #expect(Set(types).count == types.count)
        for type in types {
            #expect(throws: Never.self) { try EnvelopeRules.validateType(type) }
            #expect(type.split(separator: ".").count == 2, "\(type) is family.fact")
        }
        #expect(types.count >= 35)
    }

    @Test(arguments: Catalog.allEntries.map(\.type))
    func everyFieldIsDescribedAndEveryExampleRoundTrips(type: String) throws {
        let entry = try #require(Catalog.entry(for: type))
        #expect(!entry.fields.isEmpty)
        func check(_ fields: [FieldSpec]) {
            for field in fields {
                #expect(field.description.count > 5, "\(type).\(field.name) needs a description")
                if case .object(let nested) = field.kind { check(nested) }
                if case .array(.object(let nested), _) = field.kind { check(nested) }
            }
        }
        check(entry.fields)
        #expect(!entry.examples.isEmpty)
        for example in entry.examples {
            let decoded = try Catalog.decode(type: type, schemaVersion: entry.schemaVersion, payload: example)
            #expect(decoded.payload.json == example)
        }
    }

    /// Stored payloads are read in place from their canonical text; text that is not canonical is
    /// refused with the reason, never read loosely.
    @Test func payloadsAreReadFromCanonicalTextOnly() throws {
        let declared = IncidentDeclared(title: "Checkout \"errors\"\n\tin é😀", severity: .sev2, services: ["api", "web"])
        let canonical = Payload(declared.json)
        #expect(try Catalog.decode(type: IncidentDeclared.type, schemaVersion: IncidentDeclared.schemaVersion, payload: canonical) == .declared(declared))

        let spaced = Payload(uncheckedCanonicalBytes: Array(JSONValue.object(declared.json).prettyText.utf8))
        #expect {
            try Catalog.decode(type: IncidentDeclared.type, schemaVersion: IncidentDeclared.schemaVersion, payload: spaced)
        } throws: { error in
            let error = error as? EventInputError
            return error?.field == "payload" && error?.reason.contains("canonical") == true
        }
        let unsorted = Payload(uncheckedCanonicalBytes: Array(#"{"title":"x","severity":"sev1"}"#.utf8))
        #expect(throws: EventInputError.self) { try Catalog.decode(type: IncidentDeclared.type, schemaVersion: IncidentDeclared.schemaVersion, payload: unsorted) }

        var extra = declared.json
        extra["zone"] = "eu"
        #expect {
            try Catalog.decode(type: IncidentDeclared.type, schemaVersion: IncidentDeclared.schemaVersion, payload: extra)
        } throws: { error in
            let error = error as? EventInputError
            return error?.field == "payload.zone" && error?.reason.contains("the fields are customerSegments, detectedAt") == true
        }
        var duplicated = declared.json
        duplicated["services"] = ["api", "api"]
        #expect {
            try Catalog.decode(type: IncidentDeclared.type, schemaVersion: IncidentDeclared.schemaVersion, payload: duplicated)
        } throws: { error in
            (error as? EventInputError)?.reason == "must not list the same item twice"
        }
        var mistyped = declared.json
        mistyped["detectedAt"] = 5
        #expect {
            try Catalog.decode(type: IncidentDeclared.type, schemaVersion: IncidentDeclared.schemaVersion, payload: mistyped)
        } throws: { error in
            (error as? EventInputError)?.description == "payload.detectedAt: must be an RFC 3339 time string, not a number"
        }
    }

    /// The schemas in Schemas/events are exactly what the catalog generates: regenerate them with
    /// `incidents schema export Schemas/events --force` after changing an event type.
    @Test func publishedSchemasMatchTheCatalog() throws {
        for document in EventSchemas.all {
            let path = Self.repository + "/Schemas/" + document.path
            let published = try String(contentsOfFile: path, encoding: .utf8)
            #expect(published == document.json.prettyText, "\(document.path) is stale: run `incidents schema export Schemas/events --force`")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.repository + "/Schemas/events")
        #expect(files.count == EventSchemas.all.count, "Schemas/events holds files the catalog does not generate")
    }

    @Test func theCatalogDocumentIsCurrent() throws {
        let published = try String(contentsOfFile: Self.repository + "/docs/events.md", encoding: .utf8)
        #expect(published == EventCatalogDocument.markdown, "docs/events.md is stale: run `incidents schema docs > docs/events.md`")
    }

    /// An independent check: Python's jsonschema validates what the Swift code encodes against the
    /// published schemas, and refuses what the Swift code refuses.
    @Test func pythonJSONSchemaAgreesWithTheSwiftTypes() throws {
        var lines = [String]()
        func line(_ object: [String: JSONValue], invalid: Bool = false) {
            var object = object
            if invalid { object["expectInvalid"] = true }
            lines.append(JSONValue.object(object).canonicalText)
        }
        for entry in Catalog.allEntries {
            for example in entry.examples {
                let decoded = try Catalog.decode(type: entry.type, schemaVersion: entry.schemaVersion, payload: example)
                let proposed = Catalog.proposed(decoded, occurredAt: SampleEvents.epoch, actor: Actor(kind: .tool, id: "test"), source: "test")
                let envelope: [String: JSONValue] = [
                    "stream": "INC-1", "type": .string(proposed.type), "schemaVersion": .integer(Int64(proposed.schemaVersion)),
                    "id": .string(proposed.id.lowercasedString), "occurredAt": .string(proposed.occurredAt.rfc3339),
                    "actor": ["kind": "tool", "id": "test"], "source": "test", "payload": try proposed.payload.decoded(),
                ]
                line(envelope)
                // What Swift refuses, the schema must refuse too.
                var extra = example
                extra["unknownField"] = "x"
                #expect(throws: EventInputError.self) { try Catalog.decode(type: entry.type, schemaVersion: entry.schemaVersion, payload: extra) }
                var withExtra = envelope
                withExtra["payload"] = .object(extra)
                line(withExtra, invalid: true)
                for field in entry.fields where field.required {
                    var missing = example
                    missing[field.name] = nil
                    #expect(throws: EventInputError.self) { try Catalog.decode(type: entry.type, schemaVersion: entry.schemaVersion, payload: missing) }
                    var withMissing = envelope
                    withMissing["payload"] = .object(missing)
                    line(withMissing, invalid: true)
                }
            }
        }
        let directory = TemporaryDirectory()
        let file = directory.file("events.jsonl")
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: file))
        let outcome = try ChildProcess.run("/usr/bin/env", ["python3", Self.repository + "/Tools/check-schemas.py", file])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("\(lines.count) events checked, 0 disagreements"))
    }
}
