public import LedgerModel

/// A read model rebuilt from the log: a pure, deterministic fold over events in log order.
///
/// State is kept per key (for example per incident). When an event corrects or retracts an earlier
/// one, the engine refolds that key's history with the correction applied, so a correction
/// reaches every field it touches, and catching up step by step gives exactly the state of a full
/// rebuild.
public protocol Projection: StoredProjection {
    /// The key of the state an event belongs to; nil when the projection ignores the event. It sees
    /// the record in place (stream, type, position), before the event is decoded.
    static func key(for record: RecordView) -> String?
    /// The state of a key before any event.
    static func initial(key: String) -> State
    /// Folds one event into its key's state.
    static func apply(_ event: ProjectedEvent, to state: inout State)
}
