import Foundation

/// The stored byte form of an event, which is also its canonical encoding: the bytes the hash
/// chain is computed over. `docs/record-format.md` specifies it for other programs.
///
/// An event without `sourceRecordedAt` is written in record format 1, byte for byte as before
/// format 2 existed; one with it in format 2: format 1's fields with the version byte 2 and 8
/// bytes more at the end (`sourceRecordedAt`, microseconds since the Unix epoch, signed).
///
/// All integers are big-endian. Strings are UTF-8 preceded by their length.
///
/// | bytes | field |
/// |---|---|
/// | 1  | record format version (1) |
/// | 8  | position |
/// | 8  | stream version |
/// | 16 | event id (UUID bytes) |
/// | 32 | hash of the previous record |
/// | 8  | occurredAt, microseconds since the Unix epoch (signed) |
/// | 8  | recordedAt, microseconds since the Unix epoch (signed) |
/// | 2  | schema version |
/// | 1  | actor kind (1 person, 2 tool, 3 system) |
/// | 2+n | stream id |
/// | 2+n | type |
/// | 2+n | actor id |
/// | 2+n | source |
/// | 2+n | correlation id (length 0: none) |
/// | 2+n | causation id (length 0: none) |
/// | 4+n | payload, canonical JSON text |
/// | 8  | format 2 only: sourceRecordedAt, microseconds since the Unix epoch (signed) |
///
/// Decoding avoids Foundation's JSON machinery entirely: it is a handful of unaligned loads and
/// string copies, which is what lets a full replay run at millions of events a second.
public enum RecordCodec {
    /// The record format of events without `sourceRecordedAt`.
    public static let formatVersion: UInt8 = 1
    /// The record format of events with `sourceRecordedAt`: format 1 and that time at the end.
    public static let sourceRecordedFormatVersion: UInt8 = 2
    /// The record formats this build reads.
    public static let readableFormats: ClosedRange<UInt8> = 1...2
    /// Bytes before the first string field.
    static let fixedHeaderBytes = 1 + 8 + 8 + 16 + 32 + 8 + 8 + 2 + 1

