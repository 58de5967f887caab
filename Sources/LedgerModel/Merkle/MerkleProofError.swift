/// Why a Merkle proof was refused, in words an auditor can act on.
public struct MerkleProofError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }

    public init(_ reason: String) {
        self.reason = reason
    }
}
