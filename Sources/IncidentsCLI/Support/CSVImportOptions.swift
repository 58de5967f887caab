import ArgumentParser
import IncidentImporters
import IncidentService

/// The arguments every CSV import takes: the file, its mapping, and how to record and report.
struct CSVImportOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The CSV file (plain or gzip), or - for standard input.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The mapping file (JSON).", valueName: "mapping.json"))
    var mapping: String

    @OptionGroup var run: ImportRunOptions

    func validate() throws {
        try PathOption.require(file, "FILE")
        try PathOption.require(mapping, "--mapping")
        try run.keepGoing.validate(input: file)
    }

    /// The mapping file, read by `parse`, and then the CSV file's table. A bad mapping is refused with
    /// one line (exit 3) before the CSV is read.
    func load<Mapping: CSVMapping>(_ parse: ([UInt8]) throws(MappingError) -> Mapping, progress: ProgressBar) throws -> (mapping: Mapping, table: CSVTable) {
        let parsed: Mapping
        do {
            parsed = try parse(try ImportInput.mapping(mapping))
        } catch let error as MappingError {
            throw CommandFailure(.invalidInput, "\(mapping): \(error.description); nothing was written")
        }
        progress.phase("reading \(file)", total: nil)
        return (parsed, try ImportInput.table(try ImportInput.read(file), format: parsed.format, name: file))
    }
}
