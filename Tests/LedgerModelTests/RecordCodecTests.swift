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
        bytes[0] = 2
        #expect {
            try bytes.withUnsafeBytes { _ = try RecordCodec.decode($0) }
        } throws: { error in
            String(describing: error).contains("record format 2")
        }
    }
}
