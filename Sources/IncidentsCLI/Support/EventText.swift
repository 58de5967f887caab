import LedgerModel

/// The readable text form of events, as `log` and `show` print them.
enum EventText {
    /// Events recorded more than this long after they happened show their recorded-at time.
    static let lateEntryMicroseconds: Int64 = 60_000_000

    /// Two lines: where and when, then the payload.
    static func lines(for event: RecordedEvent) -> String {
        var header = "#\(event.position)  \(event.occurredAt.rfc3339)  \(event.stream) v\(event.streamVersion)  \(event.type)"
        if event.schemaVersion != 1 { header += " (schema \(event.schemaVersion))" }
        header += "  by \(event.actor) via \(event.source)"
        if let sourceRecordedAt = event.sourceRecordedAt {
            // Imported: when its source recorded it tells late from prompt, not when it was imported.
            if sourceRecordedAt.microsecondsSinceEpoch - event.occurredAt.microsecondsSinceEpoch > lateEntryMicroseconds {
                header += "  [recorded at the source \(sourceRecordedAt.rfc3339)]"
            }
        } else if event.recordedAt.microsecondsSinceEpoch - event.occurredAt.microsecondsSinceEpoch > lateEntryMicroseconds {
            header += "  [recorded \(event.recordedAt.rfc3339)]"
        }
        var text = header + "\n"
        if event.payload.canonicalBytes.count > 2 {
            text += "    " + event.payload.text + "\n"
        }
        return text
    }
}
