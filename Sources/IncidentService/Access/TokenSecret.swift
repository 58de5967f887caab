import Foundation
import LedgerModel

/// A secret (an access token's, a webhook receiver's): made from 256 random bits, stored only as its
/// SHA-256 where it need only be compared, and compared in constant time.
enum TokenSecret {
    /// What every secret starts with, so that it is recognised where it should not be (a log, a
    /// commit) and told apart from other credentials.
    static let prefix = "il_"

    /// A new secret: `prefix` (a token's by default) and 32 bytes from the system's generator in
    /// base64url, unpadded, so it can stand in a URL.
    static func make(prefix: String = prefix) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        for _ in 0..<4 {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        let base64 = Data(bytes).base64EncodedString()
        return prefix + base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A new public id: 12 hexadecimal digits (48 random bits), not one of `taken`.
    static func makeID(avoiding taken: Set<String>) -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            let id = String((generator.next() as UInt64) & 0xFFFF_FFFF_FFFF, radix: 16)
            let padded = String(repeating: "0", count: 12 - id.count) + id
            if !taken.contains(padded) { return padded }
        }
    }

    /// The SHA-256 of the secret's UTF-8 bytes, in hexadecimal: what is stored, and looked up.
    static func hash(_ secret: String) -> String {
        Hash256.sha256(Array(secret.utf8)).hex
    }

    /// Whether `a` and `b` are the same bytes, taking as long whatever the first difference.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
