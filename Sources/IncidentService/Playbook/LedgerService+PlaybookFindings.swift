public import IncidentEvents
import LedgerModel
import LedgerStore

/// Every policy the playbook has had, by the position it was set at: which one was in force when an
/// event was recorded.
public struct PolicyHistory: Sendable {
    /// Each policy set, by position, in order.
    public var policies: [(position: UInt64, policy: PlaybookPolicy)]

    /// The policy in force when the event at `position` was recorded: the last set before it, else the standard one.
    public func policy(at position: UInt64) -> PlaybookPolicy {
        policies.last { $0.position < position }?.policy ?? .standard
    }
}

extension LedgerService {
    /// Every policy set in ``LedgerStream/playbook``, in order.
    func policyHistory(in reader: borrowing LedgerReader) throws -> PolicyHistory {
        var policies = [(position: UInt64, policy: PlaybookPolicy)]()
        try reader.forEachEvent(inStream: LedgerStream.playbook) { recorded in
            if case .policySet(let set)? = try? Catalog.decode(recorded) { policies.append((recorded.position, set.policy)) }
            return true
        }
        return PolicyHistory(policies: policies)
    }

    /// The playbook's rules broken by the events of each of `incidents`, as recording judged them
    /// (``PlaybookChecks/findings(inHistory:policy:)``), up to `head`, from one snapshot.
    public func playbookFindings(of incidents: [String], upTo head: UInt64? = nil) throws -> [String: [RecordedFinding]] {
        try ledger.read { reader in
            let policies = try policyHistory(in: reader)
            var findings = [String: [RecordedFinding]]()
            for incident in incidents {
                let events = try reader.events(inStream: incident).filter { head == nil || $0.position <= head! }
                findings[incident] = PlaybookChecks.findings(inHistory: events, policy: policies.policy(at:))
            }
            return findings
        }
    }
}
