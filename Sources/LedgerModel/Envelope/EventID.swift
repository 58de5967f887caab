public import Foundation

extension UUID {
    /// A new version 7 UUID: 48 bits of Unix milliseconds, then random bits.
    ///
    /// The ledger gives events without an id a version 7 UUID because ids that rise with time are
    /// appended near the end of the event-id index instead of at random places in it.
    public static func version7(at time: Timestamp = .now()) -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        let milliseconds = UInt64(max(0, time.microsecondsSinceEpoch / 1000))
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(index))) }
        for index in 6..<16 { bytes[index] = generator.next() }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// The lower-case textual form (RFC 9562 recommends lower case for output).
    ///
    /// Written digit by digit rather than through `uuidString` (formatted with printf) and
    /// `lowercased()`: exports print one per event.
    public var lowercasedString: String {
        var out = [UInt8]()
        out.reserveCapacity(36)
        writeLowercased(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``lowercasedString`` to `out` without making a string.
    public func writeLowercased(into out: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { raw in
            for (offset, byte) in raw.enumerated() {
                if offset == 4 || offset == 6 || offset == 8 || offset == 10 { out.append(UInt8(ascii: "-")) }
                out.append(Hash256.hexDigit(byte >> 4))
                out.append(Hash256.hexDigit(byte & 0x0F))
            }
        }
    }

    /// Reads the textual form (`8-4-4-4-12` hexadecimal digits, either case) from UTF-8 bytes,
    /// without `UUID(uuidString:)`, which goes through `sscanf`: an export verifier reads one per line.
    public init?(text: UnsafeBufferPointer<UInt8>) {
        guard text.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var index = 0
            for offset in 0..<16 {
                if offset == 4 || offset == 6 || offset == 8 || offset == 10 {
                    guard text[index] == UInt8(ascii: "-") else { return false }
                    index += 1
                }
                guard let high = Hash256.nibble(text[index]), let low = Hash256.nibble(text[index + 1]) else { return false }
                out[offset] = high << 4 | low
                index += 2
            }
            return true
        }
        guard parsed else { return nil }
        self.init(uuid: bytes)
    }
}
