import ArgumentParser
import Foundation
import IncidentEvents
import IncidentService
import LedgerModel

struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Create, list or revoke the access tokens of the ledger's server.",
        discussion: """
            A token lets its holder use `incidents serve` with one role: responder, reviewer, auditor or \
            admin (docs/server.md, "Roles"). Its secret is printed once, when it is created; the ledger \
            keeps only its SHA-256, outside the hash chain. Creating and revoking a token are recorded in \
            the chain (access.granted, access.revoked, in the stream ledger.access, naming the holder, the \
            role and the token's public id, never the secret), so `incidents log --incident ledger.access` \
            shows who could do what, when.

            Examples:
              incidents tokens create --role responder --name jane --expires-in 90d
              incidents tokens create --role admin --name tool:deploy-bot
              incidents tokens list
              incidents tokens revoke 3f9a1c27b0de
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Issue a token for a holder with a role, and print its secret once.")

        @OptionGroup var options: LedgerOptions

        @Option(help: ArgumentHelp("What the holder may do: \(AccessRole.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "role"))
        var role: String

        @Option(help: ArgumentHelp("Who holds it, as kind:id (person, tool or system); a plain id means a person.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("When the token stops being accepted (RFC 3339). Default: never.", valueName: "time"))
        var expires: TimestampArgument?

        @Option(help: ArgumentHelp("How long the token is accepted from now: 90d, 12h, 30m, 1h30m.", valueName: "duration"))
        var expiresIn: DurationArgument?

        @Option(help: ArgumentHelp("Who issues it, as kind:id (person, tool or system). Default: person:$USER (or $LOGNAME, or the login name).", valueName: "actor"))
        var actor: String?

        @Flag(help: "Print the token and its secret as JSON.")
        var json = false

        func validate() throws {
            guard AccessRole(rawValue: role) != nil else {
                throw ValidationError("--role must be \(AccessRole.allCases.map(\.rawValue).joined(separator: ", ")), not \(MessageText.quoted(role))")
            }
            guard holder != nil else {
                throw ValidationError("--name must be kind:id (person, tool or system) or a plain id meaning a person, not \(MessageText.quoted(name))")
            }
            if expires != nil, expiresIn != nil { throw ValidationError("give --expires or --expires-in, not both") }
            if let expiresIn, !(1...Self.longestLife).contains(expiresIn.seconds) {
                throw ValidationError("--expires-in must be from 1s to \(Self.longestLife / 86_400)d, not \(expiresIn.defaultValueDescription)")
            }
            try ActorOption.parse(actor)
        }

        /// The longest --expires-in, in seconds: a hundred years.
        static let longestLife: Int64 = 36_500 * 86_400

        /// The holder NAME names: `kind:id`, or a plain id meaning a person; nil for a kind with no id.
        var holder: Actor? {
            if let actor = Actor(name) { return actor }
            if let colon = name.firstIndex(of: ":"), Actor.Kind(name: String(name[..<colon])) != nil { return nil }
            return name.isEmpty ? nil : Actor(kind: .person, id: name)
        }

        func run() async throws {
            let service = try await options.writingService(actor: try ActorOption.parse(actor) ?? LedgerOptions.userActor)
            let expiresAt = expires?.value ?? expiresIn.map { service.defaults.clock().adding(seconds: $0.seconds) }
            let issued = try await service.createToken(holder: holder!, role: AccessRole(rawValue: role)!, expiresAt: expiresAt)
            let output = Output.standard
            if json {
                output.line(try TokenText.json(issued.token, secret: issued.secret))
                return
            }
            output.line("created token \(issued.token.id) for \(issued.token.holder) as \(issued.token.role.rawValue)\(TokenText.expiry(issued.token))")
            output.line(issued.secret)
            output.line("This secret is shown only now and cannot be shown again: hand it to its holder, who sends it as `Authorization: Bearer <secret>`.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List every token with its holder, role and state; never a secret.")

        @OptionGroup var options: LedgerOptions

        @Flag(help: "Print JSON Lines, one token per line.")
        var json = false

        func run() async throws {
            let service = try await options.service()
            let tokens = try service.tokens()
            let output = Output.standard
            if json {
                for token in tokens { output.line(try TokenText.json(token)) }
                return
            }
            guard !tokens.isEmpty else {
                output.line("no tokens")
                return
            }
            let now = service.defaults.clock()
            let holderWidth = max(6, tokens.map { DisplayWidth.of($0.holder.description) }.max() ?? 6)
            func column(_ text: String, _ width: Int) -> String { DisplayWidth.padded(text, to: width) }
            output.line("ID            \(column("HOLDER", holderWidth))  ROLE       CREATED               EXPIRES               STATE")
            for token in tokens {
                output.line(
                    "\(column(token.id, 12))  \(column(token.holder.description, holderWidth))  \(column(token.role.rawValue, 9))  \(token.createdAt.rfc3339)  \(column(token.expiresAt?.rfc3339 ?? "never", 20))  \(TokenText.state(token, at: now))"
                )
            }
            output.line("\(tokens.count) token\(tokens.count == 1 ? "" : "s")")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a token by its id: it is refused from now on, and the revocation recorded.")

        @OptionGroup var options: LedgerOptions

        @Argument(help: ArgumentHelp("The token's id, as `incidents tokens list` shows it.", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("Who revokes it, as kind:id (person, tool or system). Default: person:$USER (or $LOGNAME, or the login name).", valueName: "actor"))
        var actor: String?

        func validate() throws {
            try ActorOption.parse(actor)
        }

        func run() async throws {
            let service = try await options.writingService(actor: try ActorOption.parse(actor) ?? LedgerOptions.userActor)
            let token = try await service.revokeToken(id: id)
            Output.standard.line("revoked token \(token.id) of \(token.holder) (\(token.role.rawValue)) at \(token.revokedAt?.rfc3339 ?? "")")
        }
    }
}

/// How the token commands print a token.
enum TokenText {
    /// The token as one line of JSON, with the secret when it was just created.
    static func json(_ token: AccessToken, secret: String? = nil) throws -> String {
        var object = try JSONValueEncoder().encode(token).objectValue ?? [:]
        if let secret { object["secret"] = .string(secret) }
        return JSONValue.object(object).canonicalText
    }

    static func expiry(_ token: AccessToken) -> String {
        token.expiresAt.map { ", until \($0.rfc3339)" } ?? ", never expiring"
    }

    /// `active`, `expired` or `revoked`, at `time`.
    static func state(_ token: AccessToken, at time: Timestamp) -> String {
        if let revokedAt = token.revokedAt { return "revoked \(revokedAt.rfc3339)" }
        return token.isActive(at: time) ? "active" : "expired"
    }
}
