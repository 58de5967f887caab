import ArgumentParser
import Foundation
import IncidentServer
import IncidentService
import LedgerPostgres
import LedgerStore
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the ledger over HTTP to a team and its tools: the JSON API, the live tail, webhooks.",
        discussion: """
            Every request but GET /healthz needs a bearer token from `incidents tokens create`; what it \
            may do follows the token's role, and every event is recorded in its holder's name. The API, \
            its errors and its limits are in docs/server.md; Schemas/openapi.json describes it.

            Listens on 127.0.0.1:8080 unless told otherwise; to serve other machines, listen on their \
            interface with TLS (--tls-cert, --tls-key) or behind a reverse proxy that terminates TLS. \
            SIGTERM or SIGINT shuts it down gracefully: no new connections, requests in flight finish, \
            live tails end, and the ledger is closed.

            With --ledger postgres://…, several servers on several machines serve one ledger: each \
            reads its own mirror and follows the database's commits (docs/postgres.md).

            Example:
              incidents tokens create --role responder --name jane@example.com
              incidents serve --listen 127.0.0.1:8080 &
              curl -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                   -d '{"title": "Checkout errors", "kind": "unplanned", "severity": "sev2"}' \\
                   http://127.0.0.1:8080/v1/incidents/INC-7/declare
            """)

    @OptionGroup var options: LedgerOptions

    @Option(help: ArgumentHelp("The address and port to listen on; port 0 picks a free one.", valueName: "host:port"))
    var listen = "127.0.0.1:8080"

    @Option(help: ArgumentHelp("A PEM file of the server's certificate chain, for HTTPS (with --tls-key).", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("A PEM file of the certificate's private key.", valueName: "file"))
    var tlsKey: String?

    @Option(help: ArgumentHelp("Close a connection idle this many seconds, or one that stops sending mid-request.", valueName: "seconds"))
    var idleTimeout: Int64 = ServerConfiguration().idleTimeoutSeconds

    @Option(help: ArgumentHelp("The largest request body accepted, in bytes (413 beyond).", valueName: "bytes"))
    var maxBodyBytes: Int = ServerConfiguration().maximumBodyBytes

    @Option(help: ArgumentHelp("Requests one token may make per second on average, bursts of twice as many (429 beyond); 0 for no limit.", valueName: "n"))
    var rateLimit: Int = ServerConfiguration().requestsPerSecondPerToken

    @Option(help: ArgumentHelp("How much to log: error, warning, notice, info (each request) or debug.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws {
        guard Self.address(listen) != nil else {
            throw ValidationError("--listen must be HOST:PORT with a port from 0 to 65535, such as 127.0.0.1:8080, not \(listen)")
        }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together; give both, or neither") }
        for file in [tlsCert, tlsKey].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("cannot read \(file); give a readable PEM file")
        }
        guard idleTimeout >= 1 else { throw ValidationError("--idle-timeout must be at least 1 second, not \(idleTimeout)") }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024, not \(maxBodyBytes)") }
        guard rateLimit >= 0 else { throw ValidationError("--rate-limit must be 0 (no limit) or more, not \(rateLimit)") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not \(logLevel)")
        }
    }

    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        var configuration = ServerConfiguration()
        (configuration.host, configuration.port) = Self.address(listen)!
        if let tlsCert, let tlsKey { configuration.tls = (tlsCert, tlsKey) }
        configuration.idleTimeoutSeconds = idleTimeout
        configuration.maximumBodyBytes = maxBodyBytes
        configuration.requestsPerSecondPerToken = rateLimit
        var logger = Logger(label: "incidents.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel)!
        let service = try await options.writingService()
        let scheme = configuration.tls == nil ? "http" : "https"
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let database = options.isPostgres ? try await OpenMirror.mirror(url: options.location, directory: options.path).store.location : nil
        let server = LedgerServer(service: service, configuration: configuration, logger: logger)
        try await server.run { port in
            // One line on standard output, for people and for scripts that start the server on port 0.
            let ledger = database.map { "ledger \($0), mirror \(service.ledger.path)" } ?? "ledger \(service.ledger.path)"
            Output.standard.line("listening on \(scheme)://\(host):\(port) (\(ledger))")
            Output.standard.flush()
        }
    }
}
