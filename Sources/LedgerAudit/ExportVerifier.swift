import Foundation
import LedgerModel
import LedgerStore

/// What ``ExportVerifier/verify(bundle:key:previous:)`` established.
public struct ExportVerification: Sendable {
    public var manifest: ExportManifest
    public var eventsChecked: Int
    /// What was proved, one sentence each, for the report.
    public var findings: [String]
}

/// Checks an export bundle against a public key, trusting nothing else in it: that the bundle holds
/// exactly the files its manifest lists (in any folder, hidden or not) and the manifest exactly
/// the members it must, read strictly (``BundleJSON``); the checkpoint's signature and exact form;
/// every file's SHA-256 against the manifest; every line rebuilt into its record and
/// hashed to its leaf; for a full or incremental export, contiguous positions, unbroken hash-chain
/// links and the recomputed root; for a filtered one, every inclusion proof, step by step, and
/// that every event matches the query; the consistency proof of an incremental export; and the
/// counts and first and last positions the manifest states; and a CSV, when listed, rebuilt from
/// the verified events and compared. Tools/verify-export.py makes the same checks in the same
/// order with the same messages. The first failure is thrown with a
/// sentence saying what failed and where.
public enum ExportVerifier {
    public static func verify(bundle: String, key: CheckpointVerifierKey, previous: SignedCheckpoint? = nil) throws(AuditError) -> ExportVerification {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: bundle, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AuditError(.invalidInput, "no export bundle at \(bundle) (a bundle is a directory)")
        }
        func path(_ name: String) -> String { bundle + "/" + name }
        // A bundle is exactly what its manifest lists: every file, in any folder, hidden or not.
        let contents = try Self.contents(of: bundle)
        guard let manifestEntry = contents[ExportBundle.manifest], let manifestData = FileManager.default.contents(atPath: path(ExportBundle.manifest)) else {
            throw AuditError.failed("the bundle has no \(ExportBundle.manifest)")
        }
        guard manifestEntry else { throw AuditError.failed("\(ExportBundle.manifest) is not a regular file") }
        let manifest = try ExportManifest(bytes: Array(manifestData))
        var findings = [String]()

        // Which files there must be: those of the kind, and the CSV when listed (it is then
        // rebuilt from the verified events and compared).
        var expected: Set<String> = [ExportBundle.events, ExportBundle.checkpoint]
        if manifest.kind == .filtered { expected.insert(ExportBundle.proofs) }
        if manifest.kind == .incremental { expected.formUnion([ExportBundle.consistency, ExportBundle.previousCheckpoint]) }
        let csv = manifest.files[ExportBundle.csv] != nil
        if csv { expected.insert(ExportBundle.csv) }
        guard Set(manifest.files.keys) == expected else {
            throw AuditError.failed(
                "the manifest lists the files \(Self.sorted(manifest.files.keys).joined(separator: ", ")) where a \(manifest.kind.rawValue) export has \(Self.sorted(expected).joined(separator: ", "))")
        }
        try Self.checkListing(contents, listed: expected)

        // The checkpoint: signed by the key, and the one the manifest names.
        let signed = try Self.bundleCheckpoint(path(ExportBundle.checkpoint), key: key)
        let head = signed.checkpoint.treeHead
        guard signed.checkpoint.origin == manifest.origin, head == manifest.treeHead else {
            throw AuditError.failed("the manifest names a different log or tree head than the signed checkpoint")
        }
        findings.append("the checkpoint of \(head.size) events, root \(head.root.hex), is signed by \(key.name) (key id \(key.keyIDHex))")
        for name in Self.sorted(expected) where name != ExportBundle.events && name != ExportBundle.proofs && name != ExportBundle.csv {
            try checkDigest(name, try HashingLineReader.digest(of: path(name)), manifest)
        }

