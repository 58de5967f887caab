import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// `incidents tokens`: a secret printed once and never again, a list without secrets, revocation,
/// and the grants in the log but in no incident.
@Suite struct TokensCommandTests {
    static let environment = ["USER": "admin"]

    /// The token id and secret a `tokens create` printed.
    static func created(_ outcome: ChildProcess.Outcome) throws -> (id: String, secret: String) {
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "\(outcome.stdout)\(outcome.stderr)")
        let id = try #require(lines[0].split(separator: " ").dropFirst(2).first.map(String.init))
        return (id, lines[1])
    }

    @Test func aTokenIsCreatedListedAndRevoked() async throws {
        let cli = CLI()
        try await cli.run("init")
        try await cli.run("append", stdin: CLI.event())
        let create = try await cli.run("tokens", "create", "--role", "responder", "--name", "jane@example.com", "--expires", "2027-01-01T00:00:00Z", environment: Self.environment)
        #expect(create.status == 0, "\(create.stderr)")
        let (id, secret) = try Self.created(create)
        #expect(create.stdout.hasPrefix("created token \(id) for person:jane@example.com as responder, until 2027-01-01T00:00:00Z\n"))
        #expect(secret.hasPrefix("il_") && secret.count == 46)
        #expect(create.stdout.contains("This secret is shown only now and cannot be shown again"))
        #expect(id.count == 12 && id.allSatisfy(\.isHexDigit))

        let bot = try await cli.run("tokens", "create", "--role", "admin", "--name", "tool:deploy-bot", "--json", environment: Self.environment)
        #expect(bot.status == 0, "\(bot.stderr)")
        let botJSON = try #require(try JSONParser.parse(bot.stdout.trimmingCharacters(in: .newlines)).objectValue)
        #expect(botJSON["holder"] == "tool:deploy-bot" && botJSON["role"] == "admin" && botJSON["expiresAt"] == .null && botJSON["revokedAt"] == .null)
        let botSecret = try #require(botJSON["secret"]?.stringValue)
        #expect(botSecret.hasPrefix("il_"))

        let list = try await cli.run("tokens", "list")
        #expect(list.status == 0)
        let rows = list.stdout.split(separator: "\n").map(String.init)
        #expect(rows.first?.hasPrefix("ID            HOLDER") == true)
        #expect(rows.contains { $0.hasPrefix(id) && $0.contains("person:jane@example.com") && $0.contains("responder") && $0.hasSuffix("active") })
        #expect(rows.contains { $0.contains("tool:deploy-bot") && $0.contains("never") && $0.hasSuffix("active") })
        #expect(rows.last == "2 tokens")
        let json = try await cli.run("tokens", "list", "--json")
        let tokens = try json.stdout.split(separator: "\n").map { try #require(try JSONParser.parse(String($0)).objectValue) }
        #expect(tokens.count == 2)
        #expect(tokens.allSatisfy { $0["secret"] == nil && $0["secretSHA256"] == nil })
        for output in [list.stdout, json.stdout] {
            #expect(!output.contains(secret) && !output.contains(botSecret))
        }

        let revoke = try await cli.run("tokens", "revoke", id, environment: Self.environment)
        #expect(revoke.status == 0, "\(revoke.stderr)")
        #expect(revoke.stdout.hasPrefix("revoked token \(id) of person:jane@example.com (responder) at "))
        await #expect(try cli.run("tokens", "list").stdout.split(separator: "\n").contains { $0.hasPrefix(id) && $0.contains("revoked 20") })
        let again = try await cli.run("tokens", "revoke", id, environment: Self.environment)
        #expect(again.status == 3)
        #expect(again.stderr.hasPrefix("incidents: token \(id) was already revoked at ") && again.stderr.hasSuffix("; nothing was written\n"))
        let unknown = try await cli.run("tokens", "revoke", "nope", environment: Self.environment)
        #expect(unknown.status == 3)
        #expect(unknown.stderr == "incidents: no token has the id 'nope' — `incidents tokens list` shows the tokens; nothing was written\n")

        // The chain shows who could do what, by the person who ran the commands; no incident changed.
        let log = try await cli.run("log", "--incident", "ledger.access", "--json")
        let events = try log.stdout.split(separator: "\n").map { try #require(try JSONParser.parse(String($0)).objectValue) }
        #expect(events.map { $0["type"]?.stringValue } == ["access.granted", "access.granted", "access.revoked"])
        #expect(events.allSatisfy { $0["actor"] == ["kind": "person", "id": "admin"] })
        #expect(!log.stdout.contains(secret) && !log.stdout.contains(botSecret))
        await #expect(try cli.run("list", "--ids").stdout == "INC-1\n")
        await #expect(try cli.run("show", "ledger.access").status == 3)
        await #expect(try cli.run("verify").status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: cli.ledgerPath + "/data.mdb"))
        #expect(data.range(of: Data(secret.utf8)) == nil && data.range(of: Data(botSecret.utf8)) == nil)
    }

    @Test func anExpiryIsGivenOnceAndInTheFuture() async throws {
        let cli = CLI()
        try await cli.run("init")
        let relative = try await cli.run("tokens", "create", "--role", "auditor", "--name", "person:ann", "--expires-in", "90d", environment: Self.environment)
        #expect(relative.status == 0, "\(relative.stderr)")
        let line = try #require(relative.stdout.split(separator: "\n").first)
        let expiry = try Timestamp(rfc3339: String(try #require(line.split(separator: " ").last)))
        let ninety = Timestamp.now().adding(seconds: 90 * 86_400)
        #expect(abs(expiry.microsecondsSinceEpoch - ninety.microsecondsSinceEpoch) < 60_000_000)

        let both = try await cli.run("tokens", "create", "--role", "auditor", "--name", "ann", "--expires", "2030-01-01T00:00:00Z", "--expires-in", "1d")
        #expect(both.status == 2)
        #expect(both.stderr.hasPrefix("incidents: give --expires or --expires-in, not both"))
        let past = try await cli.run("tokens", "create", "--role", "auditor", "--name", "ann", "--expires", "2020-01-01T00:00:00Z", environment: Self.environment)
        #expect(past.status == 3)
        #expect(past.stderr.contains("payload.expiresAt: 2020-01-01T00:00:00Z is not after the grant"))
        for duration in ["0s", "36501d", "99999999999d"] {
            let life = try await cli.run("tokens", "create", "--role", "auditor", "--name", "ann", "--expires-in", duration)
            #expect(life.status == 2)
            #expect(life.stderr.hasPrefix("incidents: --expires-in must be from 1s to 36500d, not "), "\(life.stderr)")
        }
        let role = try await cli.run("tokens", "create", "--role", "boss", "--name", "ann")
        #expect(role.status == 2)
        #expect(role.stderr.hasPrefix("incidents: --role must be responder, reviewer, auditor, admin, not 'boss'"))
        let actor = try await cli.run("tokens", "create", "--role", "admin", "--name", "ann", "--actor", "nobody")
        #expect(actor.status == 2)
        for name in ["", "tool:", "person:"] {
            let unnamed = try await cli.run("tokens", "create", "--role", "admin", "--name", name)
            #expect(unnamed.status == 2)
            #expect(unnamed.stderr.hasPrefix("incidents: --name must be kind:id (person, tool or system) or a plain id meaning a person, not '\(name)'"))
        }
        let badHolder = try await cli.run("tokens", "create", "--role", "admin", "--name", "ann\tlee", environment: Self.environment)
        #expect(badHolder.status == 3)
        #expect(badHolder.stderr.contains("payload.holder: must not contain control characters"))
        await #expect(try cli.run("tokens", "list").stdout.split(separator: "\n").count == 3, "only the first token was made")
        await #expect(try cli.run("log", "--incident", "ledger.access", "--json").stdout.split(separator: "\n").count == 1)
    }

    @Test func theHelpShowsExamplesAndAnEmptyLedgerHasNoTokens() async throws {
        let cli = CLI()
        try await cli.run("init")
        let help = try await cli.run("tokens", "--help")
        #expect(help.stdout.contains("\n  incidents tokens create --role responder --name jane --expires-in 90d\n"))
        await #expect(try cli.run("tokens", "list").stdout == "no tokens\n")
        await #expect(try cli.run("tokens", "list", "--json").stdout == "")
        await #expect(try cli.run("--help").stdout.contains("tokens"))
    }
}
