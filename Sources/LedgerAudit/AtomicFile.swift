import Foundation
public import LedgerModel

#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole file so that its name shows either nothing (or the file it replaces) or all of
/// the new bytes, never part of them, even across a crash.
///
/// The bytes go to a temporary file in the same folder, made with O_EXCL (which never follows a
/// symbolic link) and its permissions from the first byte on; it is synced, then linked to
/// its name — which fails rather than replace a file or a link that is there — or, `replacing`,
/// renamed over it. The folder is synced after, so the name survives a crash too.
public enum AtomicFile {
    /// Why a write failed: the path and the C `errno` (ENOSPC, EEXIST, EACCES, …).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var errno: Int32

        public init(path: String, errno: Int32) {
            self.path = path
            self.errno = errno
        }

        /// The failure in the tool's own words.
        public var system: SystemFailure { SystemFailure(errno: errno) }
        /// The disk is full or failed, as opposed to a path that cannot be written.
        public var isStorageFailure: Bool { system.isStorage }
        public var description: String { "\(path): \(system.reason)" }
    }

    /// Writes `bytes` as the whole file at `path`.
    public static func write(_ bytes: [UInt8], to path: String, permissions: Int = 0o644, replacing: Bool = false) throws(Failure) {
        do {
            try write(to: path, permissions: permissions, replacing: replacing) { append in try append(bytes) }
        } catch let error as Failure {
            throw error
        } catch {
            fatalError("only the appends throw")
        }
    }

    /// Writes the file at `path` from what `produce` hands to the `append` it is given, in order.
    /// When `produce` throws, the name is left as it was and the error is passed on.
    public static func write(
        to path: String, permissions: Int = 0o644, replacing: Bool = false, _ produce: (_ append: ([UInt8]) throws(Failure) -> Void) throws -> Void
    ) throws {
        let temporary = "\(path).\(getpid()).tmp"
        // The mode applies from the first byte on (less what the umask takes away).
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(permissions))
        guard descriptor >= 0 else { throw Failure(path: path, errno: errno) }
        // After a rename this finds nothing; after a link it drops the second name.
        defer { unlink(temporary) }
        do {
            defer { close(descriptor) }
            try produce { (bytes: [UInt8]) throws(Failure) in
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
                    if written < 0, errno == EINTR { continue }
                    guard written > 0 else { throw Failure(path: path, errno: written < 0 ? errno : EIO) }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else { throw Failure(path: path, errno: errno) }
        }
        if replacing {
            guard rename(temporary, path) == 0 else { throw Failure(path: path, errno: errno) }
        } else {
            guard link(temporary, path) == 0 else { throw Failure(path: path, errno: errno) }
        }
        try syncFolder(of: path)
    }

    /// The folder part and the last name of a path: `("a/b", "c")` for `a/b/c`, `(".", "c")` for
    /// `c`, `("/", "c")` for `/c`; trailing slashes are dropped first. (NSString's path methods trap
    /// on some short strings in this Foundation.)
    public static func split(_ path: String) -> (folder: String, name: String) {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        guard let slash = path.lastIndex(of: "/") else { return (".", String(path)) }
        let folder = path[..<slash]
        return (folder.isEmpty ? "/" : String(folder), String(path[path.index(after: slash)...]))
    }

    /// Syncs the folder holding `path`, so a name made or changed in it survives a crash.
    public static func syncFolder(of path: String) throws(Failure) {
        let folder = split(path).folder
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(path: folder, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure(path: folder, errno: errno) }
    }
}
