import CLMDB
public import LedgerModel

/// What `verify` found.
public struct VerificationReport: Sendable {
    /// The first problem found, with the position it concerns.
    public struct Problem: Sendable, CustomStringConvertible {
        /// The position of the record at fault (0 when the fault is not in one record, such as a count).
        public var position: UInt64
        public var reason: String
        /// What exactly is damaged, when a caller remedies it differently (damage in derived data).
        public var detail: LedgerError.Detail?
        public var description: String {
            position > 0 ? "position \(position): \(reason)" : reason
        }
    }

    /// How many records were checked.
    public var eventsChecked: Int
    /// The chain head the records add up to.
    public var head: LedgerHead
    /// nil when everything agrees.
    public var problem: Problem?

    public var isIntact: Bool { problem == nil }
}

extension Ledger {
    /// Checks the B-trees of the ledger in `path` page by page, reading `data.mdb` with `pread`
    /// (never through LMDB's map, so damage cannot fault): page numbers inside the file and matching
    /// their place, page flags, node offsets and sizes inside their page, keys in order, overflow
    /// runs inside the file, page and entry counts and depths as each database records them, no
    /// page reached twice. Call it before ``open(at:clock:logger:)`` when the file may be damaged.
    ///
    /// - Throws: ``LedgerError/Code/corrupt`` naming the first damage found.
    ///
    /// - Parameter keyOrder: false leaves out whether keys ascend: what a write through LMDB needs
    ///   sound is each page's layout (LMDB copies a page by its bounds and offsets), not the order.
    public static func checkPageStructure(at path: String, keyOrder: Bool = true) throws(LedgerError) {
        _ = try PageStructure.check(directory: path, keyOrder: keyOrder)
    }

    /// The damage ``checkPageStructure(at:)`` finds, or nil when there is none.
    private static func pageStructureDamage(at path: String) throws(LedgerError) -> VerificationReport.Problem? {
        do {
            try checkPageStructure(at: path)
            return nil
        } catch {
            guard error.code == .corrupt else { throw error }
            return VerificationReport.Problem(position: 0, reason: error.message, detail: error.detail)
        }
    }

