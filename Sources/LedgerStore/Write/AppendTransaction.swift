import CLMDB
import Foundation
import LedgerModel

/// One `StreamAppend` with its records already encoded on the caller's task (see
/// `RecordCodec.template`); the writer (of either store) only fills in the fields it assigns.
package struct PreparedAppend: Sendable {
    package var request: StreamAppend
    package var records: [[UInt8]]

    package init(_ request: StreamAppend) {
        self.request = request
        records = request.events.map { RecordCodec.template($0, stream: request.stream) }
    }
}

/// The work of one group-commit transaction: every submission that arrived together, each applied
/// in a nested transaction so that one refused submission leaves the others intact.
struct AppendTransaction {
    let environment: Environment
    let recordedAt: Timestamp

    typealias Outcome = Result<[AppendResult], LedgerError>

    /// Applies `submissions` in order inside `txn`. A refused submission gives a failure and writes
    /// nothing; a storage failure is thrown and fails the whole transaction.
    func apply(_ submissions: [[PreparedAppend]], in txn: borrowing Transaction) throws -> [Outcome] {
        let databases = environment.databases
        var head = try Self.head(in: txn, databases)
        let startHead = head
        // The tree must cover the log before new leaves join it (a ledger an older build appended to).
        _ = try MerkleStorage.catchUp(to: head, in: txn, databases)
        let recordedAt = max(recordedAt, head.recordedAt)
        // Stream versions seen in this transaction, so a stream appended to many times is looked up once.
        var versions = [String: UInt64]()
        var outcomes = [Outcome]()
        outcomes.reserveCapacity(submissions.count)
        for submission in submissions {
            do {
                var localHead = head
                var localVersions = versions
                let results = try environment.nested(in: txn) { child in
                    try submission.map { try append($0, in: child, head: &localHead, versions: &localVersions, recordedAt: recordedAt) }
                }
                head = localHead
                versions = localVersions
                outcomes.append(.success(results))
            } catch let refusal as LedgerError {
                outcomes.append(.failure(refusal))
            }
        }
        if head != startHead {
            try txn.put(databases.meta, Keys.Meta.head, head.encoded)
            let written = zip(submissions, outcomes).flatMap { submission, outcome -> [[UInt8]] in
                guard case .success(let results) = outcome, !results.contains(where: \.alreadyRecorded) else { return [] }
                return submission.flatMap(\.records)
            }
            try Self.noteFormat(ofRecordsWritten: written, in: txn, databases)
        }
        return outcomes
    }

