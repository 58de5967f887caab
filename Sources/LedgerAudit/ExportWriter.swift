import Foundation

#if canImport(Glibc)
import Glibc
#endif
public import LedgerModel
public import LedgerStore

/// Writes export bundles: the events, their proofs, a fresh signed checkpoint and the manifest.
///
/// The bundle is written into a sibling `.partial` directory and renamed into place at the end, so
/// a bundle that exists is complete. Events stream from one read snapshot through buffered,
/// hashing file writers; inclusion proofs are computed in batches, so memory stays flat.
public struct ExportWriter {
    /// Events whose inclusion proofs are computed together between two stretches of the scan.
    static let proofBatch = 4096

    public var ledger: Ledger
    public var keys: CheckpointKeyFiles
    public var key: CheckpointSigningKey
    /// The size of the remembered last checkpoint that the operator knowingly abandons (after a
    /// deliberate restore of an older ledger): with it the next checkpoint may disagree with that one.
    public var acceptingRollback: UInt64?
    /// Records read in place per chunk, then decoded, matched and written as lines on every core.
    var chunkRecords = 16_384

    /// A writer signing with the key in `keys`, which must be readable by its owner only.
    public init(ledger: Ledger, keys: CheckpointKeyFiles, acceptingRollback: UInt64? = nil) throws(AuditError) {
        self.ledger = ledger
        self.keys = keys
        self.key = try keys.signingKey()
        self.acceptingRollback = acceptingRollback
    }

    /// Signs a checkpoint of the whole log as it is now.
    ///
    /// The log must extend the last checkpoint signed with the key (remembered beside it, see
    /// ``CheckpointKeyFiles/lastCheckpoint(verifiedWith:)``) as well as the one `data.mdb` records;
    /// otherwise nothing is signed or written. The new checkpoint is remembered (synced) before it
    /// is returned, so one handed out is always one remembered; a crash in between leaves a
    /// remembered checkpoint that nobody saw, which later checkpoints of the same log extend anyway.
    public func checkpoint() throws -> SignedCheckpoint {
        guard let ledgerID = try ledger.info().ledgerID else {
            throw AuditError(.invalidInput, "the ledger has no id to name its checkpoints by")
        }
        let origin = Checkpoint.origin(ledgerID: ledgerID)
        guard key.verifier.name == origin else {
            throw AuditError(.missingKey, "the key \(key.verifier.name) belongs to another ledger than \(origin)")
        }
        return try keys.withSigningLock {
            let last = try keys.lastCheckpoint(verifiedWith: key.verifier)?.checkpoint.treeHead
            if let accepted = acceptingRollback, accepted != last?.size {
                throw AuditError(
                    .invalidInput,
                    "--accept-rollback \(accepted) names a checkpoint of \(accepted) events, but the last one signed \(last.map { "covers \($0.size)" } ?? "is not remembered"); nothing was signed — give the size the refusal named")
            }
            let head: TreeHead
            do {
                head = try ledger.treeHeadForSigning(extending: acceptingRollback == nil ? last : nil)
            } catch let error as LedgerError where error.code == .rolledBack {
                throw AuditError.failed(
                    "\(error.message) — put back the newer data.mdb; if the rollback is deliberate, sign again with --accept-rollback \(last?.size ?? 0)")
            }
            let signed = try SignedCheckpoint(signing: Checkpoint(origin: origin, treeHead: head), with: key)
            try keys.remember(signed)
            return signed
        }
    }

