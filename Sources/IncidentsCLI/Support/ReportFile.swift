/// Writes a report (a postmortem, a review) to a file the user named.
enum ReportFile {
    /// Prints the report, or writes it to `output` (see ``OutputFile``) and says so.
    static func emit(_ text: String, to output: String?, file: OutputFileOptions, ledger: LedgerOptions, what: String) throws {
        guard let output else {
            Output.standard.write(text)
            return
        }
        try OutputFile.write(Array(text.utf8), to: output, force: file.force, ledger: ledger.path)
        Output.standard.line("wrote the \(what) to \(output) (\(text.utf8.count) bytes)")
    }
}
