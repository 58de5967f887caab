public import LedgerModel
import Foundation

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
public protocol DerivedProjection: Sendable {
    associatedtype State: Codable, Equatable, Sendable

    /// The name its state and checkpoint are stored under.
    static var name: String { get }
    /// Bump it when the derivation changes: a projection whose stored version differs is rebuilt.
    static var version: UInt32 { get }

    /// Whether the projection keeps a state for the event's stream.
    static func includes(_ event: RecordedEvent) -> Bool
    /// The state of one incident from its corrected history, in stream order
    /// (``EffectiveHistory/events(of:upToVersion:in:)``).
    static func derive(stream: String, history: [ProjectedEvent]) -> State

    /// The stored bytes of a state; by default JSON with sorted keys, so equal states are equal bytes.
    static func encode(_ state: State) throws -> [UInt8]
    /// A state from its stored bytes.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> State
}

extension DerivedProjection {
    public static func encode(_ state: State) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(state))
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> State {
        try JSONDecoder().decode(State.self, from: Data(bytes))
    }
}
