import Foundation
import LedgerTestSupport
import Testing
@testable import LedgerModel

/// `sourceRecordedAt`: record format 2, its JSON forms, and the rule that a source cannot have
/// recorded a fact after the ledger did.
@Suite struct SourceRecordedAtTests {
    static let sourceTime = try! Timestamp(rfc3339: "2026-03-14T08:59:30.25Z")

    static func recorded(_ number: Int, sourceRecordedAt: Timestamp?) -> RecordedEvent {
        var event = RecordCodecTests.recorded(number)
        event.sourceRecordedAt = sourceRecordedAt
        return event
    }

    /// The test vectors: the SHA-256 of one event's record in each format, computed independently
    /// (Tools/verify-chain.py's `record_bytes` over the event's `log --json` line). Format 1 is the
    /// hash every earlier build gave the event, so it must never change.
    @Test func recordsHashToTheirVectors() throws {
        let plain = RecordCodec.encode(Self.recorded(4, sourceRecordedAt: nil))
        let imported = RecordCodec.encode(Self.recorded(4, sourceRecordedAt: Self.sourceTime))
        #expect(plain[0] == 1)
        #expect(imported[0] == 2)
        #expect(Hash256.sha256(plain).hex == Self.formatOneVector)
        #expect(Hash256.sha256(imported).hex == Self.formatTwoVector)
        // Format 2 is format 1 with its version byte and the time at the end.
        #expect(Array(imported.dropFirst().dropLast(8)) == Array(plain.dropFirst()))
        #expect(Array(imported.suffix(8)) == withUnsafeBytes(of: Self.sourceTime.microsecondsSinceEpoch.bigEndian) { Array($0) })
    }

    static let formatOneVector = "fdb43b8d28432f6622274a3609c343e85b105bc501876a27e1d13e8fae4931a6"
    static let formatTwoVector = "b9d6753a3422c8f27d5e58e1a05e401506336759c79b0647b0962b20a06a0810"

    @Test(arguments: 1...12)
    func roundTripsWithAndWithoutTheField(number: Int) throws {
        for time in [nil, Self.sourceTime, try Timestamp(rfc3339: "0001-01-01T00:00:00Z")] as [Timestamp?] {
            let original = Self.recorded(number, sourceRecordedAt: time)
            let bytes = RecordCodec.encode(original)
            #expect(try bytes.withUnsafeBytes { try RecordCodec.decode($0) } == original)
            try bytes.withUnsafeBytes { raw in
                let view = try RecordView(raw)
                #expect(view.stream == original.stream)
                #expect(try view.decode() == original)
            }
            // The writer's template and assignment give the same bytes.
            var template = RecordCodec.template(original.proposed, stream: original.stream)
            RecordCodec.assign(
                &template, position: original.position, streamVersion: original.streamVersion, previousHash: original.previousHash,
                recordedAt: original.recordedAt)
            #expect(template == bytes)
        }
    }

