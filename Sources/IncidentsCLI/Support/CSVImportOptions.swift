import ArgumentParser

/// The arguments every CSV import takes: the file, its mapping, and how to record and report.
struct CSVImportOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The CSV file (plain or gzip), or - for standard input.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The mapping file (JSON).", valueName: "mapping.json"))
    var mapping: String

    @Flag(help: "Record incidents in chunks; report the ones refused as warnings instead of importing nothing.")
    var continueOnError = false

    @Flag(help: "Print the summary as JSON.")
    var json = false
}