    /// Writes a bundle of the events matching `query`, or — given an earlier checkpoint of this
    /// ledger — of exactly the events after it, with a consistency proof. Returns its manifest.
    /// With `csv`, the events are also written as `events.csv`.
    public func export(query: EventQuery, after previous: SignedCheckpoint? = nil, csv: Bool = false, to directory: String) throws -> ExportManifest {
        precondition(previous == nil || !query.isFiltered, "an incremental export takes no filter")
        let files = FileManager.default
        if files.fileExists(atPath: directory) {
            throw AuditError(.alreadyExists, "\(directory) exists already; name a new directory for the bundle")
        }
        if let previous {
            // Checked before anything is signed or written: bad input leaves the ledger as it was.
            try previous.verify(with: key.verifier)
            let old = previous.checkpoint.treeHead
            try ledger.read { reader in
                let size = try reader.treeSize()
                guard old.size <= size else {
                    throw AuditError.failed("the earlier checkpoint covers \(old.size) events but the ledger holds \(size): it is not of this log")
                }
                guard try reader.treeHead(size: old.size).root == old.root else {
                    throw AuditError.failed("the earlier checkpoint's root is not this ledger's root at \(old.size) events: it is of another (forked) log")
                }
            }
        }
        // Written beside its final name and renamed when complete; an interrupted export leaves
        // only this directory behind, which the next export to the same place removes.
        let partial = "\(directory).partial-\(ProcessInfo.processInfo.processIdentifier)"
        Self.removeAbandonedPartials(of: directory)
        do {
            try files.createDirectory(atPath: partial, withIntermediateDirectories: true)
        } catch {
            throw AuditError.system(error, "cannot create \(partial)")
        }
        do {
            let manifest = try write(query: query, after: previous, csv: csv, into: partial)
            try files.moveItem(atPath: partial, toPath: directory)
            return manifest
        } catch {
            try? files.removeItem(atPath: partial)
            throw error
        }
    }