    @Test func refusesAFormatTwoRecordCutOrPaddedOrWithAnImpossibleTime() {
        let bytes = RecordCodec.encode(Self.recorded(3, sourceRecordedAt: Self.sourceTime))
        for cut in [bytes.count - 8, bytes.count - 1] {
            #expect(throws: RecordCodec.DecodingError.self) { try Array(bytes.prefix(cut)).withUnsafeBytes { _ = try RecordCodec.decode($0) } }
        }
        #expect(throws: RecordCodec.DecodingError.self) { try (bytes + [0]).withUnsafeBytes { _ = try RecordCodec.decode($0) } }
        var flipped = bytes
        flipped[bytes.count - 8] ^= 0x80
        #expect {
            try flipped.withUnsafeBytes { _ = try RecordCodec.decode($0) }
        } throws: { error in
            String(describing: error).contains("outside the years 0001 to 9999")
        }
        // A format 1 record marked format 2 lacks the time.
        var marked = RecordCodec.encode(Self.recorded(3, sourceRecordedAt: nil))
        marked[0] = 2
        #expect(throws: RecordCodec.DecodingError.self) { try marked.withUnsafeBytes { _ = try RecordCodec.decode($0) } }
    }

    @Test func theJSONLineCarriesTheFieldOnlyWhenSetAndReadsBackExactly() throws {
        let plain = Self.recorded(5, sourceRecordedAt: nil)
        #expect(!String(decoding: plain.jsonLine, as: UTF8.self).contains("sourceRecordedAt"))
        let imported = Self.recorded(5, sourceRecordedAt: Self.sourceTime)
        let text = String(decoding: imported.jsonLine, as: UTF8.self)
        #expect(text.contains(#","source":"test","sourceRecordedAt":"2026-03-14T08:59:30.250Z","stream":"#))
        #expect(try JSONParser.parse(imported.jsonLine).canonicalBytes == imported.jsonLine)
        #expect(try RecordedEvent(jsonLine: imported.jsonLine) == imported)
        #expect(RecordCodec.encode(try RecordedEvent(jsonLine: imported.jsonLine)) == RecordCodec.encode(imported))
        for variant in [
            text.replacingOccurrences(of: "08:59:30.250Z", with: "09:59:30.250+01:00"),
            text.replacingOccurrences(of: "08:59:30.250Z", with: "08:59:30.25Z"),
            text.replacingOccurrences(of: #""sourceRecordedAt":"2026-03-14T08:59:30.250Z""#, with: #""sourceRecordedAt":null"#),
        ] {
            #expect(variant != text)
            #expect(throws: EventInputError.self, "\(variant)") { try RecordedEvent(jsonLine: Array(variant.utf8)) }
        }
    }

    @Test func appendInputAcceptsTheFieldAndWritesItBack() throws {
        let line = #"{"stream":"INC-1","type":"incident.note_added","occurredAt":"2026-03-14T09:00:00Z","sourceRecordedAt":"2026-03-14T09:02:00+01:00","actor":{"kind":"tool","id":"statuspage-import"},"source":"statuspage","payload":{"text":"x"}}"#
        let event = try StreamEvent(json: try JSONParser.parse(line))
        #expect(event.event.sourceRecordedAt == (try Timestamp(rfc3339: "2026-03-14T08:02:00Z")))
        #expect(event.jsonLine.contains(#""sourceRecordedAt":"2026-03-14T08:02:00Z""#))
        #expect(try StreamEvent(json: try JSONParser.parse(event.jsonLine)) == event)
        #expect {
            _ = try StreamEvent(json: try JSONParser.parse(line.replacingOccurrences(of: "2026-03-14T09:02:00+01:00", with: "yesterday")))
        } throws: { error in
            (error as? EventInputError)?.field == "sourceRecordedAt"
        }
    }

    @Test func aSourceCannotHaveRecordedAFactAfterTheLedger() throws {
        var event = SampleEvents.event(1)
        event.sourceRecordedAt = SampleEvents.epoch.adding(seconds: 1)
        try EnvelopeRules.validateSourceRecordedAt(event, recordedAt: SampleEvents.epoch.adding(seconds: 1))
        // Before the event happened is allowed: a source may back-date its entry.
        event.sourceRecordedAt = event.occurredAt.adding(seconds: -86_400)
        try EnvelopeRules.validateSourceRecordedAt(event, recordedAt: SampleEvents.epoch)
        event.sourceRecordedAt = SampleEvents.epoch.adding(seconds: 61)
        #expect {
            try EnvelopeRules.validateSourceRecordedAt(event, recordedAt: SampleEvents.epoch.adding(seconds: 60))
        } throws: { error in
            let error = error as! EventInputError
            return error.field == "sourceRecordedAt" && error.reason.contains("is in the future")
                && error.reason.contains("2026-03-14T09:01:01Z") && !error.description.contains("\n")
        }
    }
}
