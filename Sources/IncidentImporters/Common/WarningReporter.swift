/// A mapper that reports, as it goes, what it cannot import exactly as the source has it.
protocol WarningReporter {
    mutating func warn(_ kind: ImportWarning.Kind, _ message: String)
}

extension WarningReporter {
    /// Shortens a text to the catalog's limit (its first characters and "…"), with a `truncated` warning.
    mutating func clip(_ text: String, maxLength: Int, what: String) -> String {
        guard text.count > maxLength else { return text }
        warn(.truncated, "\(what) is longer than \(maxLength) characters; shortened")
        return String(text.prefix(maxLength - 1)) + "…"
    }
}
