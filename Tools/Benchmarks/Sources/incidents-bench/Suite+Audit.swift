import LedgerAudit
import Foundation
import LedgerModel
import LedgerStore

extension Suite {
    /// Rows n–p, on the bulk-imported ledger: an audit export of the whole log, its verification,
    /// and single inclusion proofs (issue 7).
    mutating func runAuditRows(_ ledger: Ledger) throws {
        guard let ledgerID = try ledger.info().ledgerID else { throw BenchFailure("the ledger has no id") }
        let keys = CheckpointKeyFiles(directory: path("audit-keys"))
        let key = try keys.create(name: Checkpoint.origin(ledgerID: ledgerID))
        let bundle = path("audit-export")

        progress("(x) exporting the whole log as an audit bundle")
        let (manifest, exportSeconds, exportUsage) = try Self.measure {
            try ExportWriter(ledger: ledger, keys: keys).export(query: EventQuery(), to: bundle)
        }
        record(Measurement(
            label: "x", name: "`export`: the whole log as an audit bundle (events.jsonl, checkpoint, manifest)",
            events: manifest.eventCount, seconds: exportSeconds, usage: exportUsage, requirements: [.rate(atLeast: 500_000)]))

        progress("(y) verifying the bundle")
        let (verification, verifySeconds, verifyUsage) = try Self.measure {
            try ExportVerifier.verify(bundle: bundle, key: key.verifier)
        }
        record(Measurement(
            label: "y", name: "`verify-export` of that bundle: every line rebuilt, hashed, root recomputed",
            events: verification.eventsChecked, seconds: verifySeconds, usage: verifyUsage, requirements: [.rate(atLeast: 1_000_000)]))

        let proofs = 10_000
        progress("(z) \(proofs) inclusion proofs at random positions")
        let size = manifest.treeHead.size
        var generator = SystemRandomNumberGenerator()
        let positions = (0..<proofs).map { _ in UInt64.random(in: 1...max(1, size), using: &generator) }
        let (_, proofSeconds, proofUsage) = try Self.measure {
            try ledger.read { reader in
                var hashes = 0
                for position in positions {
                    hashes += try reader.inclusionProof(position: position, treeSize: size).count
                }
                return hashes
            }
        }
        record(Measurement(
            label: "z", name: "Inclusion proof of one event in the whole log, each in turn (per proof)",
            events: proofs, seconds: proofSeconds, usage: proofUsage, requirements: [.rate(atLeast: 10_000)]))
        notes.append(
            "(x–z) the bundle's events.jsonl is \(Format.megabytes(Double(manifest.files[ExportBundle.events]?.bytes ?? 0) / 1e6)) MB; "
                + "a proof takes \(String(format: "%.1f", proofSeconds / Double(proofs) * 1e6)) µs on average (target: well under 1 ms, here ≥ 10,000 proofs/s).")
    }
}