        // An incremental export continues the tree of the earlier checkpoint.
        var tree = MerkleFrontier()
        var firstPosition: UInt64 = 1
        if manifest.kind == .incremental {
            let earlier = try Self.bundleCheckpoint(path(ExportBundle.previousCheckpoint), key: key)
            let consistency = try ConsistencyFile(bytes: Array(FileManager.default.contents(atPath: path(ExportBundle.consistency)) ?? Data()))
            let old = earlier.checkpoint.treeHead
            guard consistency.oldSize == old.size, consistency.oldRoot == old.root, consistency.newSize == head.size, consistency.newRoot == head.root,
                manifest.previousTreeSize == old.size
            else {
                throw AuditError.failed("\(ExportBundle.consistency) does not join the earlier checkpoint (\(old.size) events) to this one (\(head.size))")
            }
            do {
                try Merkle.verifyConsistency(oldSize: old.size, oldRoot: old.root, newSize: head.size, newRoot: head.root, proof: consistency.proof)
                tree = try MerkleFrontier(size: old.size, hashes: consistency.oldSubtrees)
            } catch {
                throw AuditError.failed("consistency proof from \(old.size) to \(head.size) events: \(error.reason)")
            }
            guard tree.root == old.root else {
                throw AuditError.failed("the earlier tree's subtree roots in \(ExportBundle.consistency) do not make the earlier checkpoint's root")
            }
            firstPosition = old.size + 1
            findings.append("the earlier checkpoint of \(old.size) events is signed by the same key, and the log grew from it by appending only (consistency proof)")
        }

        // An auditor's own earlier checkpoint: checked where the bundle passes through its size.
        var auditorCheck: TreeHead?
        if let previous {
            try previous.verify(with: key)
            let old = previous.checkpoint.treeHead
            guard manifest.kind != .filtered else {
                throw AuditError(.invalidInput, "--previous needs a full or incremental export: a filtered export carries no consistency proof")
            }
            guard old.size <= head.size else {
                throw AuditError.failed("the earlier checkpoint covers \(old.size) events, more than this export's checkpoint (\(head.size)): the log shrank or forked")
            }
            guard old.size >= tree.size else {
                throw AuditError(.invalidInput, "the earlier checkpoint (\(old.size) events) is older than where this incremental export starts (\(tree.size)); check it against the export that covers it")
            }
            if old.size == tree.size {
                guard old.root == tree.root else { throw AuditError.failed("the earlier checkpoint's root differs from the log's root at \(old.size) events: the log was forked or rewritten") }
            } else {
                auditorCheck = old
            }
        }

