public import IncidentEvents
public import LedgerModel
public import LedgerStore

/// The playbook's policy in force, and where it came from.
public struct PolicyInForce: Sendable {
    public var policy: PlaybookPolicy
    /// The ledger position of the `playbook.policy_set` that set it; nil for the standard policy, never set.
    public var position: UInt64?
    /// When it was set and by whom; nil for the standard policy.
    public var setAt: Timestamp?
    public var setBy: Actor?
}

extension LedgerService {
    /// The playbook's policy in force: the last one set (`incidents policy set`), else the standard one.
    public func policy() throws -> PlaybookPolicy { try policyInForce().policy }

    /// The policy in force with the event that set it. Decoded once per version of the playbook
    /// stream: recording reads it for every event, and a policy set by another process (another
    /// server on the same ledger) still changes the version.
    public func policyInForce() throws -> PolicyInForce {
        try ledger.read { reader in
            let version = try reader.version(ofStream: LedgerStream.playbook)
            if let cached = policies.policy(at: version) { return cached }
            let found = try Self.policyInForce(version: version, in: reader)
            policies.keep(found, at: version)
            return found
        }
    }

    private static func policyInForce(version: UInt64, in reader: borrowing LedgerReader) throws -> PolicyInForce {
        guard version > 0, let last = try reader.events(inStream: LedgerStream.playbook, fromVersion: version, limit: 1).first else {
            return PolicyInForce(policy: .standard)
        }
        guard case .policySet(let set) = try Catalog.decode(last) else {
            throw LedgerError(.corrupt, "the last event of \(LedgerStream.playbook), at position \(last.position), is \(last.type), not playbook.policy_set")
        }
        return PolicyInForce(policy: set.policy, position: last.position, setAt: last.occurredAt, setBy: last.actor)
    }

    /// Puts `policy` in force from now on, recorded in ``LedgerStream/playbook`` in the defaults' actor's name.
    ///
    /// - Throws: ``ServiceError`` (`no-actor`) when who sets it is not known; ``LedgerError`` when the
    ///   policy is refused (``PlaybookPolicy/validate()``) or the append fails. Nothing is written then.
    @discardableResult
    public func setPolicy(_ policy: PlaybookPolicy, source: String = "cli") async throws -> AppendResult {
        guard let actor = defaults.actor else { throw ServiceError(.noActor, "who sets the policy is not known") }
        do {
            try policy.validate()
        } catch {
            throw LedgerError(.invalidInput, "the policy's \(error); nothing was written")
        }
        return try await recordInOwnStream(.policySet(PlaybookPolicySet(policy: policy)), at: defaults.clock(), by: actor, source: source)
    }
}
