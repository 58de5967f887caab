public import LedgerModel

/// A read model whose state per incident is computed from the incident's whole corrected history,
/// not folded event by event.
///
/// Some read models are defined on a whole history: the response figures need "the earliest
/// acknowledgement by the time it happened" and "the latest resolution unless reopened later",
/// which one definition (``ResponseFigures``) computes from the history. Folding them event by event
/// would be a second definition that could drift from the first. A derived projection reuses the
/// one definition instead: when a catch-up meets events of an incident, the runner reads that
/// incident's corrected history up to the last of them and derives the state again.
///
/// Catching up costs the histories of the incidents that changed, not the whole log, and the state
/// reached step by step is by construction the state of a full rebuild: each is derived from the
/// same history.
public protocol DerivedProjection: StoredProjection {
    /// Whether the projection keeps a state for the event's stream.
    static func includes(_ record: RecordView) -> Bool
    /// The state of one incident from its corrected history, in stream order
    /// (``EffectiveHistory/events(of:upToVersion:in:)``).
    static func derive(stream: String, history: [ProjectedEvent]) -> State
}