        // The events, line by line. Lines are independent until the chain and the tree: each batch
        // is read, rebuilt into records and hashed on every core, then checked in order.
        let events = try HashingLineReader(path: path(ExportBundle.events))
        let proofs = manifest.kind == .filtered ? try HashingLineReader(path: path(ExportBundle.proofs)) : nil
        var count = 0
        var first: UInt64?
        var last: UInt64?
        var previousRecordHash: Hash256?
        var table = csv ? HashingCounter(EventCSV.header) : nil
        // Reads the next batch of lines (hashing the file on the way) and starts rebuilding it.
        func nextBatch() throws(AuditError) -> RebuildingBatch? {
            let firstLineNumber = events.lineNumber + 1
            var lines = [[UInt8]]()
            while lines.count < Self.batchLines, let line = try events.nextLine() { lines.append(Array(line)) }
            return lines.isEmpty ? nil : RebuildingBatch(lines, firstLineNumber: firstLineNumber, csv: csv)
        }
        var inFlight = try nextBatch()
        while let current = inFlight {
            // The next batch is read and rebuilt while this one is checked; a failure reading it is
            // reported only after this batch's lines, so the first bad line is still the one named.
            let following = Result { () throws(AuditError) in try nextBatch() }
            for (offset, result) in current.wait().enumerated() {
                let place = "\(ExportBundle.events) line \(current.firstLineNumber + offset)"
                let line: RebuiltLine
                switch result {
                case .success(let rebuilt): line = rebuilt
                case .failure(let error): throw AuditError.failed("\(place): \(error.field.isEmpty ? "" : error.field + " ")\(error.reason)")
                }
                let event = line.event
                let leaf = line.leaf
                if manifest.kind == .filtered {
                    if let last, event.position <= last {
                        throw AuditError.failed("\(place): position \(event.position) does not come after \(last) (lines swapped or duplicated)")
                    }
                    guard event.position <= head.size else {
                        throw AuditError.failed("\(place): position \(event.position) is beyond the checkpoint's \(head.size) events")
                    }
                    guard manifest.query.matches(event) else {
                        throw AuditError.failed("\(place): the event at position \(event.position) does not match the export's query")
                    }
                    guard let proofLine = try proofs!.nextLine() else {
                        throw AuditError.failed("\(ExportBundle.proofs) ends before \(ExportBundle.events): no inclusion proof for position \(event.position)")
                    }
                    let proof: InclusionProofLine
                    do {
                        proof = try InclusionProofLine(line: proofLine)
                    } catch {
                        throw AuditError.failed("\(ExportBundle.proofs) line \(proofs!.lineNumber): \(error.message)")
                    }
                    guard proof.position == event.position else {
                        throw AuditError.failed("\(ExportBundle.proofs) line \(proofs!.lineNumber) proves position \(proof.position), not the event's \(event.position)")
                    }
                    do {
                        try Merkle.verifyInclusion(leaf: leaf, index: event.position - 1, treeSize: head.size, path: proof.path, root: head.root)
                    } catch {
                        throw AuditError.failed("\(place): inclusion proof for position \(event.position) failed: \(error.reason)")
                    }
                } else {
                    let due = tree.size + 1
                    guard event.position == due else {
                        throw AuditError.failed("\(place): position \(event.position) where \(due) was due (an event is missing, duplicated or out of order)")
                    }
                    guard due <= head.size else {
                        throw AuditError.failed("\(place): position \(event.position) is beyond the checkpoint's \(head.size) events")
                    }
                    if let previousRecordHash, event.previousHash != previousRecordHash {
                        throw AuditError.failed("\(place): the previousHash of position \(event.position) is not the hash of the line before it (that line or this one was altered)")
                    }
                    tree.append(leaf: leaf)
                    if let check = auditorCheck, check.size == tree.size, check.root != tree.root {
                        throw AuditError.failed("the earlier checkpoint's root differs from the log's root at \(check.size) events: the log was forked or rewritten")
                    }
                }
                previousRecordHash = line.recordHash
                if let row = line.csvRow { table?.add(row) }
                count += 1
                if first == nil { first = event.position }
                last = event.position
            }
            inFlight = try following.get()
        }
        if let proofs, try proofs.nextLine() != nil {
            throw AuditError.failed("\(ExportBundle.proofs) has more lines than \(ExportBundle.events) (an event line was removed)")
        }
        if manifest.kind != .filtered {
            guard tree.size == head.size else {
                throw AuditError.failed("\(ExportBundle.events) ends at position \(tree.size) but the checkpoint covers \(head.size) events (events missing at the end)")
            }
            guard tree.root == head.root else {
                throw AuditError.failed("the events do not hash to the checkpoint's root (an event was altered)")
            }
            findings.append(firstPosition == 1 && head.size > 0
                ? "positions 1–\(head.size) are all present, in order, and hash to the signed root"
                : "positions \(firstPosition)–\(head.size) are all present, in order, and with the earlier tree hash to the signed root")
            if auditorCheck != nil { findings.append("your earlier checkpoint is a prefix of this log") }
        } else {
            findings.append("each of the \(count) events has an inclusion proof to the signed root and matches the query")
        }
        try checkDigest(ExportBundle.events, try events.digest(), manifest)
        if let proofs { try checkDigest(ExportBundle.proofs, try proofs.digest(), manifest) }
        if let table {
            try checkDigest(ExportBundle.csv, try HashingLineReader.digest(of: path(ExportBundle.csv)), manifest)
            guard table.digest == manifest.files[ExportBundle.csv] else {
                throw AuditError.failed("\(ExportBundle.csv) is not the CSV form of the verified events (a row was changed, added or removed)")
            }
            findings.append("\(ExportBundle.csv) is exactly the CSV form of the verified events")
        }
        guard manifest.eventCount == count, manifest.firstPosition == first, manifest.lastPosition == last else {
            throw AuditError.failed(
                "the manifest says \(manifest.eventCount) events at positions \(describe(manifest.firstPosition))–\(describe(manifest.lastPosition)) but the bundle holds \(count) at \(describe(first))–\(describe(last))")
        }
        findings.append("the bundle holds exactly the files its manifest lists, each matches its SHA-256 there, and the manifest's counts match")
        return ExportVerification(manifest: manifest, eventsChecked: count, findings: findings)
    }

    /// Lines read and rebuilt together; a batch of a few hundred kilobytes.
    static let batchLines = 4096

    /// The batch split into ranges for the cores, a few per core so an uneven one does not hold the rest back.
    static func slices(of count: Int) -> [Range<Int>] {
        let size = max(64, count / 16)
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    /// A batch of lines being rebuilt on every core while the reading thread goes on.
    final class RebuildingBatch: @unchecked Sendable {
        let firstLineNumber: Int
        private let done = DispatchGroup()
        /// Written once by the rebuild, read only after ``wait()``.
        private var rebuilt: [Result<RebuiltLine, EventInputError>] = []

        init(_ lines: [[UInt8]], firstLineNumber: Int, csv: Bool) {
            self.firstLineNumber = firstLineNumber
            DispatchQueue.global().async(group: done) { [self] in
                let slices = ExportVerifier.slices(of: lines.count)
                rebuilt = Parallel.map(count: slices.count) { slice in
                    slices[slice].map { index in Result { () throws(EventInputError) in try RebuiltLine(lines[index], csv: csv) } }
                }.flatMap { $0 }
            }
        }

        /// Each line's rebuild, in order, once all are done.
        func wait() -> [Result<RebuiltLine, EventInputError>] {
            done.wait()
            return rebuilt
        }
    }

    /// One exported line read back: the event, its record's leaf hash and chain hash, and its CSV
    /// row when the bundle has a CSV.
    struct RebuiltLine: Sendable {
        let event: RecordedEvent
        let leaf: Hash256
        let recordHash: Hash256
        let csvRow: [UInt8]?

        init(_ line: [UInt8], csv: Bool) throws(EventInputError) {
            event = try RecordedEvent(jsonLine: line)
            let record = RecordCodec.encode(event)
            leaf = Merkle.leafHash(record)
            recordHash = Hash256.sha256(record)
            csvRow = csv ? EventCSV.row(event) : nil
        }
    }

    /// Every entry under `directory` but folders, by path relative to it (`sub/name`; an empty
    /// folder as `sub/`), each with whether it is a regular file (not a link, folder or device).
    static func contents(of directory: String) throws(AuditError) -> [String: Bool] {
        var out = [String: Bool]()
        func walk(_ relative: String) throws(AuditError) {
            let folder = relative.isEmpty ? directory : directory + "/" + relative
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder)
            } catch {
                throw AuditError(.invalidInput, "cannot read the bundle folder \(folder): \(error.localizedDescription)")
            }
            if names.isEmpty && !relative.isEmpty { out[relative + "/"] = false }
            for name in names {
                let child = relative.isEmpty ? name : relative + "/" + name
                let type = (try? FileManager.default.attributesOfItem(atPath: directory + "/" + child))?[.type] as? FileAttributeType
                if type == .typeDirectory {
                    try walk(child)
                } else {
                    out[child] = type == .typeRegular
                }
            }
        }
        try walk("")
        return out
    }

    /// Refuses a listed file that is missing or not a regular file, and any entry not listed.
    static func checkListing(_ contents: [String: Bool], listed: Set<String>) throws(AuditError) {
        for name in sorted(listed) {
            guard let regular = contents[name] else { throw AuditError.failed("\(name) is listed in the manifest but missing from the bundle") }
            guard regular else { throw AuditError.failed("\(name) is not a regular file") }
        }
        for name in sorted(contents.keys) where name != ExportBundle.manifest && !listed.contains(name) {
            throw AuditError.failed("the bundle holds \(name), which the manifest does not list (every file of a bundle must be listed with its hash)")
        }
    }

    /// A checkpoint file of the bundle: well formed, signed by `key`, and exactly as the exporter
    /// writes it (one signature, nothing added), so no changed byte passes.
    static func bundleCheckpoint(_ path: String, key: CheckpointVerifierKey) throws(AuditError) -> SignedCheckpoint {
        let name = (path as NSString).lastPathComponent
        let bytes = Array(FileManager.default.contents(atPath: path) ?? Data())
        let signed: SignedCheckpoint
        do {
            signed = try SignedCheckpoint(text: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw AuditError.failed("\(name): \(error.message)")
        }
        try signed.verify(with: key)
        guard signed.signatures.count == 1, Array(signed.text.utf8) == bytes else {
            throw AuditError.failed("\(name): not in the exact form the exporter writes (the body, a blank line, one signature line)")
        }
        return signed
    }

    /// Names in byte order, as both verifiers report them.
    static func sorted(_ names: some Sequence<String>) -> [String] {
        names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private static func checkDigest(_ name: String, _ digest: FileDigest, _ manifest: ExportManifest) throws(AuditError) {
        guard let listed = manifest.files[name], listed == digest else {
            throw AuditError.failed("\(name): its SHA-256 or size does not match the manifest (the file was changed or truncated)")
        }
    }

    private static func describe(_ position: UInt64?) -> String {
        position.map(String.init) ?? "none"
    }
}
