import ArgumentParser
import LedgerModel

/// The time a report is made: the "now" promised updates and action items are judged against.
/// The wall clock, unless `--as-of` fixes it so that a report can be made again byte for byte. The
/// command line is the only place that reads the clock; the libraries take the time as a parameter.
struct ReportTimeOptions: ParsableArguments {
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Judge promised updates and action items against this time (RFC 3339) instead of the wall clock, so that a report can be made again byte for byte.",
            valueName: "time"))
    var asOf: TimestampArgument?

    /// `--as-of`, else the wall clock.
    var time: Timestamp { asOf?.value ?? .now() }
}
