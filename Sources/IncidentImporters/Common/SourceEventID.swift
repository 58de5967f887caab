public import Foundation
import Crypto

/// Event ids derived from the source's own identifiers, so that importing the same record again
/// yields the same ids and the store recognises the append as a retry.
public enum SourceEventID {
    /// A version 8 UUID from the first 16 bytes of SHA-256 of `name` (UTF-8).
    public static func make(_ name: String) -> UUID {
        let digest = Array(SHA256.hash(data: Array(name.utf8)))
        var bytes = Array(digest.prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
