import Foundation
import IncidentEvents
public import LedgerModel
public import LedgerStore

/// What the ledger knew about an incident at a moment, or how the world stood then.
public enum Replay {
    /// The incident as it was known at `time`: only events known by then, with only the
    /// corrections known by then. This is what a reviewer needs to judge a decision fairly.
    ///
    /// An event is known from ``RecordedEvent/knownAt``: when its source recorded it
    /// (`sourceRecordedAt`, for imported history), else when the ledger recorded it.
    public static func asKnown(_ stream: String, at time: Timestamp, events: [RecordedEvent]) -> IncidentSummary? {
        // Not a prefix of the stream: sources record in their own order, and an import comes later.
        let recorded = events.filter { $0.knownAt <= time }
        guard !recorded.isEmpty else { return nil }
        return fold(stream, EffectiveHistory.apply(recorded))
    }

    /// ``asKnown(_:at:events:)`` over the stream's events in a snapshot.
    public static func asKnown(_ stream: String, at time: Timestamp, in reader: borrowing LedgerReader) throws -> IncidentSummary? {
        asKnown(stream, at: time, events: try reader.events(inStream: stream))
    }


    /// The world at `time` with everything learned later applied: every event that happened by
    /// then, as corrected by all corrections recorded since, in the order things happened.
    public static func asOccurred(_ stream: String, at time: Timestamp, events: [RecordedEvent]) -> IncidentSummary? {
        let history = EffectiveHistory.apply(events)
        guard !history.isEmpty else { return nil }
        let happened = history
            .filter { $0.recorded.occurredAt <= time }
            .sorted { ($0.recorded.occurredAt, $0.recorded.position) < ($1.recorded.occurredAt, $1.recorded.position) }
        return fold(stream, happened)
    }

    /// ``asOccurred(_:at:events:)`` over the stream's events in a snapshot.
    public static func asOccurred(_ stream: String, at time: Timestamp, in reader: borrowing LedgerReader) throws -> IncidentSummary? {
        asOccurred(stream, at: time, events: try reader.events(inStream: stream))
    }

    /// One step of a replay: the event and the fields of the incident it changed.
    public struct Step: Sendable {
        public var event: RecordedEvent
        public var text: String
        /// (field, before, after), in field order; values as compact JSON.
        public var changes: [(field: String, before: String, after: String)]
    }

    /// The incident event by event, in the order recorded, with what each one changed.
    public static func steps(_ stream: String, in reader: borrowing LedgerReader) throws -> [Step] {
        steps(stream, events: try reader.events(inStream: stream))
    }

    /// The incident event by event, given its events in stream order.
    ///
    /// Each step's state is that of the history so far, so corrections reach back as they did then.
    /// Only a correction or retraction (or an event an earlier one named) makes the history so far
    /// differ from the last step's plus this event; only then is it folded again from the start, so a
    /// replay costs one fold of the incident, not one per event.
    public static func steps(_ stream: String, events recorded: [RecordedEvent]) -> [Step] {
        let positions = Dictionary(recorded.map { ($0.id.lowercasedString, $0.position) }, uniquingKeysWith: { first, _ in first })
        var steps = [Step]()
        var previous = fields(of: IncidentSummary(incident: stream))
        var decoded = [ProjectedEvent]()
        decoded.reserveCapacity(recorded.count)
        var named = Set<String>()
        var state = IncidentSummary(incident: stream)
        for event in recorded {
            let projected = ProjectedEvent.decode(event)
            decoded.append(projected)
            let foldAgain: Bool
            switch projected.event {
            case .corrected(let correction)?:
                named.insert(correction.target.lowercased())
                foldAgain = true
            case .retracted(let retraction)?:
                named.insert(retraction.target.lowercased())
                foldAgain = true
            default:
                foldAgain = named.contains(event.id.lowercasedString)
            }
            if foldAgain {
                state = fold(stream, EffectiveHistory.apply(decoded: decoded))
            } else {
                state.apply(projected)
            }
            let current = fields(of: state)
            var changes = [(field: String, before: String, after: String)]()
            for key in current.keys.sorted() where key != "eventCount" && key != "lastPosition" && current[key] != previous[key] {
                changes.append((key, previous[key] ?? "—", current[key] ?? "—"))
            }
            steps.append(Step(event: event, text: EventDescription.text(projected.event, type: event.type, positions: positions), changes: changes))
            previous = current
        }
        return steps
    }

    static func fold(_ stream: String, _ events: [ProjectedEvent]) -> IncidentSummary {
        var summary = IncidentSummary(incident: stream)
        for event in events { summary.apply(event) }
        return summary
    }

    /// The summary's fields as compact JSON texts, for comparing and printing.
    static func fields(of summary: IncidentSummary) -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(summary), case .object(let members)? = try? JSONParser.parse(Array(data)) else { return [:] }
        return members.mapValues(\.canonicalText)
    }
}
