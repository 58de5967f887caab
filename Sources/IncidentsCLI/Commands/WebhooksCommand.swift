import ArgumentParser
import IncidentService
import LedgerModel

struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Add, list or remove the webhook receivers of the ledger's server.",
        discussion: """
            A receiver is a route of `incidents serve` where a tool delivers while an incident runs: \
            PagerDuty (webhooks v3, signed with the subscription's secret), Statuspage (which does not sign: \
            the secret is part of the URL) or generic (catalog events signed with a timestamp, for a chat bot \
            or a helpdesk). Its events are recorded by the tool (tool:pagerduty, tool:statuspage, tool:NAME) \
            through webhook:KIND. Receivers are kept in the ledger's settings, outside the hash chain; \
            docs/server.md ("Webhook receivers") shows how each tool signs and what its deliveries become.

            Examples:
              incidents webhooks add pagerduty pd-checkout --secret "$PAGERDUTY_SUBSCRIPTION_SECRET"
              incidents webhooks add statuspage status-page        # prints the secret and URL once
              incidents webhooks add generic chat-bot
              incidents webhooks list
              incidents webhooks remove chat-bot
            """,
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a receiver; a secret made here is printed once.")

        @OptionGroup var options: LedgerOptions

        @Argument(help: ArgumentHelp("pagerduty, statuspage or generic.", valueName: "kind"))
        var kind: String

        @Argument(help: ArgumentHelp("The receiver's name in its URL: 1 to 64 of a-z, 0-9, '.', '_', '-'.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("The secret the tool signs with (required for PagerDuty, which makes its own). Default: a new one, printed once.", valueName: "secret"))
        var secret: String?

        @Option(help: ArgumentHelp("Prefix of the incident ids: PagerDuty's incident number or Statuspage's id follows it. Default: PD- or SP-.", valueName: "prefix"))
        var incidentPrefix: String?

        @Flag(help: "Print the receiver, and a secret made here, as JSON.")
        var json = false

        func validate() throws {
            guard let kind = WebhookReceiver.Kind(rawValue: kind) else {
                throw ValidationError("KIND must be \(WebhookReceiver.Kind.allCases.map(\.rawValue).joined(separator: ", ")), not \(MessageText.quoted(self.kind))")
            }
            if kind == .pagerduty, secret == nil {
                throw ValidationError("give --secret: PagerDuty shows the signing secret when the webhook subscription is created")
            }
            if kind == .generic, incidentPrefix != nil {
                throw ValidationError("a generic receiver's events name their incidents, so it takes no --incident-prefix")
            }
        }

        func run() async throws {
            let service = try await options.writingService()
            let added = try await service.webhookReceivers.add(
                kind: WebhookReceiver.Kind(rawValue: kind)!, name: name, secret: secret, incidentPrefix: incidentPrefix, createdAt: service.defaults.clock())
            let receiver = added.receiver
            let path = receiver.kind == .statuspage ? "/webhooks/statuspage/\(receiver.name)/\(added.secret)" : receiver.path
            let output = Output.standard
            if json {
                var value = WebhookText.json(receiver)
                if added.generated, case .object(var members) = value {
                    members["secret"] = .string(added.secret)
                    members["path"] = .string(path)
                    value = .object(members)
                }
                output.line(value.canonicalText)
                return
            }
            output.line("added \(receiver.kind.rawValue) receiver \(receiver.name): POST \(path)")
            if added.generated {
                output.line(added.secret)
                output.line(receiver.kind == .statuspage
                    ? "This secret is part of the URL above, shown only now: give Statuspage that URL (over HTTPS)."
                    : "This secret is shown only now: give it to the sender, which signs each delivery with it (docs/server.md, 'Webhook receivers').")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the receivers and their routes; never a secret.")

        @OptionGroup var options: LedgerOptions

        @Flag(help: "Print JSON Lines, one receiver per line.")
        var json = false

        func run() async throws {
            let receivers = try await options.service().webhookReceivers.list()
            let output = Output.standard
            if json {
                for receiver in receivers { output.line(WebhookText.json(receiver).canonicalText) }
                return
            }
            guard !receivers.isEmpty else {
                output.line("no webhook receivers")
                return
            }
            let width = max(4, receivers.map { DisplayWidth.of($0.name) }.max() ?? 4)
            output.line("\(DisplayWidth.padded("NAME", to: width))  KIND        PREFIX  ADDED                 ROUTE")
            for receiver in receivers {
                output.line(
                    "\(DisplayWidth.padded(receiver.name, to: width))  \(DisplayWidth.padded(receiver.kind.rawValue, to: 10))  \(DisplayWidth.padded(receiver.incidentPrefix ?? "-", to: 6))  \(receiver.createdAt.rfc3339)  POST \(receiver.path)")
            }
            output.line("\(receivers.count) receiver\(receivers.count == 1 ? "" : "s")")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Remove a receiver: its deliveries are refused from now on; what it recorded stays.")

        @OptionGroup var options: LedgerOptions

        @Argument(help: ArgumentHelp("The receiver's name, as `incidents webhooks list` shows it.", valueName: "name"))
        var name: String

        func run() async throws {
            let removed = try await options.writingService().webhookReceivers.remove(name)
            Output.standard.line("removed \(removed.kind.rawValue) receiver \(removed.name)")
        }
    }
}

/// A receiver as JSON, for `--json`: never its secret.
enum WebhookText {
    static func json(_ receiver: WebhookReceiver) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(receiver.name), "kind": .string(receiver.kind.rawValue), "createdAt": .string(receiver.createdAt.rfc3339),
            "path": .string(receiver.path), "actor": .string(receiver.actor.description), "source": .string(receiver.source),
        ]
        if let prefix = receiver.incidentPrefix { object["incidentPrefix"] = .string(prefix) }
        return .object(object)
    }
}
