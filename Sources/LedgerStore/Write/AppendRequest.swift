public import LedgerModel

/// What the writer expects of a stream before it appends: the optimistic-concurrency contract of
/// established event stores.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// Append whatever the stream's state.
    case any
    /// The stream must not exist yet (no events).
    case noStream
    /// The stream must have at least one event.
    case streamExists
    /// The stream must be exactly at this version (its number of events; 0 means no stream).
    case exact(UInt64)

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no-stream"
        case .streamExists: "stream-exists"
        case .exact(let version): String(version)
        }
    }

    /// Parses `any`, `no-stream`, `stream-exists` or a version number.
    public init?(_ text: String) {
        switch text {
        case "any": self = .any
        case "no-stream": self = .noStream
        case "stream-exists": self = .streamExists
        default:
            guard let version = UInt64(text) else { return nil }
            self = .exact(version)
        }
    }

    /// Whether a stream at `currentVersion` meets this expectation.
    public func admits(currentVersion: UInt64) -> Bool {
        switch self {
        case .any: true
        case .noStream: currentVersion == 0
        case .streamExists: currentVersion > 0
        case .exact(let version): currentVersion == version
        }
    }

    /// Whether a retried append that first landed at `firstVersion` was made under this expectation.
    func admitsRetry(firstVersion: UInt64) -> Bool {
        switch self {
        case .any: true
        case .noStream: firstVersion == 1
        case .streamExists: firstVersion > 1
        case .exact(let version): firstVersion == version + 1
        }
    }
}

/// Events to append to one stream under one expectation.
public struct StreamAppend: Sendable, Hashable {
    public var stream: String
    public var expectedVersion: ExpectedVersion
    public var events: [ProposedEvent]

    public init(stream: String, expectedVersion: ExpectedVersion = .any, events: [ProposedEvent]) {
        self.stream = stream
        self.expectedVersion = expectedVersion
        self.events = events
    }
}

extension StreamAppend {
    /// Refuses a batch that no store may append, before any store is asked: a stream with no
    /// events, an event the envelope rules refuse, or one whose source recorded it after `now`.
    package static func validate(_ batch: [StreamAppend], now: Timestamp) throws(LedgerError) {
        var index = 0
        for request in batch {
            guard !request.events.isEmpty else { throw LedgerError.emptyAppend(to: request.stream) }
            for event in request.events {
                index += 1
                do {
                    try EnvelopeRules.validate(StreamEvent(stream: request.stream, event: event))
                    try EnvelopeRules.validateSourceRecordedAt(event, recordedAt: now)
                } catch {
                    throw LedgerError(.invalidInput, "\(error.at(index: index)); nothing was written", cause: error)
                }
            }
        }
    }

    /// The result of an exact retry of this append, whose events are already recorded from
    /// `firstPosition` on, at `firstVersion` of the stream on; refused when that landing does not
    /// meet this append's expectation.
    package func retried(at firstPosition: UInt64, firstVersion: UInt64) throws(LedgerError) -> AppendResult {
        guard expectedVersion.admitsRetry(firstVersion: firstVersion) else {
            throw LedgerError.retryUnderOtherExpectation(self, firstVersion: firstVersion)
        }
        let count = UInt64(events.count)
        return AppendResult(
            stream: stream, positions: firstPosition...(firstPosition + count - 1),
            streamVersion: firstVersion + count - 1, alreadyRecorded: true)
    }

    /// Refuses an event whose `sourceRecordedAt` is later than the time the writer records it at.
    package static func validateSourceRecordedAt(_ event: ProposedEvent, recordedAt: Timestamp) throws(LedgerError) {
        do {
            try EnvelopeRules.validateSourceRecordedAt(event, recordedAt: recordedAt)
        } catch {
            throw LedgerError(.invalidInput, "event \(event.id.lowercasedString): \(error); nothing was written", cause: error)
        }
    }
}

/// Where an append's events now stand.
public struct AppendResult: Sendable, Hashable {
    public var stream: String
    /// The global positions of the events, in order.
    public var positions: ClosedRange<UInt64>
    /// The stream's version after the last of these events.
    public var streamVersion: UInt64
    /// True when every event was already recorded by an earlier attempt and nothing was written.
    public var alreadyRecorded: Bool

    package init(stream: String, positions: ClosedRange<UInt64>, streamVersion: UInt64, alreadyRecorded: Bool) {
        self.stream = stream
        self.positions = positions
        self.streamVersion = streamVersion
        self.alreadyRecorded = alreadyRecorded
    }
}
