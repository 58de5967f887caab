import LedgerModel
public import LedgerStore

/// What `verify` found comparing a stored projection with a rebuild from the log.
public struct ProjectionComparison: Sendable {
    /// One stored state (or the checkpoint record, when `key` is nil) that is not what the log gives.
    public struct Difference: Sendable, CustomStringConvertible {
        public var key: String?
        public var reason: String
        public var description: String { key.map { "\($0): \(reason)" } ?? reason }
    }

    public var name: String
    /// The stored checkpoint; nil when the projection was never built (or its record is damaged).
    public var checkpoint: ProjectionCheckpoint?
    /// The log's last position.
    public var head: UInt64
    /// Stored by another version of the projection's code: not compared, rebuilt on next use.
    public var isOtherVersion: Bool
    /// Stored states that a rebuild of the log up to the checkpoint does not give: damage.
    public var differences: [Difference]

    /// Events in the log after the stored checkpoint: the stored state is behind, which is not damage.
    public var eventsBehind: UInt64 { checkpoint.map { head - min($0.position, head) } ?? 0 }
    public var isIntact: Bool { differences.isEmpty }
}

extension ProjectionRunner {
    /// Rebuilds the projection in memory, up to the stored checkpoint, and compares every stored
    /// state with it byte for byte; writes nothing.
    public func compareWithLog<P: Projection>(_: P.Type) throws -> ProjectionComparison {
        try compare(P.self) { try $0.rebuild(P.self) }
    }

    /// Derives every incident's state again in memory, up to the stored checkpoint, and compares
    /// every stored state with it byte for byte; writes nothing.
    public func compareWithLog<P: DerivedProjection>(_: P.Type) throws -> ProjectionComparison {
        try compare(P.self) { try $0.rebuild(P.self) }
    }

    private func compare<P: StoredProjection>(_: P.Type, rebuild: (ProjectionRunner) throws -> Int) throws -> ProjectionComparison {
        let (checkpoint, damage, head, stored) = try ledger.read { reader in
            var checkpoint: ProjectionCheckpoint?
            var damage: ProjectionDamage?
            do {
                checkpoint = try reader.projectionCheckpoint(P.name)
            } catch let found as ProjectionDamage {
                damage = found
            }
            return (checkpoint, damage, try reader.head().position, try reader.storedProjectionEntries(P.name))
        }
        var comparison = ProjectionComparison(name: P.name, checkpoint: checkpoint, head: head, isOtherVersion: false, differences: [])
        if let damage {
            comparison.differences.append(.init(key: nil, reason: damage.reason))
            return comparison
        }
        guard let position = checkpoint?.position else {
            if !stored.isEmpty {
                comparison.differences.append(.init(key: nil, reason: "it holds \(stored.count) states but no checkpoint record"))
            }
            return comparison
        }
        guard checkpoint?.version == P.version else {
            comparison.isOtherVersion = true
            return comparison
        }
        let rebuilder = ProjectionRunner(ledger: ledger, batchSize: batchSize, notice: { _ in }, limit: position, inMemoryOnly: true)
        _ = try rebuild(rebuilder)
        var rebuilt = rebuilder.memory.entry(P.name)?.states ?? [:]
        for entry in stored {
            let expected = rebuilt.removeValue(forKey: entry.key)
            guard let state = entry.state else {
                comparison.differences.append(.init(key: entry.key, reason: "the stored state fails its checksum"))
                continue
            }
            if expected == nil {
                comparison.differences.append(.init(key: entry.key, reason: "a state is stored under a key the log has none for (a damaged key?)"))
            } else if expected != state {
                comparison.differences.append(.init(key: entry.key, reason: "the stored state differs from the log's"))
            }
        }
        for key in rebuilt.keys.sorted() {
            comparison.differences.append(.init(key: key, reason: "the log has a state for it but none is stored"))
        }
        return comparison
    }
}
