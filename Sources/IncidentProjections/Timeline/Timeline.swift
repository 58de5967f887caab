import IncidentEvents
public import LedgerModel
public import LedgerStore

/// Every event of one incident in the order it happened, as a postmortem reviewer reads it: by
/// `occurredAt`, ties by position, with late entries, corrections and retractions shown as such, and
/// the public updates that came later than promised marked.
public struct Timeline: Sendable {
    public struct Entry: Sendable, Hashable {
        public var position: UInt64
        /// The event's id (a lowercase UUID).
        public var id: String
        public var occurredAt: Timestamp
        public var recordedAt: Timestamp
        /// When the system the fact came from recorded it (an import's source), if it says.
        public var sourceRecordedAt: Timestamp?
        public var type: String
        public var category: EventDescription.Category
        public var actor: String
        /// What happened, in words, with the event's own values kept apart (``MixedText``).
        public var sentence: MixedText
        /// What happened, as plain text.
        public var text: String { sentence.plain }
        /// Known noticeably after it happened (see ``Timeline/isLate(_:occurredAt:)``).
        public var isLate: Bool
        /// A status update posted at another time than the one it shows (`postedAt`, as corrected):
        /// the entry stands at the time shown, and this is when customers could first see it.
        public var postedAt: Timestamp?
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
        let recorded = try reader.events(inStream: stream)
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
            var postedAt: Timestamp?
            if case .statusUpdatePublished(let update)? = typed, let posted = update.postedAt, posted != event.occurredAt { postedAt = posted }
            entries.append(Entry(
                position: event.position, id: id, occurredAt: event.occurredAt, recordedAt: event.recordedAt,
                sourceRecordedAt: event.sourceRecordedAt, type: event.type,
                category: EventDescription.category(of: typed), actor: event.actor.description,
                sentence: EventDescription.sentence(typed, type: event.type, positions: positions),
                isLate: isLate(event, occurredAt: event.occurredAt),
                postedAt: postedAt, correctedBy: correctedBy[id] ?? [], retractedBy: retractedBy[id]))
        }
        entries.sort { ($0.occurredAt, $0.position) < ($1.occurredAt, $1.position) }
        let missed = missedUpdates(effective.values.sorted { $0.recorded.position < $1.recorded.position }, asOf: asOf)
        if let categories { entries.removeAll { !categories.contains($0.category) } }
        return Timeline(incident: stream, entries: entries, missedUpdates: missed)
    }

    /// How a promise of a next public update went.
    public enum PromiseOutcome: String, Sendable, Hashable {
        /// The next public update (or the resolution) came by the time promised.
        case kept
        /// It came later, or has not come although the time is past.
        case missed
        /// Not yet due: nothing has fulfilled it, and the time promised is not before the report's `asOf`.
        case pending
    }

    /// One promise of a next update (`nextUpdateBy` of a public update) and how it went.
    public struct Promise: Sendable, Hashable {
        /// The position of the update that made the promise.
        public var promisedIn: UInt64
        public var promisedBy: Timestamp
        public var outcome: PromiseOutcome
        /// When the next public update (or the resolution) came; nil while nothing has fulfilled it.
        public var fulfilledAt: Timestamp?
        /// Missed promises: how late, in seconds, as of `fulfilledAt` or, while outstanding, the `asOf` given.
        public var lateBySeconds: Int64
    }

    /// Every promise of a next public update, in the order the updates happened, judged as of `asOf`:
    /// the one definition the timeline, the postmortem and the metrics count promises by.
    ///
    /// Only updates customers saw (audience not internal) make or keep a promise, in the order things
    /// happened. A promise is fulfilled by the next public update, or, for the last one, by the standing
    /// resolution (the latest, unless a reopening happened after it); kept when that came by the time
    /// promised. A promise nothing has fulfilled is missed when `asOf` is past it, pending otherwise.
    public static func promises(_ events: [ProjectedEvent], asOf: Timestamp) -> [Promise] {
        var updates = [(position: UInt64, at: Timestamp, promise: Timestamp?)]()
        var resolvedAt: Timestamp?
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
        var promises = [Promise]()
        for (index, update) in updates.enumerated() {
            guard let promise = update.promise else { continue }
            let fulfilledAt = index + 1 < updates.count ? updates[index + 1].at : resolvedAt
            if let fulfilledAt {
                let late = fulfilledAt > promise
                promises.append(Promise(
                    promisedIn: update.position, promisedBy: promise, outcome: late ? .missed : .kept, fulfilledAt: fulfilledAt,
                    lateBySeconds: late ? seconds(fulfilledAt, promise) : 0))
            } else if asOf > promise {
                promises.append(Promise(promisedIn: update.position, promisedBy: promise, outcome: .missed, fulfilledAt: nil, lateBySeconds: seconds(asOf, promise)))
            } else {
                promises.append(Promise(promisedIn: update.position, promisedBy: promise, outcome: .pending, fulfilledAt: nil, lateBySeconds: 0))
            }
        }
        return promises
    }

    /// The promises of a next public update that were not kept on time (``promises(_:asOf:)``).
    static func missedUpdates(_ events: [ProjectedEvent], asOf: Timestamp) -> [MissedUpdate] {
        promises(events, asOf: asOf).filter { $0.outcome == .missed }.map {
            MissedUpdate(promisedIn: $0.promisedIn, promisedBy: $0.promisedBy, fulfilledAt: $0.fulfilledAt, lateBySeconds: $0.lateBySeconds)
        }
    }

    /// Whole seconds from `earlier` to `later`, negative when `later` is earlier.
    public static func seconds(_ later: Timestamp, _ earlier: Timestamp) -> Int64 {
        (later.microsecondsSinceEpoch - earlier.microsecondsSinceEpoch) / 1_000_000
    }
}
