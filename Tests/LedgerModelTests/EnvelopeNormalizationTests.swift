import LedgerModel
import Testing

/// New events are stored with their texts in NFC; a payload already in NFC keeps its exact bytes.
@Suite struct EnvelopeNormalizationTests {
    @Test(arguments: [
        ("INC-atenci\u{6F}\u{301}n", "INC-atenci\u{F3}n"),
        ("INC-atenci\u{F3}n", "INC-atenci\u{F3}n"),
        ("한국", "\u{D55C}\u{AD6D}"),
        ("\u{1112}\u{1161}\u{11AB}", "\u{D55C}"),   // Hangul jamo compose to one syllable
        ("INC-42", "INC-42"),
    ])
    func anIdHasOneSpellingInTheLedger(id: String, stored: String) {
        #expect(Array(EnvelopeRules.normalized(id).utf8) == Array(stored.utf8))
    }

    @Test func aPayloadAlreadyInNFCKeepsItsBytes() {
        let payload = Payload(["text": "café ✓ 事故", "ratio": .number(0.1), "items": ["a", "ñ"]])
        let event = StreamEvent(stream: "INC-1", event: ProposedEvent(type: "incident.note_added", occurredAt: Timestamp(microsecondsSinceEpoch: 0),
                                                                       actor: Actor(kind: .person, id: "jane"), source: "cli", payload: payload))
        #expect(EnvelopeRules.normalized(event).event.payload.canonicalBytes == payload.canonicalBytes)
    }

    @Test func everyTextOfANewEventIsStoredInNFC() throws {
        let decomposed = "atenci\u{6F}\u{301}n"
        let payload = Payload(["customer": .string("cust-\(decomposed)"), "nested": ["list": [.string(decomposed)]], decomposed: true])
        let event = StreamEvent(stream: "INC-\(decomposed)", event: ProposedEvent(
            type: "incident.note_added", occurredAt: Timestamp(microsecondsSinceEpoch: 0),
            actor: Actor(kind: .person, id: decomposed), source: decomposed, correlationID: decomposed, causationID: decomposed, payload: payload))
        let normalized = EnvelopeRules.normalized(event)
        let combiningAcute: [UInt8] = [0xCC, 0x81]
        func hasCombiningAcute(_ bytes: some Collection<UInt8>) -> Bool {
            let bytes = Array(bytes)
            return bytes.indices.dropLast().contains { bytes[$0] == combiningAcute[0] && bytes[$0 + 1] == combiningAcute[1] }
        }
        #expect(hasCombiningAcute(payload.canonicalBytes), "the input really is decomposed")
        #expect(!hasCombiningAcute(normalized.event.payload.canonicalBytes))
        for text in [normalized.stream, normalized.event.actor.id, normalized.event.source, normalized.event.correlationID!, normalized.event.causationID!] {
            #expect(!hasCombiningAcute(text.utf8))
            #expect(text.utf8.count < decomposed.utf8.count + 5)
        }
        #expect(try normalized.event.payload.decoded()["customer"]?.stringValue.map { Array($0.utf8) } == Array("cust-atenci\u{F3}n".utf8))
    }
}
