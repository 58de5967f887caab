/// A stored record read in place: the few envelope fields a scan sorts events by (position,
/// stream, type), read at their offsets without decoding the rest. ``decode()`` gives the whole
/// event when it is wanted, so a scan can hand the decoding to other cores.
///
/// The view borrows the stored bytes: it is valid only as long as they are (inside the read that
/// produced it). It is `Sendable` because those bytes are a read-only snapshot: several threads
/// may read them at once within that read.
public struct RecordView: @unchecked Sendable {
    /// The whole stored record.
    public let bytes: UnsafeRawBufferPointer
    /// Where the stream id's and the type's UTF-8 bytes lie.
    private let streamStart: Int
    private let typeStart: Int

    /// Checks the record's format and the first two length fields; everything else is checked by
    /// ``decode()``.
    public init(_ bytes: UnsafeRawBufferPointer) throws(RecordCodec.DecodingError) {
        guard bytes.count >= RecordCodec.fixedHeaderBytes + 4 else {
            throw RecordCodec.DecodingError(reason: "the record is shorter than its fixed header")
        }
        try RecordCodec.checkFormat(bytes[0])
        self.bytes = bytes
        streamStart = RecordCodec.fixedHeaderBytes + 2
        typeStart = streamStart + Self.length(bytes, before: streamStart) + 2
        guard typeStart <= bytes.count, typeStart + Self.length(bytes, before: typeStart) <= bytes.count else {
            throw RecordCodec.DecodingError(reason: "a length field runs past the end of the record")
        }
    }

    private static func length(_ bytes: UnsafeRawBufferPointer, before offset: Int) -> Int {
        Int(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset - 2, as: UInt16.self)))
    }

    public var position: UInt64 { UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt64.self)) }

    public var streamVersion: UInt64 { UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 9, as: UInt64.self)) }

    /// The stream (incident) id.
    public var stream: String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[streamStart..<streamStart + Self.length(bytes, before: streamStart)]), as: UTF8.self)
    }

    /// Whether the event is of this type, compared byte for byte without decoding the type.
    public func hasType(_ type: String) -> Bool {
        let stored = UnsafeRawBufferPointer(rebasing: bytes[typeStart..<typeStart + Self.length(bytes, before: typeStart)])
        var type = type
        return type.withUTF8 { $0.count == stored.count && $0.elementsEqual(stored) }
    }

    /// The whole event.
    public func decode() throws(RecordCodec.DecodingError) -> RecordedEvent {
        try RecordCodec.decode(bytes)
    }
}