    /// The ledger's `format-version`, nil when it has none.
    static func formatVersion(in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> UInt32? {
        try Keys.Meta.formatVersion.withUnsafeBytes { key in
            guard let bytes = try txn.get(databases.meta, key), bytes.count == 4 else { return nil }
            return UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self))
        }
    }

    static func head(in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> LedgerHead {
        guard let bytes = try Keys.Meta.head.withUnsafeBytes({ key in try txn.get(databases.meta, key) }) else {
            return .empty
        }
        guard let head = LedgerHead(encoded: bytes) else {
            throw LedgerError(.corrupt, "the ledger's chain head record is damaged", detail: .damagedLog)
        }
        return head
    }

    /// The number of events in `stream` (0 when there are none).
    static func currentVersion(of stream: String, in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> UInt64 {
        try txn.withCursor(databases.streams) { cursor in
            let bound = Keys.streamUpperBound(stream)
            let after = try bound.withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
            let candidate = after == nil ? try cursor.move(MDB_LAST) : try cursor.move(MDB_PREV)
            guard let candidate else { return 0 }
            return Keys.version(in: candidate.key, ofStream: stream) ?? 0
        }
    }

    private func append(
        _ prepared: PreparedAppend, in txn: borrowing Transaction, head: inout LedgerHead, versions: inout [String: UInt64],
        recordedAt: Timestamp
    ) throws -> AppendResult {
        let databases = environment.databases
        let request = prepared.request
        guard let first = request.events.first else {
            throw LedgerError.emptyAppend(to: request.stream)
        }
        let current = try versions[request.stream] ?? Self.currentVersion(of: request.stream, in: txn, databases)
        guard request.expectedVersion.admits(currentVersion: current) else {
            // A retry of an append that already landed finds its stream moved on: recognise it.
            if let existing = try Self.position(ofEvent: first.id, in: txn, databases) {
                return try retry(request, firstPosition: existing, in: txn)
            }
            throw LedgerError.wrongExpectedVersion(stream: request.stream, current: current, expected: request.expectedVersion)
        }
        let firstPosition = head.position + 1
        var version = current
        var records = prepared.records
        for index in records.indices {
            let event = request.events[index]
            let position = head.position + 1
            // The id goes in first: a reused id is found before anything else of the event is written.
            let isNew = try withUnsafeBytes(of: event.id.uuid) { idKey in
                try Keys.withPosition(position) { try txn.insert(databases.ids, idKey, $0) }
            }
            guard isNew else {
                if index == 0, let existing = try Self.position(ofEvent: event.id, in: txn, databases) {
                    return try retry(request, firstPosition: existing, in: txn)
                }
                throw LedgerError.duplicateEventID(event.id)
            }
            try StreamAppend.validateSourceRecordedAt(event, recordedAt: recordedAt)
            version += 1
            RecordCodec.assign(&records[index], position: position, streamVersion: version, previousHash: head.hash, recordedAt: recordedAt)
            try Self.write(records[index], at: position, stream: request.stream, version: version, in: txn, databases)
            head = LedgerHead(position: position, hash: Hash256.sha256(records[index]), recordedAt: recordedAt)
        }
        versions[request.stream] = version
        return AppendResult(stream: request.stream, positions: firstPosition...head.position, streamVersion: version, alreadyRecorded: false)
    }

    /// Writes a record whose id is indexed already: the log at `position`, the stream index, and the
    /// leaf of the Merkle tree, in the same transaction, so that tree and log never disagree.
    static func write(
        _ record: [UInt8], at position: UInt64, stream: String, version: UInt64, in txn: borrowing Transaction, _ databases: Environment.Databases
    ) throws {
        try Keys.withPosition(position) { positionBytes in
            try txn.withCursor(databases.log) { cursor in
                try record.withUnsafeBytes { try cursor.put(positionBytes, $0, flags: MDB_APPEND) }
            }
            try Keys.stream(stream, version: version).withUnsafeBytes { streamKey in
                try txn.put(databases.streams, streamKey, positionBytes)
            }
        }
        try record.withUnsafeBytes { record in
            try MerkleStorage.append(leaf: Merkle.leafHash(record), index: position - 1, in: txn, databases)
        }
    }

    /// Makes the ledger format 2 when a record of format 2 was written to a ledger of format 1 (see
    /// `Ledger.formatVersion`).
    static func noteFormat(ofRecordsWritten records: some Sequence<[UInt8]>, in txn: borrowing Transaction, _ databases: Environment.Databases) throws {
        guard records.contains(where: { $0.first == RecordCodec.sourceRecordedFormatVersion }) else { return }
        if try formatVersion(in: txn, databases) ?? Ledger.initialFormatVersion < Ledger.formatVersion {
            try txn.put(databases.meta, Keys.Meta.formatVersion, withUnsafeBytes(of: Ledger.formatVersion.bigEndian) { Array($0) })
        }
    }

    /// An append whose first event is already recorded succeeds only as an exact retry: the same
    /// events, at the same place of the same stream, under a compatible expectation.
    private func retry(_ request: StreamAppend, firstPosition: UInt64, in txn: borrowing Transaction) throws -> AppendResult {
        let databases = environment.databases
        var firstVersion: UInt64 = 0
        for (offset, event) in request.events.enumerated() {
            let position = firstPosition + UInt64(offset)
            let stored = try Keys.withPosition(position) { try txn.get(databases.log, $0) }
            guard let stored, let recorded = try? RecordCodec.decode(stored),
                try Self.position(ofEvent: event.id, in: txn, databases) == position,
                recorded.stream == request.stream, recorded.proposed == event
            else {
                throw LedgerError.notAnExactRetry(request, firstPosition: firstPosition)
            }
            if offset == 0 { firstVersion = recorded.streamVersion }
        }
        return try request.retried(at: firstPosition, firstVersion: firstVersion)
    }

    static func position(ofEvent id: UUID, in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> UInt64? {
        try withUnsafeBytes(of: id.uuid) { key in
            try txn.get(databases.ids, key).flatMap(Keys.position)
        }
    }
}
