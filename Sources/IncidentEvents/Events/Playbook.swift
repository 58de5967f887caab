public import LedgerModel

/// The playbook's policy was set: the whole policy, every key present, in force from this event on.
/// Recorded only in ``LedgerStream/playbook``, by ``PlaybookPolicy``'s use case (`incidents policy set`).
public struct PlaybookPolicySet: EventPayload {
    public static let type = "playbook.policy_set"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The outage playbook's policy was set (update cadence, channel limits, flagged words, response targets, the maintenance window); in force from then on. The event goes in the stream ledger.playbook."

    public var policy: PlaybookPolicy

    public init(policy: PlaybookPolicy) { self.policy = policy }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        let object = try r.anyObject("policy", "The whole policy as docs/playbook.md describes it; keys left out take their defaults.")
        do {
            policy = try PlaybookPolicy.decode(object)
        } catch {
            throw EventInputError(field: error.path.isEmpty ? "payload.policy" : "payload.policy.\(error.path)", reason: error.reason)
        }
    }
    public func write(to w: inout PayloadWriter) { w.set("policy", policy.json) }
    public static let examples = [PlaybookPolicySet(policy: .standard)]
}
