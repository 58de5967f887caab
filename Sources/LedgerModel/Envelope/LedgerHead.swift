/// The chain head: the last record's position, hash and recorded-at time.
public struct LedgerHead: Sendable, Hashable {
    public var position: UInt64
    public var hash: Hash256
    public var recordedAt: Timestamp

    /// The head of an empty ledger.
    public static let empty = LedgerHead(position: 0, hash: .zero, recordedAt: Timestamp(microsecondsSinceEpoch: .min))

    package static let encodedSize = 48

    package init(position: UInt64, hash: Hash256, recordedAt: Timestamp) {
        self.position = position
        self.hash = hash
        self.recordedAt = recordedAt
    }

    /// The head of a log whose last record is `event`, encoded as `record`.
    package init(last event: RecordedEvent, record: [UInt8]) {
        self.init(position: event.position, hash: Hash256.sha256(record), recordedAt: event.recordedAt)
    }

    /// Whether `event` may follow this head in a log: it stands at the next position and links to
    /// this head's hash. (Copies of another log — a mirror's, a migration's — check each record so.)
    package func isFollowed(by event: RecordedEvent) -> Bool {
        event.position == position + 1 && event.previousHash == hash
    }

    package init?(encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.encodedSize else { return nil }
        position = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
        hash = Hash256(bytes: bytes, offset: 8)
        recordedAt = Timestamp(microsecondsSinceEpoch: Int64(bigEndian: bytes.loadUnaligned(fromByteOffset: 40, as: Int64.self)))
    }

    package var encoded: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Self.encodedSize)
        withUnsafeBytes(of: position.bigEndian) { out.append(contentsOf: $0) }
        hash.append(to: &out)
        withUnsafeBytes(of: recordedAt.microsecondsSinceEpoch.bigEndian) { out.append(contentsOf: $0) }
        return out
    }
}
