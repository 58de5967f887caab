import ArgumentParser
import LedgerModel

/// The options that pick events: one incident, some types, a time range by when they happened.
/// `log` and `export` take the same ones.
struct EventFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this incident's events.", valueName: "id"), transform: IncidentArgument.normalized)
    var incident: String?

    @Option(name: .customLong("type"), help: ArgumentHelp("Only events of this type; repeat for several.", valueName: "type"))
    var types: [String] = []

    @Option(help: ArgumentHelp("Only events that happened at or after this RFC 3339 time.", valueName: "time"))
    var since: TimestampArgument?

    @Option(help: ArgumentHelp("Only events that happened before this RFC 3339 time.", valueName: "time"))
    var until: TimestampArgument?

    var query: EventQuery { EventQuery(incident: incident, types: types, since: since?.value, until: until?.value) }
}
