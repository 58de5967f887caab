public import Foundation
public import LedgerModel
@_exported public import struct IncidentGenerator.SeededRandom

/// Deterministic events for tests.
public enum SampleEvents {
    /// A fixed instant, so that tests do not depend on the wall clock.
    public static let epoch = try! Timestamp(rfc3339: "2026-03-14T09:00:00Z")

    /// A clock that always says ``epoch`` plus `offsetSeconds`.
    public static func fixedClock(offsetSeconds: Int64 = 3600) -> @Sendable () -> Timestamp {
        { epoch.adding(seconds: offsetSeconds) }
    }

    /// An event with a plausible payload; `number` makes its content and its id distinct.
    public static func event(_ number: Int, type: String = "incident.status_changed", id: UUID? = nil) -> ProposedEvent {
        ProposedEvent(
            id: id ?? uuid(number),
            type: type,
            occurredAt: epoch.adding(seconds: Int64(number)),
            actor: Actor(kind: .person, id: "responder-\(number % 7)@example.com"),
            source: "test",
            payload: Payload([
                "status": .string(["investigating", "identified", "monitoring", "resolved"][number % 4]),
                "note": .string("Update number \(number): checkout latency is elevated in eu-west-1."),
                "sequence": .integer(Int64(number)),
            ]))
    }

    /// A UUID determined by `number`.
    public static func uuid(_ number: Int, salt: UInt8 = 0) -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        var value = UInt64(number)
        for index in 0..<8 {
            bytes[15 - index] = UInt8(truncatingIfNeeded: value)
            value >>= 8
        }
        bytes[0] = 0x5A
        bytes[1] = salt
        bytes[6] = 0x40
        bytes[8] = 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

/// The seeded generator tests use: the same SplitMix64 the history generator draws from, so a
/// failing run can be replayed from its seed.
public typealias SeededGenerator = SeededRandom
