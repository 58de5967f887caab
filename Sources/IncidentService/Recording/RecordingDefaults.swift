public import Foundation
public import LedgerModel

/// Where a recorded event's envelope gets what its caller left out: the time it happened ("now"),
/// a new id, and who records it. Passed in, so a test or a replay is deterministic.
public struct RecordingDefaults: Sendable {
    /// "Now": the time an event happened when none is given, and the clock rules compare with.
    public var clock: @Sendable () -> Timestamp
    /// A new event id (UUIDv7 by default: ordered by time).
    public var newID: @Sendable () -> UUID
    /// Who records an event that names no actor; nil when nobody can be told, and such an event is
    /// then refused rather than recorded as someone unknown.
    public var actor: Actor?

    public init(clock: @escaping @Sendable () -> Timestamp, newID: @escaping @Sendable () -> UUID, actor: Actor?) {
        self.clock = clock
        self.newID = newID
        self.actor = actor
    }

    /// The wall clock, UUIDv7 ids, and no default actor.
    public static let system = RecordingDefaults(clock: { .now() }, newID: { UUID.version7() }, actor: nil)

    /// These defaults with `actor` recording what names no actor.
    public func recorded(by actor: Actor?) -> RecordingDefaults {
        var copy = self
        copy.actor = actor
        return copy
    }
}
