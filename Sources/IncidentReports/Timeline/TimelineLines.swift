public import IncidentProjections
import LedgerModel

/// The timeline as `incidents timeline` prints it: one line of text per entry (with a line under a
/// missed promise), or one canonical JSON object per entry and per missed promise.
public enum TimelineLines {
    /// Text: the time, the position, the kind, the sentence, and what is known about the entry.
    public static func text(_ timeline: Timeline) -> [String] {
        let missedByPosition = Dictionary(timeline.missedUpdates.map { ($0.promisedIn, $0) }, uniquingKeysWith: { first, _ in first })
        var lines = [String]()
        for entry in timeline.entries {
            var line = "\(entry.occurredAt.rfc3339)  #\(entry.position)  [\(entry.category.rawValue)]  \(entry.text)"
            if let posted = Timeline.postedNote(postedAt: entry.postedAt, shownAt: entry.occurredAt) { line += "  (\(posted))" }
            if entry.isLate { line += "  (recorded late\(entry.sourceRecordedAt == nil ? "" : " at the source"), \(entry.knownAt.rfc3339))" }
            if !entry.correctedBy.isEmpty { line += "  (corrected by \(entry.correctedBy.map { "#\($0)" }.joined(separator: ", ")))" }
            if let retracted = entry.retractedBy { line += "  (RETRACTED by #\(retracted))" }
            lines.append(line)
            if let missed = missedByPosition[entry.position] {
                let when = missed.fulfilledAt.map { "the next came \($0.rfc3339)" } ?? "none has come yet"
                lines.append("    ! promised the next update by \(missed.promisedBy.rfc3339); \(when) — \(duration(missed.lateBySeconds)) late")
            }
        }
        return lines
    }

    /// JSON Lines: every entry, then every missed promise, each one canonical JSON object.
    public static func json(_ timeline: Timeline) -> [String] {
        var lines = [String]()
        for entry in timeline.entries {
            var object: [String: JSONValue] = [
                "position": .integer(Int64(entry.position)), "occurredAt": .string(entry.occurredAt.rfc3339),
                "recordedAt": .string(entry.recordedAt.rfc3339), "type": .string(entry.type), "kind": .string(entry.category.rawValue),
                "actor": .string(entry.actor), "text": .string(entry.text), "late": .bool(entry.isLate),
                "correctedBy": .array(entry.correctedBy.map { .integer(Int64($0)) }),
            ]
            if let retracted = entry.retractedBy { object["retractedBy"] = .integer(Int64(retracted)) }
            if let posted = entry.postedAt { object["postedAt"] = .string(posted.rfc3339) }
            if let sourceRecordedAt = entry.sourceRecordedAt { object["sourceRecordedAt"] = .string(sourceRecordedAt.rfc3339) }
            lines.append(JSONValue.object(object).canonicalText)
        }
        for missed in timeline.missedUpdates {
            var object: [String: JSONValue] = [
                "missedUpdate": true, "promisedIn": .integer(Int64(missed.promisedIn)), "promisedBy": .string(missed.promisedBy.rfc3339),
                "lateBySeconds": .integer(missed.lateBySeconds),
            ]
            if let fulfilled = missed.fulfilledAt { object["fulfilledAt"] = .string(fulfilled.rfc3339) }
            lines.append(JSONValue.object(object).canonicalText)
        }
        return lines
    }

    /// Minutes, or hours and minutes: `40 min`, `2 h 5 min`.
    static func duration(_ seconds: Int64) -> String {
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes) min" }
        return "\(minutes / 60) h \(minutes % 60) min"
    }
}