    /// Recomputes the whole hash chain and checks the indexes and metadata against the log.
    ///
    /// Checks, in one pass over a snapshot: positions are 1, 2, 3, … with no gap; every record
    /// decodes and names its own position; every record's previous-hash field is the SHA-256 of the
    /// record before it; stream versions run 1, 2, 3, … per stream; recorded-at times never go back;
    /// the stream index and the event-id index point every event at its position and hold nothing
    /// else; the stored chain head is the last record's position and hash. A single changed byte
    /// anywhere in a record breaks one of these, and the report names the record.
    ///
    /// First, unless `checkingPageStructure` is false (because ``checkPageStructure(at:)`` has just
    /// run), LMDB's page structure is checked with plain reads of the file, so that damage to it is
    /// reported (as a problem at position 0) instead of being followed by LMDB.
    public func verify(checkingPageStructure: Bool = true, progress: ((Int) -> Void)? = nil) throws -> VerificationReport {
        if checkingPageStructure, let damage = try Self.pageStructureDamage(at: path) {
            return VerificationReport(
                eventsChecked: 0, head: LedgerHead(position: 0, hash: .zero, recordedAt: Timestamp(microsecondsSinceEpoch: 0)),
                problem: damage)
        }
        let databases = environment.databases
        return try environment.read { txn in
            var checked = 0
            var expected: UInt64 = 1
            var previousHash = Hash256.zero
            var previousRecordedAt = Timestamp(microsecondsSinceEpoch: .min)
            var streamVersions = [String: UInt64]()
            // A broken link between records k and k+1 means k changed, unless the link from k+1 to
            // k+2 is broken too, which means k+1 changed (its previous-hash field is part of its hash).
            var suspect: UInt64? = nil
            var problem: VerificationReport.Problem? = nil
            // The Merkle tree is recomputed from the records too, and every stored node compared.
            var tree = [Hash256]()
            var treeIntact = true
            // A record of format 2 in a ledger that says format 1 would be misread by older builds.
            let ledgerFormat = try AppendTransaction.formatVersion(in: txn, databases) ?? Ledger.initialFormatVersion
            func fail(_ position: UInt64, _ reason: String) -> Bool {
                problem = VerificationReport.Problem(position: position, reason: reason)
                return false
            }
            try txn.withCursor(databases.log) { cursor in
                var entry = try cursor.move(MDB_FIRST)
                while let (key, value) = entry {
                    guard let position = Keys.position(key), position == expected else {
                        _ = fail(expected, "expected the record at position \(expected) but the log continues with another key (a record is missing or a key was changed)")
                        return
                    }
                    let hash = Hash256.sha256(value)
                    if let suspected = suspect {
                        // Decide from the link into this record which of the two before it changed.
                        let linkHolds = value.count >= 65 && Hash256(bytes: value, offset: 33) == previousHash
                        _ = fail(linkHolds ? suspected : suspected + 1,
                                 "the record's bytes do not match the hash chain (it was altered after it was written)")
                        return
                    }
                    let record: RecordedEvent
                    do {
                        record = try RecordCodec.decode(value)
                    } catch {
                        _ = fail(position, "the record cannot be decoded: \(error)")
                        return
                    }
                    if record.previousHash != previousHash {
                        if position == 1 {
                            _ = fail(1, "the first record's previous hash is not zero")
                            return
                        }
                        // Other checks of this record wait until the blame is settled.
                        suspect = position - 1
                        previousHash = hash
                        expected += 1
                        entry = try cursor.move(MDB_NEXT)
                        continue
                    }
                    guard record.position == position else {
                        _ = fail(position, "the record says it is at position \(record.position)")
                        return
                    }
                    let version = (streamVersions[record.stream] ?? 0) + 1
                    guard record.streamVersion == version else {
                        _ = fail(position, "stream \(record.stream) jumps to version \(record.streamVersion) where \(version) was due")
                        return
                    }
                    streamVersions[record.stream] = version
                    guard record.recordedAt >= previousRecordedAt else {
                        _ = fail(position, "recordedAt goes back in time")
                        return
                    }
                    if let sourceRecordedAt = record.sourceRecordedAt {
                        guard sourceRecordedAt <= record.recordedAt else {
                            _ = fail(position, "sourceRecordedAt is later than recordedAt (a source cannot have recorded it after the ledger did)")
                            return
                        }
                        guard ledgerFormat >= 2 else {
                            _ = fail(position, "the record is of format 2 but the ledger's format-version says 1")
                            return
                        }
                    }
                    let indexed = try Keys.stream(record.stream, version: version).withUnsafeBytes {
                        try txn.get(databases.streams, $0).flatMap(Keys.position)
                    }
                    guard indexed == position else {
                        _ = fail(position, "the stream index does not point \(record.stream) version \(version) at this record")
                        return
                    }
                    guard try AppendTransaction.position(ofEvent: record.id, in: txn, databases) == position else {
                        _ = fail(position, "the event-id index does not point \(record.id.lowercasedString) at this record")
                        return
                    }
                    previousHash = hash
                    previousRecordedAt = record.recordedAt
                    if treeIntact {
                        treeIntact = try MerkleStorage.checkNodes(leaf: Merkle.leafHash(value), index: UInt64(checked), stack: &tree, in: txn, databases)
                    }
                    checked += 1
                    expected += 1
                    if checked % 100_000 == 0 { progress?(checked) }
                    entry = try cursor.move(MDB_NEXT)
                }
            }
            let head = try AppendTransaction.head(in: txn, databases)
            if problem == nil, let suspected = suspect {
                // The last link was broken: compare the last record with the stored chain head.
                _ = fail(head.hash == previousHash ? suspected : suspected + 1,
                         "the record's bytes do not match the hash chain (it was altered after it was written)")
            }
            if problem == nil, head.position != UInt64(checked) || head.hash != previousHash {
                _ = fail(UInt64(checked), head.position != UInt64(checked)
                    ? "the stored chain head says position \(head.position) but the log ends at \(checked)"
                    : "the last record's hash does not match the stored chain head (it was altered after it was written)")
            }
            if problem == nil {
                let streamEntries = try txn.count(databases.streams)
                let idEntries = try txn.count(databases.ids)
                if streamEntries != checked {
                    _ = fail(0, "the stream index has \(streamEntries) entries for \(checked) events")
                } else if idEntries != checked {
                    _ = fail(0, "the event-id index has \(idEntries) entries for \(checked) events")
                }
            }
            if problem == nil {
                let nodes = try txn.count(databases.merkle)
                let expectedNodes = 2 * checked - checked.nonzeroBitCount
                if !treeIntact {
                    _ = fail(0, "the stored Merkle tree does not match the records (its hashes were altered)")
                } else if nodes != expectedNodes {
                    _ = fail(0, "the Merkle tree holds \(nodes) nodes where \(checked) events make \(expectedNodes)")
                }
            }
            return VerificationReport(
                eventsChecked: checked,
                head: LedgerHead(position: UInt64(checked), hash: previousHash, recordedAt: previousRecordedAt),
                problem: problem)
        }
    }
}
