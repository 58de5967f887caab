/// A mapping file that cannot be used: not JSON, a key missing or of the wrong kind, a column the
/// CSV file does not have. The description is one sentence naming the key.
public struct MappingError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
