import Foundation

/// What every read model kept beside the log has: a name and version its state and checkpoint are
/// stored under, a state per key, and the byte form of that state. ``Projection`` folds events into
/// it one by one; ``DerivedProjection`` derives it from an incident's whole history.
public protocol StoredProjection: Sendable {
    associatedtype State: Codable, Equatable, Sendable

    /// The name its state and checkpoint are stored under.
    static var name: String { get }
    /// Bump it when the fold, the derivation or the state's byte form changes: a projection whose
    /// stored version differs is rebuilt.
    static var version: UInt32 { get }

    /// The stored bytes of a state; by default JSON with sorted keys, so equal states are equal bytes.
    static func encode(_ state: State) throws -> [UInt8]
    /// A state from its stored bytes.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> State
}

extension StoredProjection {
    public static func encode(_ state: State) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(state))
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> State {
        try JSONDecoder().decode(State.self, from: Data(bytes))
    }
}
