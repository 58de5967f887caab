import Foundation
import Synchronization

/// A signed-in browser: the token it signed in with (kept only in this server's memory, so a revoked
/// or expired token ends the session at its next request) and its token against cross-site requests.
struct WebSession: Sendable {
    /// The cookie's value: 256 random bits.
    let id: String
    let secret: String
    /// Put in every form that changes something, and checked on every such request.
    let csrf: String
    let expires: ContinuousClock.Instant
}

/// The sessions of the web pages, in memory: a restart signs everyone out, and nothing about a session
/// is ever written to disk or to the ledger.
final class WebSessions: Sendable {
    static let cookie = "incidents_session"
    /// The double-submit cookie of the sign-in form, which has no session yet.
    static let signInCookie = "incidents_signin"
    static let lifetime = Duration.seconds(8 * 3600)
    /// The most sessions kept; the oldest go first beyond it.
    static let maximum = 10_000

    private let table = Mutex<[String: WebSession]>([:])

    /// A new session for the holder of `secret` (already authenticated).
    func open(secret: String) -> WebSession {
        let session = WebSession(id: Self.random(), secret: secret, csrf: Self.random(), expires: .now + Self.lifetime)
        table.withLock { table in
            let now = ContinuousClock.now
            table = table.filter { $0.value.expires > now }
            if table.count >= Self.maximum, let oldest = table.min(by: { $0.value.expires < $1.value.expires }) {
                table[oldest.key] = nil
            }
            table[session.id] = session
        }
        return session
    }

    /// The session of a cookie's value, while it lasts.
    func session(_ id: String) -> WebSession? {
        table.withLock { table in
            guard let session = table[id] else { return nil }
            guard session.expires > .now else {
                table[id] = nil
                return nil
            }
            return session
        }
    }

    func close(_ id: String) {
        _ = table.withLock { $0.removeValue(forKey: id) }
    }

    /// 256 random bits, base64url without padding.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares two secrets in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
