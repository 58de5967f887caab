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
