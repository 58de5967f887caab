import ArgumentParser
import Foundation
import IncidentProjections
import IncidentReports
import IncidentService
import LedgerModel

struct DueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "List what the incidents need done now or soon: promised updates, first replies, escalations, surveys, postmortems.",
        discussion: """
            Deadlines come from the playbook policy in force (`incidents policy show`): the update each \
            public update promised, a first reply within the target of the customer's tier, an escalation \
            acknowledged within its minutes while the incident is open; once it is resolved and until it is \
            closed, a survey to the customers who wrote in and the postmortem's start. An item is listed \
            from --window before its deadline and is overdue once the deadline has passed.

            Exit status 7 when anything is overdue (with one line on standard error), 0 otherwise, so a \
            cron job or a monitoring check can page on it.
            """)

    @OptionGroup var options: LedgerOptions

    @Option(help: ArgumentHelp("Judge deadlines at this RFC 3339 time instead of the wall clock.", valueName: "time"))
    var at: TimestampArgument?

    @Option(help: ArgumentHelp("How far ahead to look, such as 15m or 2h (default: the policy's dueWindowMinutes).", valueName: "duration"))
    var window: DurationArgument?

    @Flag(help: "Print the list as one JSON object: at, windowSeconds, overdue, items.")
    var json = false

    func validate() throws {
        if let window, window.seconds > Self.longestWindow.seconds {
            throw ValidationError("--window must be at most \(Self.longestWindow.defaultValueDescription), not \(window.defaultValueDescription)")
        }
    }

    /// The longest look ahead: a year.
    static let longestWindow = DurationArgument(seconds: 366 * 86_400)

    func run() async throws {
        let now = at?.value ?? .now()
        let list = try await options.service().due(at: now, window: window.map { $0.seconds * 1_000_000 })
        let output = Output.standard
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            output.line(String(decoding: try encoder.encode(list), as: UTF8.self))
        } else {
            output.write(Self.text(list))
        }
        if list.overdue > 0 { throw Self.overdue(list) }
    }

    /// The list as lines: one per item, overdue ones first within their deadline order, then a total.
    static func text(_ list: DueList) -> String {
        let horizon = "\(list.at.adding(seconds: list.windowSeconds).rfc3339)"
        guard !list.items.isEmpty else { return "nothing due by \(horizon)\n" }
        let idWidth = max(8, list.items.map { DisplayWidth.of($0.incident) }.max() ?? 8)
        var out = "\(DisplayWidth.padded("INCIDENT", to: idWidth))  \(DisplayWidth.padded("STATE", to: 7))  DUE                   WHAT\n"
        for item in list.items {
            out += "\(DisplayWidth.padded(item.incident, to: idWidth))  \(DisplayWidth.padded(item.overdue ? "overdue" : "due", to: 7))  "
            out += "\(DisplayWidth.padded(item.dueAt.rfc3339, to: 20))  \(item.what.plain)\n"
        }
        let count = list.items.count
        return out + "\(count) item\(count == 1 ? "" : "s") due by \(horizon), \(list.overdue) overdue\n"
    }

    /// The failure that makes the exit status 7: how many items are overdue, the oldest first.
    static func overdue(_ list: DueList) -> CommandFailure {
        let oldest = list.items.first(where: \.overdue)!
        let items = list.overdue == 1 ? "1 item is" : "\(list.overdue) items are"
        return CommandFailure(
            .overdue, "\(items) overdue, the first since \(oldest.dueAt.rfc3339) (\(oldest.incident)) — do it and record it, then run `incidents due` again")
    }
}
