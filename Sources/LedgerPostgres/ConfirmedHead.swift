import Synchronization

/// The last position known to be durable as the database promises durability — on its synchronous
/// standby too, when it has one — rather than merely visible.
///
/// PostgreSQL makes a commit visible to other sessions before its synchronous standby has confirmed
/// it; a primary lost in that moment takes the commit with it, and the promoted standby never had
/// it. What a mirror copies must not be such a commit, or the mirror would hold records the new
/// primary does not. Two things prove a commit durable: its `COMMIT` returned to this process, or
/// its `NOTIFY` arrived (PostgreSQL sends notifications only after the commit's synchronous wait).
/// Both move this position on; a mirror copies up to it.
final class ConfirmedHead: Sendable {
    private let position = Atomic<UInt64>(0)

    /// The highest position proved durable so far.
    var value: UInt64 { position.load(ordering: .acquiring) }

    /// Moves the position on to `candidate` if it is further.
    func raise(to candidate: UInt64) {
        position.max(candidate, ordering: .acquiringAndReleasing)
    }
}
