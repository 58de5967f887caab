import LedgerModel

/// The CSV form of exported events (`export --csv`): for spreadsheets, derived from the same events
/// as `events.jsonl`, so a verifier rebuilds it from the verified lines and compares its hash.
///
/// One header row, then one row per event in position order; every field is quoted, a `"` inside
/// doubled (RFC 4180); rows end with `\n`; absent optional fields are empty; the payload is its
/// canonical JSON text.
enum EventCSV {
    static let header = Array(
        "position,version,stream,id,type,schemaVersion,occurredAt,recordedAt,actorKind,actorId,source,correlationId,causationId,payload,previousHash\n"
            .utf8)

    static func row(_ event: RecordedEvent) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(256 + event.payload.canonicalBytes.count)
        let fields: [[UInt8]] = [
            Array(String(event.position).utf8), Array(String(event.streamVersion).utf8), Array(event.stream.utf8),
            Array(event.id.lowercasedString.utf8), Array(event.type.utf8), Array(String(event.schemaVersion).utf8),
            Array(event.occurredAt.rfc3339.utf8), Array(event.recordedAt.rfc3339.utf8), Array(event.actor.kind.name.utf8),
            Array(event.actor.id.utf8), Array(event.source.utf8), Array((event.correlationID ?? "").utf8),
            Array((event.causationID ?? "").utf8), event.payload.canonicalBytes, Array(event.previousHash.hex.utf8),
        ]
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            for byte in field {
                if byte == UInt8(ascii: "\"") { out.append(byte) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(0x0A)
        return out
    }
}
