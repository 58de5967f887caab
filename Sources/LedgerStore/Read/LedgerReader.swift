import CLMDB
public import LedgerModel
public import Foundation

/// A consistent, read-only view of the ledger, valid inside ``Ledger/read(_:)``.
///
/// Scans walk LMDB cursors over the memory map and decode one record at a time, so memory stays
/// flat however large the ledger is.
public struct LedgerReader: ~Copyable {
    let txn: Transaction
    let databases: Environment.Databases

    /// The last record's position, hash and recorded-at time.
    public func head() throws -> LedgerHead {
        try AppendTransaction.head(in: txn, databases)
    }

    /// The number of events in the ledger.
    public func eventCount() throws -> Int {
        try txn.count(databases.log)
    }

    /// The event at a global position.
    public func event(at position: UInt64) throws -> RecordedEvent? {
        guard let bytes = try Keys.withPosition(position, { try txn.get(databases.log, $0) }) else { return nil }
        return try Self.decode(bytes, at: position)
    }

    /// The event with this id.
    public func event(id: UUID) throws -> RecordedEvent? {
        guard let position = try AppendTransaction.position(ofEvent: id, in: txn, databases) else { return nil }
        return try event(at: position)
    }

    /// The number of events in a stream; 0 when there is no such stream.
    public func version(ofStream stream: String) throws -> UInt64 {
        try AppendTransaction.currentVersion(of: stream, in: txn, databases)
    }

    /// Calls `body` with every event from `position` on, in log order, until it returns false.
    public func forEachEvent(from position: UInt64 = 1, _ body: (RecordedEvent) throws -> Bool) throws {
        try forEachRecord(from: position) { position, bytes in
            try body(try Self.decode(bytes, at: position))
        }
    }

    /// Calls `body` with every record from `position` on, in log order, read in place, until it
    /// returns false. The views point into the memory map: they stay valid until the read ends
    /// (the closure given to ``Ledger/read(_:)`` returns), so a scan may keep them and decode the
    /// events later, on other threads. For the store and the projection engine only (`package`):
    /// a view that outlived its read would point at reused pages.
    package func forEachRecordView(from position: UInt64 = 1, _ body: (RecordView) throws -> Bool) throws {
        try forEachRecord(from: position) { position, bytes in
            try body(try Self.view(bytes, at: position))
        }
    }

    /// Calls `body` with every record of a stream from `version` on, read in place (see
    /// ``forEachRecordView(from:_:)``), until it returns false.
    package func forEachRecordView(inStream stream: String, fromVersion version: UInt64 = 1, _ body: (RecordView) throws -> Bool) throws {
        try txn.withCursor(databases.streams) { cursor in
            var entry = try Keys.stream(stream, version: version).withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
            while let current = entry, Keys.version(in: current.key, ofStream: stream) != nil {
                guard let position = Keys.position(current.value),
                    let bytes = try Keys.withPosition(position, { try txn.get(databases.log, $0) })
                else {
                    throw LedgerError(.corrupt, "the stream index of \(stream) points at a missing event", detail: .damagedLog)
                }
                guard try body(try Self.view(bytes, at: position)) else { return }
                entry = try cursor.move(MDB_NEXT)
            }
        }
    }

    /// Calls `body` with the stored bytes of every record from `position` on, until it returns false.
    /// The bytes are a view into the memory map, valid until the read ends (`package`, as the views).
    package func forEachRecord(from position: UInt64 = 1, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool) throws {
        try txn.withCursor(databases.log) { cursor in
            var entry = try Keys.withPosition(position) { try cursor.move(MDB_SET_RANGE, key: $0) }
            while let current = entry {
                guard let key = Keys.position(current.key) else {
                    throw LedgerError(.corrupt, "a log key is not 8 bytes long", detail: .damagedLog)
                }
                guard try body(key, current.value) else { return }
                entry = try cursor.move(MDB_NEXT)
            }
        }
    }

    /// Calls `body` with the events of one stream from `version` on, in stream order, until it
    /// returns false. The cost follows the stream's size, not the ledger's.
    public func forEachEvent(inStream stream: String, fromVersion version: UInt64 = 1, _ body: (RecordedEvent) throws -> Bool) throws {
        try forEachRecordView(inStream: stream, fromVersion: version) { try body(try $0.event()) }
    }

    /// The events of one stream from `version` on, in stream order, at most `limit` of them.
    public func events(inStream stream: String, fromVersion version: UInt64 = 1, limit: Int = .max) throws -> [RecordedEvent] {
        var events = [RecordedEvent]()
        guard limit > 0 else { return events }
        try forEachEvent(inStream: stream, fromVersion: max(version, 1)) { event in
            events.append(event)
            return events.count < limit
        }
        return events
    }

    /// The ledger's on-disk format (`format-version` in `meta`).
    func formatVersion() throws -> UInt32? {
        try AppendTransaction.formatVersion(in: txn, databases)
    }

    func ledgerID() throws -> UUID? {
        guard let bytes = try Keys.Meta.ledgerID.withUnsafeBytes({ try txn.get(databases.meta, $0) }), bytes.count == 16 else {
            return nil
        }
        return UUID(uuid: bytes.loadUnaligned(as: uuid_t.self))
    }

    func createdAt() throws -> Timestamp? {
        guard let bytes = try Keys.Meta.createdAt.withUnsafeBytes({ try txn.get(databases.meta, $0) }), bytes.count == 8 else {
            return nil
        }
        return Timestamp(microsecondsSinceEpoch: Int64(bigEndian: bytes.loadUnaligned(as: Int64.self)))
    }

    static func view(_ bytes: UnsafeRawBufferPointer, at position: UInt64) throws(LedgerError) -> RecordView {
        do {
            return try RecordView(bytes)
        } catch {
            throw LedgerError(.corrupt, "the record at position \(position) cannot be read: \(error.reason)", detail: .damagedLog, cause: error)
        }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, at position: UInt64) throws(LedgerError) -> RecordedEvent {
        do {
            return try RecordCodec.decode(bytes)
        } catch {
            throw LedgerError(.corrupt, "the record at position \(position) cannot be read: \(error.reason)", detail: .damagedLog, cause: error)
        }
    }
}

extension RecordView {
    /// The whole event; a record that cannot be decoded is reported as damage to the ledger.
    public func event() throws(LedgerError) -> RecordedEvent {
        try LedgerReader.decode(bytes, at: position)
    }
}
