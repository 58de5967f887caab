import Foundation
public import LedgerStore
import NIOSSL
import PostgresNIO

/// A PostgreSQL database named by a URL, `postgres://user[:password]@host[:port]/database`
/// (`postgresql://` too; `?sslmode=require` asks for TLS, which is otherwise off).
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    var password: String?
    public var database: String
    public var requiresTLS: Bool

    /// Whether `text` names a PostgreSQL database rather than a directory.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` URL; a URL without user, host or database is refused.
    public init(url text: String) throws(LedgerError) {
        guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
            throw LedgerError(.invalidInput, "\(text) is not a PostgreSQL URL of the form postgres://user@host:port/database")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard let user = components.user, !user.isEmpty, let host = components.host, !host.isEmpty, !database.isEmpty else {
            throw LedgerError(.invalidInput, "\(Self.redacted(text)) does not name a user, a host and a database: write postgres://user@host:port/database")
        }
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        guard ["disable", "require"].contains(mode) else {
            throw LedgerError(.invalidInput, "sslmode=\(mode) in \(Self.redacted(text)) is not supported: use disable or require")
        }
        self.host = host
        port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        password = components.password?.removingPercentEncoding
        self.database = database.removingPercentEncoding ?? database
        requiresTLS = mode == "require"
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (requiresTLS ? "?sslmode=require" : "")
    }

    /// The same server and user, another database (the tests' fresh databases, an administrative connection).
    public func database(_ name: String) -> PostgresLocation {
        var location = self
        location.database = name
        return location
    }

    var configuration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            tls: requiresTLS ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// `text` with any password replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
