import Foundation
import LedgerTestSupport
import Testing
@testable import LedgerModel

@Suite struct RecordCodecTests {
    static func recorded(_ number: Int) -> RecordedEvent {
        var event = SampleEvents.event(number)
        if number % 2 == 0 {
            event.correlationID = "import-\(number)"
            event.causationID = SampleEvents.uuid(number - 1).lowercasedString
        }
        return RecordedEvent(
            position: UInt64(number), stream: "INC-\(number % 5)", streamVersion: UInt64(number / 5 + 1),
            recordedAt: SampleEvents.epoch.adding(seconds: 10_000), previousHash: Hash256.sha256(Array("\(number)".utf8)),
            event: event)
    }

    @Test(arguments: 1...20)
    func roundTripsEveryField(number: Int) throws {
        let original = Self.recorded(number)
        let bytes = RecordCodec.encode(original)
        let decoded = try bytes.withUnsafeBytes { try RecordCodec.decode($0) }
        #expect(decoded == original)
        #expect(bytes.withUnsafeBytes { RecordCodec.position(of: $0) } == original.position)
    }

    /// A record read in place gives the same position, stream and type as the decoded event, and
    /// the same event when decoded.
    @Test(arguments: 1...10)
    func aViewReadsTheFieldsInPlace(number: Int) throws {
        let original = Self.recorded(number)
        try RecordCodec.encode(original).withUnsafeBytes { bytes in
            let view = try RecordView(bytes)
            #expect(view.position == original.position)
            #expect(view.streamVersion == original.streamVersion)
            #expect(view.stream == original.stream)
            #expect(view.hasType(original.type))
            #expect(!view.hasType(original.type + "x"))
            #expect(!view.hasType(String(original.type.dropLast())))
            #expect(try view.decode() == original)
        }
    }

    /// A view is refused where its own fields cannot be read; the rest is checked by decoding.
    @Test func aViewRefusesRecordsItCannotRead() throws {
        let bytes = RecordCodec.encode(Self.recorded(3))
        for cut in [0, 10, 84, 88, 92] {
            #expect(throws: RecordCodec.DecodingError.self) {
                try Array(bytes.prefix(cut)).withUnsafeBytes { _ = try RecordView($0) }
            }
        }
        var unknownFormat = bytes
        unknownFormat[0] = 9
        #expect(throws: RecordCodec.DecodingError.self) { try unknownFormat.withUnsafeBytes { _ = try RecordView($0) } }
        // The type's length runs past the end.
        var longType = bytes
        let typeLengthOffset = 84 + 2 + Int(UInt16(bigEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 84, as: UInt16.self) }))
        longType[typeLengthOffset] = 0xFF
        #expect(throws: RecordCodec.DecodingError.self) { try longType.withUnsafeBytes { _ = try RecordView($0) } }
        // Cut inside the payload: the view reads, decoding refuses.
        try Array(bytes.dropLast(5)).withUnsafeBytes { cut in
            let view = try RecordView(cut)
            #expect(throws: RecordCodec.DecodingError.self) { try view.decode() }
        }
    }

    @Test func refusesTruncatedAndPaddedRecords() {
        let bytes = RecordCodec.encode(Self.recorded(3))
        for cut in [0, 10, 90, bytes.count - 1] {
            #expect(throws: RecordCodec.DecodingError.self) {
                try Array(bytes.prefix(cut)).withUnsafeBytes { try RecordCodec.decode($0) }
            }
        }
        #expect(throws: RecordCodec.DecodingError.self) {
            try (bytes + [0]).withUnsafeBytes { try RecordCodec.decode($0) }
        }
    }

    @Test func refusesAnUnknownFormatVersion() {
        var bytes = RecordCodec.encode(Self.recorded(3))
        bytes[0] = 3
        #expect {
            try bytes.withUnsafeBytes { _ = try RecordCodec.decode($0) }
        } throws: { error in
            String(describing: error).contains("record format 3")
        }
    }

    /// A flipped high bit in a stored time (occurredAt at byte 65, recordedAt at 73) makes a time no
    /// RFC 3339 text can spell; it is refused as damage, not trapped on when printed.
    @Test(arguments: [65, 73])
    func refusesATimeOutsideTheYearsItCanWrite(offset: Int) {
        var bytes = RecordCodec.encode(Self.recorded(3))
        bytes[offset] ^= 0x80
        #expect {
            try bytes.withUnsafeBytes { _ = try RecordCodec.decode($0) }
        } throws: { error in
            String(describing: error).contains("outside the years 0001 to 9999")
        }
    }
}
