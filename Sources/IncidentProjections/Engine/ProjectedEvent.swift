public import IncidentEvents
public import LedgerModel
public import LedgerStore

/// An event as projections see it: its envelope and its typed payload, with every correction
/// recorded up to that point already applied.
public struct ProjectedEvent: Sendable {
    public let recorded: RecordedEvent
    /// The typed payload; nil for a type this build's catalog does not know.
    public let event: IncidentEvent?
    /// The corrections applied to this event, in the order they were recorded.
    public let corrections: [RecordedEvent]

    public init(recorded: RecordedEvent, event: IncidentEvent?, corrections: [RecordedEvent] = []) {
        self.recorded = recorded
        self.event = event
        self.corrections = corrections
    }

    /// Decodes one recorded event through the catalog (nil payload for unknown or invalid types).
    public static func decode(_ recorded: RecordedEvent) -> ProjectedEvent {
        ProjectedEvent(recorded: recorded, event: try? Catalog.decode(recorded))
    }
}

/// The events of one incident with corrections applied and retracted events removed: the history a
/// projection folds. Corrections and retractions themselves are kept, in place, so that a fold can
/// count them; their targets already carry their effect.
public enum EffectiveHistory {
    /// The incident's events up to `version` (all when nil), in stream order, corrected.
    public static func events(of stream: String, upToVersion version: UInt64? = nil, in reader: borrowing LedgerReader) throws -> [ProjectedEvent] {
        var recorded = [RecordedEvent]()
        try reader.forEachEvent(inStream: stream) { event in
            if let version, event.streamVersion > version { return false }
            recorded.append(event)
            return true
        }
        return apply(recorded)
    }

    /// Applies the corrections and retractions among `events` (one incident's, in stream order).
    public static func apply(_ events: [RecordedEvent]) -> [ProjectedEvent] {
        apply(decoded: events.map(ProjectedEvent.decode))
    }

    /// ``apply(_:)`` for events already decoded (as they were recorded, no correction applied).
    public static func apply(decoded: [ProjectedEvent]) -> [ProjectedEvent] {
        var corrections = [String: [(event: RecordedEvent, correction: EventCorrected)]]()
        var retracted = Set<String>()
        for projected in decoded {
            let event = projected.recorded
            switch projected.event {
            case .corrected(let correction)?:
                corrections[correction.target.lowercased(), default: []].append((event, correction))
            case .retracted(let retraction)?:
                retracted.insert(retraction.target.lowercased())
            default:
                break
            }
        }
        if corrections.isEmpty, retracted.isEmpty { return decoded }
        return decoded.compactMap { projected in
            let id = projected.recorded.id.lowercasedString
            if retracted.contains(id) { return nil }
            guard let applying = corrections[id] else { return projected }
            // Each correction in the order recorded, so a later one wins where two replace a field.
            let payload = applying.reduce(projected.recorded.payload) { payload, item in item.correction.applied(to: payload) }
            let corrected = try? Catalog.decode(type: projected.recorded.type, schemaVersion: projected.recorded.schemaVersion, payload: payload)
            return ProjectedEvent(recorded: projected.recorded, event: corrected ?? projected.event, corrections: applying.map(\.event))
        }
    }
}
