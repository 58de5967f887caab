public import IncidentProjections
import LedgerModel

/// A replay step by step as `incidents replay` prints it: text, or one canonical JSON object per step.
public enum ReplayLines {
    /// Text: each step's event and times, its sentence, and the fields it changed.
    public static func text(_ steps: [Replay.Step]) -> [String] {
        var lines = [String]()
        for (number, step) in steps.enumerated() {
            let source = step.event.sourceRecordedAt.map { ", known \($0.rfc3339) (recorded by \(step.event.source))" } ?? ""
            lines.append("step \(number + 1)  #\(step.event.position)  happened \(step.event.occurredAt.rfc3339)\(source), recorded \(step.event.recordedAt.rfc3339)")
            lines.append("  \(step.text)")
            for change in step.changes {
                lines.append("    \(change.field): \(change.before) → \(change.after)")
            }
        }
        return lines
    }

    /// JSON Lines: one object per step, with its changes.
    public static func json(_ steps: [Replay.Step]) -> [String] {
        steps.enumerated().map { number, step in
            var object: [String: JSONValue] = [
                "step": .integer(Int64(number + 1)), "position": .integer(Int64(step.event.position)),
                "occurredAt": .string(step.event.occurredAt.rfc3339), "recordedAt": .string(step.event.recordedAt.rfc3339),
                "text": .string(step.text),
                "changes": .array(step.changes.map { ["field": .string($0.field), "before": .string($0.before), "after": .string($0.after)] }),
            ]
            if let sourceRecordedAt = step.event.sourceRecordedAt { object["sourceRecordedAt"] = .string(sourceRecordedAt.rfc3339) }
            return JSONValue.object(object).canonicalText
        }
    }
}
