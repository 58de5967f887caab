import Foundation
import LedgerTestSupport
import Testing
@testable import LedgerModel

@Suite struct StreamEventJSONTests {
    static let valid: [String: JSONValue] = [
        "stream": "INC-7", "type": "incident.declared", "occurredAt": "2026-03-14T09:26:53Z",
        "actor": ["kind": "person", "id": "jane@example.com"], "source": "cli", "payload": ["title": "Checkout errors"],
    ]

    @Test func readsAValidEvent() throws {
        let event = try StreamEvent(json: .object(Self.valid))
        #expect(event.stream == "INC-7")
        #expect(event.event.type == "incident.declared")
        #expect(event.event.schemaVersion == 1)
        #expect(event.event.actor == Actor(kind: .person, id: "jane@example.com"))
        #expect(event.event.payload.text == #"{"title":"Checkout errors"}"#)
    }

    @Test(arguments: [
        ("stream", nil as JSONValue?, "stream", "is required"),
        ("stream", "", "stream", "must not be empty"),
        ("type", "Incident Declared", "type", "lower-case words"),
        ("type", "incident", "type", "lower-case words"),
        ("occurredAt", "yesterday", "occurredAt", "RFC 3339"),
        ("actor", .object(["kind": "robot", "id": "x"]), "actor.kind", "person, tool, system"),
        ("actor", "jane", "actor", "must be an object"),
        ("id", "not-a-uuid", "id", "is not a UUID"),
        ("schemaVersion", 0, "schemaVersion", "from 1 to 65535"),
        ("payload", .array([1, 2]), "payload", "must be a JSON object"),
        ("source", 5, "source", "must be a string"),
        ("occuredAt", "2026-03-14T09:26:53Z", "occuredAt", "is not an envelope field"),
    ] as [(String, JSONValue?, String, String)])
    func refusesABrokenField(key: String, value: JSONValue?, field: String, reason: String) {
        var fields = Self.valid
        fields[key] = value
        #expect {
            _ = try StreamEvent(json: .object(fields))
        } throws: { error in
            guard let error = error as? EventInputError else { return false }
            return error.field == field && error.reason.contains(reason)
        }
    }

    @Test func refusesAnOversizePayloadAndStatesTheLimit() {
        var fields = Self.valid
        fields["payload"] = ["body": .string(String(repeating: "x", count: EnvelopeRules.maximumPayloadBytes))]
        #expect {
            _ = try StreamEvent(json: .object(fields))
        } throws: { error in
            (error as? EventInputError)?.reason.contains("the limit is \(EnvelopeRules.maximumPayloadBytes) bytes") == true
        }
    }

    @Test func printsEveryEnvelopeFieldAsCanonicalJSON() throws {
        let recorded = RecordedEvent(
            position: 9, stream: "INC-7", streamVersion: 2, recordedAt: SampleEvents.epoch, previousHash: .zero,
            event: SampleEvents.event(1))
        let line = try JSONParser.parse(recorded.jsonLine)
        #expect(line.canonicalBytes == recorded.jsonLine)
        #expect(line["position"] == 9)
        #expect(line["version"] == 2)
        #expect(line["previousHash"] == .string(String(repeating: "0", count: 64)))
        #expect(line["recordedAt"] == .string(SampleEvents.epoch.rfc3339))
    }

    /// An exported line reads back into exactly its event, and any other spelling of the same
    /// facts is refused: auditors get the bytes the ledger printed or an error.
    @Test func aJSONLineReadsBackOnlyInItsExactForm() throws {
        var recorded = RecordedEvent(
            position: 9, stream: "INC-7", streamVersion: 2, recordedAt: SampleEvents.epoch, previousHash: Hash256.sha256([1, 2, 3]),
            event: SampleEvents.event(1))
        recorded.correlationID = "corr \"1\""
        let line = recorded.jsonLine
        #expect(try RecordedEvent(jsonLine: line) == recorded)
        #expect(RecordCodec.encode(try RecordedEvent(jsonLine: line)) == RecordCodec.encode(recorded))
        let text = String(decoding: line, as: UTF8.self)
        let variants = [
            text.replacingOccurrences(of: recorded.id.lowercasedString, with: recorded.id.uuidString.uppercased()),
            text.replacingOccurrences(of: recorded.previousHash.hex, with: recorded.previousHash.hex.uppercased()),
            text.replacingOccurrences(of: #""recordedAt":"\#(SampleEvents.epoch.rfc3339)""#, with: #""recordedAt":"\#(SampleEvents.epoch.rfc3339.dropLast())+00:00""#),
            text.replacingOccurrences(of: #""position":9"#, with: #""position":09"#),
            text.replacingOccurrences(of: #","type""#, with: #", "type""#),
            text.replacingOccurrences(of: #"corr \"1\""#, with: #"corr \u00221\u0022"#),
            text.replacingOccurrences(of: #""position":9,"#, with: ""),
            text.replacingOccurrences(of: #""position":9,"#, with: #""position":9,"positionToo":1,"#),
        ]
        for variant in variants {
            #expect(variant != text)
            #expect(throws: EventInputError.self, "\(variant)") { try RecordedEvent(jsonLine: Array(variant.utf8)) }
        }
    }
}
