import IncidentEvents
public import LedgerModel
public import LedgerStore

/// Every event of one incident in the order it happened, as a postmortem reviewer reads it: by
/// `occurredAt`, ties by position, with late entries, corrections and retractions shown as such, and
/// the public updates that came later than promised marked.
public struct Timeline: Sendable {
    public struct Entry: Sendable, Hashable {
        public var position: UInt64
        public var occurredAt: Timestamp
        public var recordedAt: Timestamp
        /// When the system the fact came from recorded it (an import's source), if it says.
        public var sourceRecordedAt: Timestamp?
        public var type: String
        public var category: EventDescription.Category
        public var actor: String
        public var text: String
        /// Known noticeably after it happened (see ``Timeline/isLate(_:occurredAt:)``).
        public var isLate: Bool
        /// The positions of the corrections applied to this entry.
        public var correctedBy: [UInt64]
        /// The position of the retraction that withdrew this entry, if any.
        public var retractedBy: UInt64?

        /// When it became known: its source's record time, else the ledger's.
        public var knownAt: Timestamp { sourceRecordedAt ?? recordedAt }
    }

    /// A public update that promised the next one by a time, and the next came later (or not yet).
    public struct MissedUpdate: Sendable, Hashable {
        /// The position of the update that made the promise.
        public var promisedIn: UInt64
        public var promisedBy: Timestamp
        /// When the next update (or the resolution) came; nil while still outstanding.
        public var fulfilledAt: Timestamp?
        /// How late, in seconds, as of `fulfilledAt` or, while outstanding, the `asOf` the timeline was built for.
        public var lateBySeconds: Int64
    }

    /// Entries known more than this many seconds after they happened are marked late.
    public static let lateEntrySeconds: Int64 = 300

    /// Whether `event` became known (``RecordedEvent/knownAt``: when its source recorded it, else
    /// when the ledger did) more than ``lateEntrySeconds`` after `occurredAt`. An import is not
    /// late for being imported long after: only what was late at its source is.
    public static func isLate(_ event: RecordedEvent, occurredAt: Timestamp) -> Bool {
        event.knownAt.microsecondsSinceEpoch - occurredAt.microsecondsSinceEpoch > lateEntrySeconds * 1_000_000
    }

    public var incident: String
    public var entries: [Entry]
    public var missedUpdates: [MissedUpdate]

    /// Builds the timeline of `stream`; `categories` filters entries (missed updates are always computed).
    /// A promise nothing has fulfilled is judged against `asOf` (the caller's "now"; nil: the ledger's
    /// last recorded time).
    public static func build(
        _ stream: String, in reader: borrowing LedgerReader, categories: Set<EventDescription.Category>? = nil, asOf: Timestamp? = nil
    ) throws -> Timeline? {
        var recorded = [RecordedEvent]()
        try reader.forEachEvent(inStream: stream) { recorded.append($0); return true }
        guard !recorded.isEmpty else { return nil }
        return build(stream, events: recorded, asOf: try asOf ?? reader.head().recordedAt, categories: categories)
    }

    /// Builds a timeline from one incident's recorded events (in stream order).
    public static func build(_ stream: String, events recorded: [RecordedEvent], asOf: Timestamp, categories: Set<EventDescription.Category>? = nil) -> Timeline {
        let positions = Dictionary(recorded.map { ($0.id.lowercasedString, $0.position) }, uniquingKeysWith: { first, _ in first })
        let effective = Dictionary(EffectiveHistory.apply(recorded).map { ($0.recorded.position, $0) }, uniquingKeysWith: { first, _ in first })
        var retractedBy = [String: UInt64]()
        var correctedBy = [String: [UInt64]]()
        var decoded = [UInt64: IncidentEvent?]()
        for event in recorded {
            let typed = try? Catalog.decode(event)
            decoded[event.position] = typed
            if case .retracted(let retraction)? = typed { retractedBy[retraction.target.lowercased()] = event.position }
            if case .corrected(let correction)? = typed { correctedBy[correction.target.lowercased(), default: []].append(event.position) }
        }
        var entries = [Entry]()
        for event in recorded {
            let id = event.id.lowercasedString
            // A corrected event reads as corrected; a retracted one as it was recorded.
            let typed = effective[event.position]?.event ?? decoded[event.position] ?? nil
            entries.append(Entry(
                position: event.position, occurredAt: event.occurredAt, recordedAt: event.recordedAt,
                sourceRecordedAt: event.sourceRecordedAt, type: event.type,
                category: EventDescription.category(of: typed), actor: event.actor.description,
                text: EventDescription.text(typed, type: event.type, positions: positions),
                isLate: isLate(event, occurredAt: event.occurredAt),
                correctedBy: correctedBy[id] ?? [], retractedBy: retractedBy[id]))
        }
        entries.sort { ($0.occurredAt, $0.position) < ($1.occurredAt, $1.position) }
        let missed = missedUpdates(effective.values.sorted { $0.recorded.position < $1.recorded.position }, asOf: asOf)
        if let categories { entries.removeAll { !categories.contains($0.category) } }
        return Timeline(incident: stream, entries: entries, missedUpdates: missed)
    }

    /// The promises of a next public update that were not kept on time.
    static func missedUpdates(_ events: [ProjectedEvent], asOf: Timestamp) -> [MissedUpdate] {
        var updates = [(position: UInt64, at: Timestamp, promise: Timestamp?)]()
        var resolvedAt: Timestamp?
        // In the order things happened; only updates customers saw can keep or make a promise.
        let happened = events.sorted { ($0.recorded.occurredAt, $0.recorded.position) < ($1.recorded.occurredAt, $1.recorded.position) }
        for event in happened {
            switch event.event {
            case .statusUpdatePublished(let update)? where update.audience != .internal:
                updates.append((event.recorded.position, event.recorded.occurredAt, update.nextUpdateBy))
            case .resolved?: resolvedAt = event.recorded.occurredAt
            case .reopened?: resolvedAt = nil
            default: break
            }
        }
        updates.sort { ($0.at, $0.position) < ($1.at, $1.position) }
        var missed = [MissedUpdate]()
        for (index, update) in updates.enumerated() {
            guard let promise = update.promise else { continue }
            let next = index + 1 < updates.count ? updates[index + 1].at : nil
            if let next {
                if next > promise {
                    missed.append(MissedUpdate(promisedIn: update.position, promisedBy: promise, fulfilledAt: next, lateBySeconds: seconds(next, promise)))
                }
            } else if let resolvedAt {
                if resolvedAt > promise {
                    missed.append(MissedUpdate(promisedIn: update.position, promisedBy: promise, fulfilledAt: resolvedAt, lateBySeconds: seconds(resolvedAt, promise)))
                }
            } else if asOf > promise {
                missed.append(MissedUpdate(promisedIn: update.position, promisedBy: promise, fulfilledAt: nil, lateBySeconds: seconds(asOf, promise)))
            }
        }
        return missed
    }

    static func seconds(_ later: Timestamp, _ earlier: Timestamp) -> Int64 {
        (later.microsecondsSinceEpoch - earlier.microsecondsSinceEpoch) / 1_000_000
    }
}