    /// Removes the `DIRECTORY.partial-PID` folders of exports to `directory` that were killed: those
    /// whose process is gone (or is this one, under a reused id). A running export's folder is kept.
    static func removeAbandonedPartials(of directory: String) {
        let (parent, name) = AtomicFile.split(directory)
        let prefix = name + ".partial-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for partial in names where partial.hasPrefix(prefix) {
            guard let pid = pid_t(partial.dropFirst(prefix.count)), pid > 0 else { continue }
            let gone = kill(pid, 0) != 0 && errno == ESRCH
            guard gone || pid == getpid() else { continue }
            try? FileManager.default.removeItem(atPath: parent + "/" + partial)
        }
    }

    private func write(query: EventQuery, after previous: SignedCheckpoint?, csv: Bool, into directory: String) throws -> ExportManifest {
        let signed = try checkpoint()
        let head = signed.checkpoint.treeHead
        var digests = [String: FileDigest]()
        func writeSmallFile(_ name: String, _ text: String) throws {
            let writer = try HashingFileWriter(path: directory + "/" + name)
            try writer.write(text)
            digests[name] = try writer.finish()
        }
        try writeSmallFile(ExportBundle.checkpoint, signed.text)
        let start = (previous?.checkpoint.treeHead.size ?? 0) + 1
        if let previous {
            let old = previous.checkpoint.treeHead  // checked against the ledger in export(query:after:to:)
            let consistency = try ledger.read { reader in
                ConsistencyFile(
                    oldSize: old.size, oldRoot: old.root, newSize: head.size, newRoot: head.root,
                    proof: try reader.consistencyProof(from: old.size, to: head.size), oldSubtrees: try reader.treeFrontier(size: old.size))
            }
            try writeSmallFile(ExportBundle.consistency, consistency.json.prettyText)
            try writeSmallFile(ExportBundle.previousCheckpoint, previous.text)
        }
        let events = try HashingFileWriter(path: directory + "/" + ExportBundle.events)
        let proofs = query.isFiltered ? try HashingFileWriter(path: directory + "/" + ExportBundle.proofs) : nil
        let table = csv ? try HashingFileWriter(path: directory + "/" + ExportBundle.csv) : nil
        try table?.write(EventCSV.header)
        var scan = Scan(query: query, treeSize: head.size, next: start)
        while !scan.done {
            try ledger.read { reader in
                try Self.writeBatch(&scan, reader: reader, chunkRecords: chunkRecords, events: events, proofs: proofs, csv: table)
            }
        }
        digests[ExportBundle.events] = try events.finish()
        if let table { digests[ExportBundle.csv] = try table.finish() }
        if let proofs { digests[ExportBundle.proofs] = try proofs.finish() }
        let manifest = ExportManifest(
            kind: previous != nil ? .incremental : query.isFiltered ? .filtered : .full, origin: signed.checkpoint.origin, treeHead: head,
            query: query, previousTreeSize: previous?.checkpoint.treeHead.size, eventCount: scan.count, firstPosition: scan.first,
            lastPosition: scan.last, files: digests)
        let writer = try HashingFileWriter(path: directory + "/" + ExportBundle.manifest)
        try writer.write(manifest.json.prettyText)
        _ = try writer.finish()
        return manifest
    }

    /// The lines, CSV rows and positions of the matching events of one slice of a chunk.
    struct RenderedSlice: Sendable {
        var lines = [UInt8]()
        var csv = [UInt8]()
        var positions = [UInt64]()
    }

    /// Where a scan stands between batches.
    struct Scan {
        var query: EventQuery
        var treeSize: UInt64
        /// The next position to look at (whole-log scans) …
        var next: UInt64
        /// … or the next stream version (one incident's scan).
        var nextVersion: UInt64 = 1
        var count = 0
        var first: UInt64?
        var last: UInt64?
        var done = false
    }

    /// Writes about ``proofBatch`` matching events (a chunk may go past it) and then their proofs.
    /// A static function with a borrowed reader: closures capturing a borrowed reader trip the compiler.
    ///
    /// The scan reads records in place, a chunk at a time; each chunk is decoded, matched against
    /// the query and written as lines (and CSV rows) on every core, and the lines are then written
    /// to the files in position order on this thread, which also hashes them.
    static func writeBatch(
        _ scan: inout Scan, reader: borrowing LedgerReader, chunkRecords: Int, events: HashingFileWriter, proofs: HashingFileWriter?,
        csv: HashingFileWriter?
    ) throws {
        var positions = [UInt64]()
        let batchLimit = proofs == nil ? Int.max : proofBatch
        var local = scan
        while !local.done, positions.count < batchLimit {
            var chunk = [RecordView]()
            let treeSize = local.treeSize
            var beyond = false
            let collect = { (record: RecordView) -> Bool in
                guard record.position <= treeSize else {
                    beyond = true
                    return false
                }
                chunk.append(record)
                return chunk.count < chunkRecords
            }
            if let incident = local.query.incident {
                try reader.forEachRecordView(inStream: incident, fromVersion: local.nextVersion, collect)
            } else {
                try reader.forEachRecordView(from: local.next, collect)
            }
            // The scan ends at the checkpoint's size or at the end of what there is to read.
            if beyond || chunk.count < chunkRecords { local.done = true }
            guard let lastRecord = chunk.last else {
                local.done = true
                break
            }
            if local.query.incident != nil {
                local.nextVersion = lastRecord.streamVersion + 1
            } else {
                local.next = lastRecord.position + 1
            }
            let (records, query, withCSV) = (chunk, local.query, csv != nil)
            // Slices small enough that their buffers stay below malloc's mmap threshold (128 KiB).
            let slices = stride(from: 0, to: records.count, by: 200).map { $0..<min($0 + 200, records.count) }
            let rendered = Parallel.map(count: slices.count) { slice in
                Result { () throws -> RenderedSlice in
                    var out = RenderedSlice()
                    for record in records[slices[slice]] {
                        let event = try record.event()
                        guard query.matches(event) else { continue }
                        event.writeJSONLine(into: &out.lines)
                        out.lines.append(0x0A)
                        if withCSV { out.csv.append(contentsOf: EventCSV.row(event)) }
                        out.positions.append(event.position)
                    }
                    return out
                }
            }
            for result in rendered {
                let slice = try result.get()
                guard !slice.positions.isEmpty else { continue }
                try events.write(slice.lines)
                try csv?.write(slice.csv)
                local.count += slice.positions.count
                if local.first == nil { local.first = slice.positions.first }
                local.last = slice.positions.last
                if proofs != nil { positions += slice.positions }
            }
        }
        if let proofs {
            for position in positions {
                let line = InclusionProofLine(position: position, path: try reader.inclusionProof(position: position, treeSize: local.treeSize))
                try proofs.write(line.json.canonicalBytes)
                try proofs.write(CollectionOfOne(0x0A))
            }
        }
        scan = local
    }
}
