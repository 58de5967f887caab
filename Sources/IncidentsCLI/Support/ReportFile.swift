import Foundation
import LedgerModel

/// Writes a report (a postmortem, a review) to a file the user named.
enum ReportFile {
    /// Prints the report, or writes it to `output` and says so.
    static func emit(_ text: String, to output: String?, what: String) throws {
        guard let output else {
            Output.standard.write(text)
            return
        }
        try write(text, to: output, what: what)
        Output.standard.line("wrote the \(what) to \(output) (\(text.utf8.count) bytes)")
    }

    /// A regular file is replaced atomically (never half a report); a device or a pipe (/dev/stdout,
    /// a FIFO) is written in place, never renamed over.
    static func write(_ text: String, to output: String, what: String) throws {
        do {
            let attributes = try? FileManager.default.attributesOfItem(atPath: output)
            let special = attributes.map { $0[.type] as? FileAttributeType != .typeRegular } ?? false
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: special ? [] : .atomic)
        } catch {
            // A full disk or an I/O error is a storage failure; a missing folder or a denied path is bad input.
            throw CommandFailure(SystemFailure(error) ?? SystemFailure(errno: 0), "cannot write \(output)")
        }
    }
}
