import Crypto
import Foundation
public import LedgerModel

/// How a webhook delivery proves it comes from whoever holds the receiver's secret: HMAC-SHA256
/// signatures in a header (PagerDuty, the generic receiver), or the secret itself in the URL
/// (Statuspage, which does not sign). Every comparison takes the same time whatever the first
/// difference. docs/server.md ("Webhook receivers") shows how a sender computes each.
public enum WebhookSignature {
    /// PagerDuty's header: `v1=<hex>`, several separated by commas while a secret is rotated.
    public static let pagerDutyHeader = "X-PagerDuty-Signature"
    /// The generic receiver's header: `t=<unix seconds>,v1=<hex>`.
    public static let genericHeader = "X-Incidents-Signature"
    /// A generic delivery signed more than this many seconds before or after now is refused, so a
    /// captured delivery cannot be replayed later.
    public static let defaultReplayWindowSeconds: Int64 = 300

    /// HMAC-SHA256 of `message` with `secret`, in lowercase hexadecimal.
    public static func hmacHex(_ message: [UInt8], secret: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))
        return code.withUnsafeBytes { Hash256(bytes: $0).hex }
    }

    /// The `X-PagerDuty-Signature` PagerDuty sends for `body` signed with each of `secrets`.
    public static func pagerDuty(body: [UInt8], secrets: [[UInt8]]) -> String {
        secrets.map { "v1=" + hmacHex(body, secret: $0) }.joined(separator: ",")
    }

    /// The `X-Incidents-Signature` for `body` sent at `unixSeconds`.
    public static func generic(body: [UInt8], secret: [UInt8], unixSeconds: Int64) -> String {
        "t=\(unixSeconds),v1=" + hmacHex(Array("\(unixSeconds).".utf8) + body, secret: secret)
    }

    /// Checks a PagerDuty delivery: one of the header's `v1=` signatures must be the body's HMAC with
    /// `secret`. Throws ``ServiceError`` `bad-signature` otherwise.
    public static func checkPagerDuty(_ header: String?, body: [UInt8], secret: [UInt8]) throws(ServiceError) {
        guard let header, !header.isEmpty else {
            throw refusal("the delivery has no \(pagerDutyHeader) header")
        }
        let expected = hmacHex(body, secret: secret)
        var matched = false
        for item in header.split(separator: ",") {
            let part = item.trimmingCharacters(in: .whitespaces)
            guard part.hasPrefix("v1=") else { continue }
            // Every signature is compared, so the time taken does not say which one matched.
            matched = TokenSecret.constantTimeEqual(part.dropFirst(3).lowercased(), expected) || matched
        }
        guard matched else {
            throw refusal("no signature in \(pagerDutyHeader) matches the body signed with the receiver's secret")
        }
    }

    /// Checks a generic delivery: `t=` within `windowSeconds` of `now`, and `v1=` the HMAC of
    /// `"<t>." + body` with `secret`. Returns `t`; throws ``ServiceError`` `bad-signature` otherwise.
    @discardableResult
    public static func checkGeneric(
        _ header: String?, body: [UInt8], secret: [UInt8], now: Timestamp, windowSeconds: Int64 = defaultReplayWindowSeconds
    ) throws(ServiceError) -> Int64 {
        guard let header, !header.isEmpty else {
            throw refusal("the delivery has no \(genericHeader) header")
        }
        var time: Int64?
        var signatures = [String]()
        for item in header.split(separator: ",") {
            let part = item.trimmingCharacters(in: .whitespaces)
            if part.hasPrefix("t=") {
                time = Int64(part.dropFirst(2))
            } else if part.hasPrefix("v1=") {
                signatures.append(String(part.dropFirst(3)).lowercased())
            }
        }
        guard let time, !signatures.isEmpty else {
            throw refusal("\(genericHeader) must be t=<unix seconds>,v1=<hex HMAC-SHA256>")
        }
        let nowSeconds = now.microsecondsSinceEpoch / 1_000_000
        guard abs(nowSeconds - time) <= windowSeconds else {
            throw refusal("the delivery was signed at \(time), more than \(windowSeconds) seconds from now (\(nowSeconds)); sign each delivery when it is sent")
        }
        let expected = hmacHex(Array("\(time).".utf8) + body, secret: secret)
        var matched = false
        for signature in signatures { matched = TokenSecret.constantTimeEqual(signature, expected) || matched }
        guard matched else {
            throw refusal("the signature in \(genericHeader) does not match the body signed with the receiver's secret")
        }
        return time
    }

    static func refusal(_ reason: String) -> ServiceError {
        ServiceError(.badSignature, "\(reason); nothing was written")
    }
}
