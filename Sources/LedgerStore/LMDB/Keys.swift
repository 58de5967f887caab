/// How the ledger's keys are laid out in LMDB. All integers are big-endian so that LMDB's
/// byte-wise key order is numeric order.
enum Keys {
    /// The log key of a position.
    static func withPosition<Result>(_ position: UInt64, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(of: position.bigEndian, body)
    }

    static func position(_ key: UnsafeRawBufferPointer) -> UInt64? {
        guard key.count == 8 else { return nil }
        return UInt64(bigEndian: key.loadUnaligned(as: UInt64.self))
    }

    /// The stream-index key: stream id ‖ 0x00 ‖ version. Stream ids hold no control characters, so
    /// 0x00 ends the id and all of one stream's keys sort together, by version.
    static func stream(_ stream: String, version: UInt64) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(stream.utf8.count + 9)
        key.append(contentsOf: stream.utf8)
        key.append(0)
        withUnsafeBytes(of: version.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    /// The first key after every key of `stream`.
    static func streamUpperBound(_ stream: String) -> [UInt8] {
        var key = Array(stream.utf8)
        key.append(1)
        return key
    }

    /// The version in a stream-index key, if the key belongs to `stream`.
    static func version(in key: UnsafeRawBufferPointer, ofStream stream: String) -> UInt64? {
        let prefix = stream.utf8
        guard key.count == prefix.count + 9, key[prefix.count] == 0,
            key.prefix(prefix.count).elementsEqual(prefix)
        else { return nil }
        return UInt64(bigEndian: key.loadUnaligned(fromByteOffset: prefix.count + 1, as: UInt64.self))
    }

    /// Metadata keys.
    enum Meta {
        static let formatVersion = Array("format-version".utf8)
        static let ledgerID = Array("ledger-id".utf8)
        static let createdAt = Array("created-at".utf8)
        /// position ‖ hash of that record ‖ its recordedAt.
        static let head = Array("head".utf8)
        /// The last tree head handed out for signing: tree size (8 bytes) ‖ root hash (32 bytes).
        static let signedTreeHead = Array("signed-tree-head".utf8)
        /// For a mirror: the shared log it copies (UTF-8, never with a password).
        static let mirrorOf = Array("mirror-of".utf8)
    }
}
