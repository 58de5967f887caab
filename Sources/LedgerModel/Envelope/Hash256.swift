import Crypto

/// A SHA-256 digest: the link of the ledger's hash chain.
///
/// Held inline (four machine words, no allocation) because every stored record carries one.
public struct Hash256: Sendable, Hashable, CustomStringConvertible {
    private var storage: (UInt64, UInt64, UInt64, UInt64)

    /// The 32 zero bytes that stand before the first record of every ledger.
    public static let zero = Hash256(storage: (0, 0, 0, 0))

    private init(storage: (UInt64, UInt64, UInt64, UInt64)) {
        self.storage = storage
    }

    /// Reads 32 bytes starting at `offset`.
    public init(bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        precondition(offset + 32 <= bytes.count, "a hash needs 32 bytes")
        storage = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &storage) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 32]))
        }
    }

    /// Parses 64 hexadecimal digits.
    public init?(hex: String) {
        var hex = hex
        guard let hash = hex.withUTF8({ Hash256(hex: $0) }) else { return nil }
        self = hash
    }

    /// Reads 64 hexadecimal digits from UTF-8 bytes.
    public init?(hex digits: UnsafeBufferPointer<UInt8>) {
        guard digits.count == 64 else { return nil }
        var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let parsed = Swift.withUnsafeMutableBytes(of: &storage) { out -> Bool in
            for index in 0..<32 {
                guard let high = Self.nibble(digits[2 * index]), let low = Self.nibble(digits[2 * index + 1]) else { return false }
                out[index] = high << 4 | low
            }
            return true
        }
        guard parsed else { return nil }
        self.init(storage: storage)
    }

    /// The SHA-256 digest of `bytes`.
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> Hash256 {
        // update(bufferPointer:) skips the generic DataProtocol path, which costs about as much as the hash.
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return hasher.finalize().withUnsafeBytes { Hash256(bytes: $0) }
    }

    /// The SHA-256 digest of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> Hash256 {
        bytes.withUnsafeBytes { sha256($0) }
    }

    /// Calls `body` with the 32 bytes of the digest.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    /// Appends the 32 bytes to `out`.
    public func append(to out: inout [UInt8]) {
        withUnsafeBytes { out.append(contentsOf: $0) }
    }

    /// Lower-case hexadecimal, 64 digits.
    public var hex: String {
        var out = [UInt8]()
        out.reserveCapacity(64)
        writeHex(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``hex`` to `out` without making a string.
    public func writeHex(into out: inout [UInt8]) {
        withUnsafeBytes { raw in
            for byte in raw {
                out.append(Self.hexDigit(byte >> 4))
                out.append(Self.hexDigit(byte & 0x0F))
            }
        }
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    public var description: String { hex }

    public static func == (lhs: Hash256, rhs: Hash256) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }

    static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