    /// Encodes an event at the place the ledger assigned to it.
    public static func encode(_ event: RecordedEvent) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(fixedHeaderBytes + 64 + event.stream.utf8.count + event.type.utf8.count
            + event.actor.id.utf8.count + event.payload.canonicalBytes.count)
        out.append(event.sourceRecordedAt == nil ? formatVersion : sourceRecordedFormatVersion)
        appendInteger(event.position, to: &out)
        appendInteger(event.streamVersion, to: &out)
        withUnsafeBytes(of: event.id.uuid) { out.append(contentsOf: $0) }
        event.previousHash.append(to: &out)
        appendInteger(UInt64(bitPattern: event.occurredAt.microsecondsSinceEpoch), to: &out)
        appendInteger(UInt64(bitPattern: event.recordedAt.microsecondsSinceEpoch), to: &out)
        appendInteger(event.schemaVersion, to: &out)
        out.append(event.actor.kind.rawValue)
        appendString(event.stream, to: &out)
        appendString(event.type, to: &out)
        appendString(event.actor.id, to: &out)
        appendString(event.source, to: &out)
        appendString(event.correlationID ?? "", to: &out)
        appendString(event.causationID ?? "", to: &out)
        appendInteger(UInt32(event.payload.canonicalBytes.count), to: &out)
        out.append(contentsOf: event.payload.canonicalBytes)
        if let sourceRecordedAt = event.sourceRecordedAt {
            appendInteger(UInt64(bitPattern: sourceRecordedAt.microsecondsSinceEpoch), to: &out)
        }
        return out
    }

    /// The record of `event` in `stream` with the four fields the writer assigns left zero:
    /// position, stream version, previous hash and recordedAt. They sit at fixed offsets, so the
    /// writer fills them in with ``assign(_:position:streamVersion:previousHash:recordedAt:)`` and
    /// the costly part of encoding runs on the caller's task, not on the single writer thread.
    public static func template(_ event: ProposedEvent, stream: String) -> [UInt8] {
        encode(RecordedEvent(
            position: 0, stream: stream, streamVersion: 0, recordedAt: Timestamp(microsecondsSinceEpoch: 0),
            previousHash: .zero, event: event))
    }

    /// Fills in the fields the writer assigns, in a record made by ``template(_:stream:)``.
    public static func assign(
        _ record: inout [UInt8], position: UInt64, streamVersion: UInt64, previousHash: Hash256, recordedAt: Timestamp
    ) {
        record.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: position.bigEndian, toByteOffset: 1, as: UInt64.self)
            raw.storeBytes(of: streamVersion.bigEndian, toByteOffset: 9, as: UInt64.self)
            previousHash.withUnsafeBytes { hash in
                UnsafeMutableRawBufferPointer(rebasing: raw[33..<65]).copyMemory(from: hash)
            }
            raw.storeBytes(of: recordedAt.microsecondsSinceEpoch.bigEndian, toByteOffset: 73, as: Int64.self)
        }
    }

    /// Why stored bytes are not a record this build can read.
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Reads only the position field, for checks that need nothing else.
    public static func position(of record: UnsafeRawBufferPointer) -> UInt64? {
        guard record.count >= 9 else { return nil }
        return UInt64(bigEndian: record.loadUnaligned(fromByteOffset: 1, as: UInt64.self))
    }

    /// The times a record may hold: those an RFC 3339 timestamp can spell (``Timestamp/writable``).
    static let writableTimes = Timestamp.writable

    /// Decodes a stored record.
    public static func decode(_ record: UnsafeRawBufferPointer) throws(DecodingError) -> RecordedEvent {
        guard record.count >= fixedHeaderBytes else { throw DecodingError(reason: "the record is shorter than its fixed header") }
        try checkFormat(record[0])
        var reader = Reader(bytes: record, offset: 1)
        let position = reader.uint64()
        let streamVersion = reader.uint64()
        let id = reader.uuid()
        let previousHash = Hash256(bytes: record, offset: reader.offset)
        reader.offset += 32
        let occurredAt = Timestamp(microsecondsSinceEpoch: Int64(bitPattern: reader.uint64()))
        let recordedAt = Timestamp(microsecondsSinceEpoch: Int64(bitPattern: reader.uint64()))
        // A damaged time outside the years RFC 3339 can write (0001–9999) is refused here, never printed.
        guard Self.writableTimes.contains(occurredAt.microsecondsSinceEpoch), Self.writableTimes.contains(recordedAt.microsecondsSinceEpoch) else {
            throw DecodingError(reason: "a time lies outside the years 0001 to 9999")
        }
        let schemaVersion = reader.uint16()
        guard let actorKind = Actor.Kind(rawValue: reader.uint8()) else { throw DecodingError(reason: "unknown actor kind") }
        guard let stream = reader.string(), let type = reader.string(), let actorID = reader.string(),
            let source = reader.string(), let correlation = reader.string(), let causation = reader.string(),
            let payload = reader.payload()
        else { throw DecodingError(reason: "a length field runs past the end of the record") }
        var sourceRecordedAt: Timestamp?
        if record[0] == sourceRecordedFormatVersion {
            guard reader.offset + 8 <= record.count else { throw DecodingError(reason: "the record ends before its sourceRecordedAt") }
            let time = Timestamp(microsecondsSinceEpoch: Int64(bitPattern: reader.uint64()))
            guard Self.writableTimes.contains(time.microsecondsSinceEpoch) else {
                throw DecodingError(reason: "a time lies outside the years 0001 to 9999")
            }
            sourceRecordedAt = time
        }
        guard reader.offset == record.count else { throw DecodingError(reason: "the record has bytes after its last field") }
        return RecordedEvent(
            position: position, stream: stream, streamVersion: streamVersion, id: id, type: type,
            schemaVersion: schemaVersion, occurredAt: occurredAt, recordedAt: recordedAt, sourceRecordedAt: sourceRecordedAt,
            actor: Actor(kind: actorKind, id: actorID), source: source,
            correlationID: correlation.isEmpty ? nil : correlation, causationID: causation.isEmpty ? nil : causation,
            payload: Payload(uncheckedCanonicalBytes: payload), previousHash: previousHash)
    }

    /// Refuses a record format this build does not read.
    static func checkFormat(_ version: UInt8) throws(DecodingError) {
        guard readableFormats.contains(version) else {
            throw DecodingError(reason: "record format \(version) is not one this build reads (it reads \(readableFormats.lowerBound) to \(readableFormats.upperBound))")
        }
    }

    private static func appendInteger<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }

    private static func appendString(_ value: String, to out: inout [UInt8]) {
        let utf8 = value.utf8
        appendInteger(UInt16(utf8.count), to: &out)
        out.append(contentsOf: utf8)
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset: Int

        mutating func uint8() -> UInt8 {
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func uint16() -> UInt16 {
            defer { offset += 2 }
            return UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
        }

        mutating func uint64() -> UInt64 {
            defer { offset += 8 }
            return UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }

        mutating func uuid() -> UUID {
            defer { offset += 16 }
            return UUID(uuid: bytes.loadUnaligned(fromByteOffset: offset, as: uuid_t.self))
        }

        mutating func string() -> String? {
            guard offset + 2 <= bytes.count else { return nil }
            let length = Int(uint16())
            guard offset + length <= bytes.count else { return nil }
            defer { offset += length }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
        }

        mutating func payload() -> [UInt8]? {
            guard offset + 4 <= bytes.count else { return nil }
            let length = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4
            guard offset + length <= bytes.count else { return nil }
            defer { offset += length }
            return [UInt8](UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]))
        }
    }
}
