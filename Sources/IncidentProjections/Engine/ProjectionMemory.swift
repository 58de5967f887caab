import LedgerStore
import Synchronization

/// The projection catch-ups a runner keeps in memory instead of writing them: on a ledger open for
/// reading only, and for the rebuilds `verify` compares with what is stored.
///
/// Per projection, the states changed since the stored checkpoint and the checkpoint they reach; or,
/// after a rebuild in memory, every state, replacing what is stored.
final class ProjectionMemory: Sendable {
    struct Entry: Sendable {
        var checkpoint: ProjectionCheckpoint
        var states: [String: [UInt8]]
        /// The states are the whole projection: the stored ones are not looked at.
        var replacesStored: Bool
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// The projections whose rebuild after damage is being stored, by a runner that otherwise keeps
    /// its catch-ups in memory.
    private let repairs = Mutex<Set<String>>([])

    func entry(_ name: String) -> Entry? {
        entries.withLock { $0[name] }
    }

    /// What a commit of a catch-up step does to the stored projection, done in memory.
    func commit(_ name: String, to checkpoint: ProjectionCheckpoint, states: [String: [UInt8]], reset: Bool) {
        entries.withLock { entries in
            var entry = entries[name] ?? Entry(checkpoint: checkpoint, states: [:], replacesStored: false)
            if reset {
                entry.states = [:]
                entry.replacesStored = true
            }
            entry.checkpoint = checkpoint
            entry.states.merge(states) { $1 }
            entries[name] = entry
        }
    }

    /// Forgets what is kept of the projection, so that it is read from the ledger again.
    func drop(_ name: String) {
        _ = entries.withLock { $0.removeValue(forKey: name) }
    }

    func beginRepair(_ name: String) {
        _ = repairs.withLock { $0.insert(name) }
    }

    func endRepair(_ name: String) {
        _ = repairs.withLock { $0.remove(name) }
    }

    func isRepairing(_ name: String) -> Bool {
        repairs.withLock { $0.contains(name) }
    }

    /// Starts a rebuild in memory: no state, and a checkpoint that makes the next catch-up start over.
    func reset(_ name: String) {
        entries.withLock { $0[name] = Entry(checkpoint: ProjectionCheckpoint(version: 0, position: 0), states: [:], replacesStored: true) }
    }
}
