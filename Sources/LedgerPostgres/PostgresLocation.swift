import Foundation
public import LedgerStore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

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

    /// Connects once, so that a server that cannot be reached, a database that does not exist or
    /// a user refused is said plainly, before a pool of connections hides why behind its retries.
    func probe(logger: Logger) async throws(LedgerError) {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            tls: requiresTLS ? .require(try Self.tlsContext()) : .disable)
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try? await connection.close()
        } catch {
            throw connectionFailure(error)
        }
    }

    /// A failure to connect, in words that say what to check.
    func connectionFailure(_ error: any Error) -> LedgerError {
        let server = "\(host):\(port)"
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            switch state {
            case "3D000":
                return LedgerError(
                    .ledgerNotFound, "the PostgreSQL server at \(server) has no database \(database) (\(message)): create it first (createdb -h \(host) -p \(port) -U \(user) \(database)), then run `incidents init --ledger \(self)`",
                    ledgerPath: description)
            case let state where state.hasPrefix("28"):
                return LedgerError(
                    .permissionDenied, "the PostgreSQL server at \(server) refused the user \(user): \(message) — check the user and password in the URL, and the server's pg_hba.conf",
                    ledgerPath: description)
            default:
                return LedgerError(.unavailable, "cannot connect to \(self): \(message) (SQLSTATE \(state))", ledgerPath: description)
            }
        }
        let reason = Self.connectReason(error)
        return LedgerError(
            .unavailable, "cannot reach a PostgreSQL server at \(server) (\(reason)): check that it runs and listens there, and that the URL names it",
            ledgerPath: description)
    }

    /// Why no connection could be made, in the system's words ("connection refused") rather than the
    /// layers swift-nio and postgres-nio wrap them in.
    static func connectReason(_ error: any Error) -> String {
        var cause: any Error = (error as? PSQLError)?.underlying ?? error
        if let attempts = cause as? NIOConnectionError {
            if let first = attempts.connectionErrors.first {
                cause = first.error
            } else if attempts.dnsAError != nil || attempts.dnsAAAAError != nil {
                return "the name \(attempts.host) could not be resolved"
            }
        }
        if let io = cause as? IOError {
            let words = String(cString: strerror(io.errnoCode))
            return words.prefix(1).lowercased() + words.dropFirst()
        }
        if case .connectTimeout(let limit)? = cause as? ChannelError {
            return "no answer within \(limit.nanoseconds / 1_000_000_000) s"
        }
        return PostgresEventStore.describe(cause)
    }

    static func tlsContext() throws(LedgerError) -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: .makeClientConfiguration())
        } catch {
            throw LedgerError(.unavailable, "cannot set up TLS for PostgreSQL: \(error)")
        }
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
