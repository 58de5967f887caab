import Synchronization

/// The playbook policy in force, kept decoded with the version of ``LedgerStream/playbook`` it was
/// read at: every policy set appends to that stream, so a cached policy is current exactly while
/// the stream's version is the same.
final class PolicyCache: Sendable {
    private let entry = Mutex<(version: UInt64, policy: PolicyInForce)?>(nil)

    /// The policy read at `version`, if that is the one kept.
    func policy(at version: UInt64) -> PolicyInForce? {
        entry.withLock { $0?.version == version ? $0?.policy : nil }
    }

    /// Keeps `policy`, read at `version`, unless a later version is kept already.
    func keep(_ policy: PolicyInForce, at version: UInt64) {
        entry.withLock { entry in
            if (entry?.version ?? 0) <= version { entry = (version, policy) }
        }
    }
}
