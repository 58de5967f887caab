import ArgumentParser
import LedgerAudit
import Foundation
import LedgerModel

#if canImport(Glibc)
import Glibc
#endif

/// `--force`: the one way to replace an existing file a command writes.
struct OutputFileOptions: ParsableArguments {
    @Flag(help: "Replace the output file if it exists (never one inside a ledger directory).")
    var force = false
}

/// A file or folder a command writes at a path the user named.
///
/// Never inside a ledger directory (one holding a `data.mdb`, or the ledger in use), with symbolic
/// links and `..` resolved first; never over an existing file unless `--force`; and written whole
/// or not at all (``AtomicFile``). A device or a pipe (/dev/stdout, a FIFO) is written in place;
/// through a symbolic link, the file it points to is replaced and the link kept.
enum OutputFile {
    /// Writes `bytes` to `path`.
    static func write(_ bytes: [UInt8], to path: String, force: Bool, ledger: String?) throws(CommandFailure) {
        do {
            try write(to: path, force: force, ledger: ledger) { append in try append(bytes) }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(.storage, "cannot write \(path): \(error)")
        }
    }

    /// Writes the file at `path` from what `produce` appends.
    static func write(
        to path: String, force: Bool, ledger: String?, _ produce: (_ append: ([UInt8]) throws(AtomicFile.Failure) -> Void) throws -> Void
    ) throws {
        do {
            if let special = specialFile(path) {
                // A device or a pipe: nothing to replace, and renaming over it would be wrong.
                guard let handle = FileHandle(forWritingAtPath: special) else {
                    throw CommandFailure(.invalidInput, "cannot write \(path): it cannot be opened for writing")
                }
                defer { try? handle.close() }
                try produce { (bytes: [UInt8]) throws(AtomicFile.Failure) in
                    do { try handle.write(contentsOf: bytes) } catch {
                        throw AtomicFile.Failure(path: path, errno: SystemFailure(error)?.errno ?? EIO)
                    }
                }
                return
            }
            try check(path, force: force, ledger: ledger)
            // Through a link to a file: the file it points to is replaced, and the link kept.
            var status = stat()
            let target = lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK ? realPath(path) ?? path : path
            try AtomicFile.write(to: target, replacing: force, produce)
        } catch let failure as AtomicFile.Failure {
            if failure.errno == EEXIST {
                throw CommandFailure(.invalidInput, "\(path) exists already; it was kept — give --force to replace it, or name a new file")
            }
            throw CommandFailure(failure.system, "cannot write \(path)")
        }
    }

    /// Refuses what ``write(_:to:force:ledger:)`` would refuse, before a command does the
    /// work whose result it is to write (or signs what it is to write).
    static func check(_ path: String, force: Bool, ledger: String?) throws(CommandFailure) {
        guard specialFile(path) == nil else { return }
        try refuseInsideLedger(path, ledger: ledger)
        if !force, exists(path) {
            throw CommandFailure(.invalidInput, "\(path) exists already; it was kept — give --force to replace it, or name a new file")
        }
    }

    /// Refuses an output path inside a ledger directory: one holding a `data.mdb` (the path itself,
    /// when it is a folder, or any folder above it), or the ledger `ledger` names, even when that
    /// has no data yet. Links and `..` are resolved, for the name and for what a link points to.
    static func refuseInsideLedger(_ path: String, ledger: String?) throws(CommandFailure) {
        guard !path.isEmpty else { throw CommandFailure(.invalidInput, "the output path is empty — name a file") }
        let ledgerDirectory = ledger.flatMap(realPath)
        for candidate in [resolvedLocation(path), realPath(path)].compactMap({ $0 }) {
            var folder = candidate
            while true {
                if folder == ledgerDirectory || FileManager.default.fileExists(atPath: folder + "/data.mdb") {
                    throw CommandFailure(
                        .invalidInput,
                        "\(path) is inside the ledger directory \(folder); writing there could destroy the ledger — name a path outside it")
                }
                guard folder != "/", !folder.isEmpty else { break }
                folder = AtomicFile.split(folder).folder
            }
        }
    }

    /// The path with its folder's links and `..` resolved (the last name kept as given), or nil
    /// when the folder does not exist.
    static func resolvedLocation(_ path: String) -> String? {
        let (folderGiven, name) = AtomicFile.split(path)
        guard let folder = realPath(folderGiven) else { return nil }
        if name == ".." { return AtomicFile.split(folder).folder }
        if name == "." || name.isEmpty || name == "/" { return folder }
        return folder == "/" ? "/" + name : folder + "/" + name
    }

    /// realpath(3): every link and `..` resolved; nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The path when it names a device, a pipe or a socket (following links), else nil.
    private static func specialFile(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR, S_IFLNK: return nil
        default: return path
        }
    }

    /// Whether anything, a dangling link included, has the name `path`.
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }
}
