import ArgumentParser
import Foundation
import IncidentEvents
import IncidentReports
import IncidentService
import LedgerModel
import LedgerStore

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show, check or set the outage playbook's policy: update cadence, channel limits, response targets, the maintenance window.",
        discussion: """
            The policy is kept in the ledger (playbook.policy_set, in the stream ledger.playbook): every \
            server and every figure uses the one in force, and each version stays in the log. Until one is \
            set, the standard policy is in force. The JSON form and every setting are in docs/playbook.md; \
            keys left out take their defaults.

            Examples:
              incidents policy show
              incidents policy show --json > policy.json     # edit it, then:
              incidents policy check policy.json
              incidents policy set policy.json
            """,
        subcommands: [Show.self, Check.self, Set.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the policy in force.")

        @OptionGroup var options: LedgerOptions

        @Flag(help: "Print the policy as JSON, every key present (what `policy set` takes).")
        var json = false

        func run() async throws {
            let inForce = try await options.service().policyInForce()
            if json {
                Output.standard.line(JSONValue.object(inForce.policy.json).canonicalText)
                return
            }
            let origin = inForce.position.map { position in
                "set at \(inForce.setAt?.rfc3339 ?? "?") by \(inForce.setBy?.description ?? "?") (ledger position \(position))"
            } ?? "the standard policy (none was set)"
            for line in PolicyText.lines(inForce.policy, origin: origin) { Output.standard.line(line) }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Check a policy file without setting it, and print it as it would be in force.")

        @Argument(help: ArgumentHelp("The policy (JSON).", valueName: "file"))
        var file: String

        func run() async throws {
            let policy = try PolicyFile.read(file)
            for line in PolicyText.lines(policy, origin: "\(file) (valid; not set)") { Output.standard.line(line) }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Put a policy file in force from now on (recorded in the ledger).")

        @OptionGroup var options: LedgerOptions

        @Argument(help: ArgumentHelp("The policy (JSON); keys left out take their defaults.", valueName: "file"))
        var file: String

        @Option(help: ArgumentHelp("Who sets it, as kind:id (person, tool or system). Default: person:$USER (or $LOGNAME, or the login name).", valueName: "actor"))
        var actor: String?

        func run() async throws {
            let policy = try PolicyFile.read(file)
            let service = try await options.writingService(actor: try ActorOption.parse(actor) ?? LedgerOptions.userActor)
            let result = try await service.setPolicy(policy)
            Output.standard.line("policy set at ledger position \(result.positions.lowerBound); in force from now on (`incidents policy show`)")
        }
    }
}

/// Reads a policy file, naming the file and the setting at fault when it is refused.
enum PolicyFile {
    static func read(_ file: String) throws -> PlaybookPolicy {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure(.invalidInput, "cannot read the policy \(file): check that it exists and is readable")
        }
        do {
            return try PlaybookPolicy.decode(data)
        } catch {
            throw CommandFailure(.invalidInput, "the policy \(file) is refused: \(error) (docs/playbook.md lists every setting)")
        }
    }
}
