import Foundation
public import IncidentProjections
public import LedgerAudit
public import LedgerModel
public import LedgerStore

/// What verification found: the chain's report, and every stored projection compared with the log.
public struct LedgerVerification: Sendable {
    /// The records, links, indexes, head and Merkle tree (``VerificationReport/problem`` is nil when they agree).
    public var chain: VerificationReport
    /// One comparison per stored projection, when the chain agrees; empty otherwise.
    public var projections: [ProjectionComparison]

    /// What the verification means for a person: the damage found, as one failure saying what to do,
    /// or the lines that say it is intact (with notes on projections that are merely behind).
    public var verdict: Result<[String], ServiceFailure> {
        if let problem = chain.problem {
            return .failure(ServiceFailure(.damaged, "verification failed at \(problem)\(ServiceFailure.remedy(for: problem.detail)) — the ledger is damaged: keep this copy as evidence and restore it from a backup"))
        }
        var notes = [String]()
        for comparison in projections {
            if let difference = comparison.differences.first {
                let more = comparison.differences.count > 1 ? " (and \(comparison.differences.count - 1) more)" : ""
                return .failure(ServiceFailure(
                    .damaged,
                    "verification failed in projection \(comparison.name) at \(difference)\(more) — the log is intact; `incidents projections rebuild \(comparison.name)` makes the projection again"))
            }
            if comparison.isOtherVersion {
                notes.append("\(comparison.name) built by another version")
            } else if comparison.checkpoint == nil {
                notes.append("\(comparison.name) never built")
            } else if comparison.eventsBehind > 0 {
                notes.append("\(comparison.name) \(comparison.eventsBehind) events behind (not damage)")
            }
        }
        return .success([
            "ok: \(chain.eventsChecked) events verified; chain head \(chain.head.hash.hex) at position \(chain.head.position)",
            notes.isEmpty ? "ok: projections match the log" : "ok: projections match the log (\(notes.joined(separator: "; ")))",
        ])
    }
}

/// What an auditor sees of a ledger before asking for anything: its head, its public key and the
/// last checkpoint it signed.
public struct AuditState: Sendable {
    public var head: LedgerHead
    /// The public key checkpoints and bundles are checked with; nil when the ledger has no keys.
    public var verifierKey: CheckpointVerifierKey?
    /// The last checkpoint the ledger's key signed; nil when none was.
    public var lastCheckpoint: SignedCheckpoint?
}

extension LedgerService {
    /// Verifies the chain, then compares every stored projection with a rebuild from the log.
    ///
    /// The page structure is checked apart, before a ledger is opened (``Ledger/checkPageStructure(at:)``):
    /// LMDB follows the file's pointers as soon as it opens it.
    public func verify(progress: ((Int) -> Void)? = nil) throws -> LedgerVerification {
        let chain = try ledger.verify(checkingPageStructure: false, progress: progress)
        guard chain.problem == nil else { return LedgerVerification(chain: chain, projections: []) }
        // Projections are derived data outside the chain: compared with a rebuild, not hashed.
        let runner = ProjectionRunner(ledger: ledger)
        return LedgerVerification(chain: chain, projections: try StoredReadModel.all.map { try $0.compare(runner) })
    }

    /// The ledger's head, public key and last signed checkpoint.
    public func auditState() async throws -> AuditState {
        let keys = CheckpointKeyFiles(ledgerPath: ledger.path)
        let head = try await ledger.head()
        guard FileManager.default.fileExists(atPath: keys.publicKeyPath) else { return AuditState(head: head, verifierKey: nil, lastCheckpoint: nil) }
        let key = try CheckpointVerifierKey(contentsOf: keys.publicKeyPath)
        return AuditState(head: head, verifierKey: key, lastCheckpoint: try keys.lastCheckpoint(verifiedWith: key))
    }

    /// Signs a checkpoint of the ledger as it stands (docs/audit.md).
    ///
    /// - Parameter acceptingRollback: the size of a deliberate rollback to sign anyway.
    public func checkpoint(keys: CheckpointKeyFiles, acceptingRollback: UInt64? = nil) throws -> SignedCheckpoint {
        try ExportWriter(ledger: ledger, keys: keys, acceptingRollback: acceptingRollback).checkpoint()
    }

    /// Writes a signed export bundle of the events `query` selects into `directory` (docs/audit.md);
    /// after `previous`, an incremental one with a consistency proof.
    public func export(
        _ query: EventQuery, after previous: SignedCheckpoint? = nil, csv: Bool = false, to directory: String, keys: CheckpointKeyFiles,
        acceptingRollback: UInt64? = nil
    ) throws -> ExportManifest {
        try ExportWriter(ledger: ledger, keys: keys, acceptingRollback: acceptingRollback).export(query: query, after: previous, csv: csv, to: directory)
    }
}
