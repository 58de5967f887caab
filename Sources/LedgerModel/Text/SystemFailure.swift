import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A failed system call or Foundation file operation, wrapped once: its `errno`, said in the
/// tool's own words, and whether it is the storage's fault (a full disk, an I/O error) or the
/// path's (missing, denied, a folder). Foundation's own texts ("The operation could not be
/// completed") never reach a user.
public struct SystemFailure: Sendable {
    /// The C error number (`ENOSPC`, `EACCES`, …); 0 when none could be found.
    public var errno: Int32

    public init(errno: Int32) {
        self.errno = errno
    }

    /// The errno behind a Foundation error: a POSIX `NSError`, the POSIX error under a Cocoa one, or
    /// the Cocoa file error's meaning. nil for an error that is not about files at all.
    public init?(_ error: any Error) {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain {
            self.init(errno: Int32(nsError.code))
            return
        }
        // On Linux the underlying error may be a Swift value (POSIXError), which `as? NSError` misses.
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? any Error, (underlying as NSError).domain == NSPOSIXErrorDomain {
            self.init(errno: Int32((underlying as NSError).code))
            return
        }
        guard let cocoa = error as? CocoaError else { return nil }
        switch cocoa.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: self.init(errno: ENOENT)
        case .fileReadNoPermission, .fileWriteNoPermission: self.init(errno: EACCES)
        case .fileWriteOutOfSpace: self.init(errno: ENOSPC)
        case .fileWriteVolumeReadOnly: self.init(errno: EROFS)
        case .fileWriteFileExists: self.init(errno: EEXIST)
        case .fileReadTooLarge: self.init(errno: EFBIG)
        case .fileReadInvalidFileName, .fileWriteInvalidFileName: self.init(errno: EINVAL)
        default: self.init(errno: 0)
        }
    }

    /// The failure of the last system call, from the global `errno`.
    public static var last: SystemFailure { SystemFailure(errno: Glibc.errno) }

    /// True when the storage is at fault (the disk is full, a quota or file-size limit was reached,
    /// or an I/O error occurred), not the path given.
    public var isStorage: Bool {
        [ENOSPC, EDQUOT, EFBIG, EIO].contains(errno)
    }

    /// What went wrong, in a few words.
    public var reason: String {
        switch errno {
        case ENOSPC: "the disk is full"
        case EDQUOT: "the disk quota is used up"
        case EFBIG: "the file would be larger than the system allows"
        case EIO: "an I/O error occurred (the disk may be failing)"
        case ENOENT: "no such file or folder"
        case ENOTDIR: "a part of the path is not a folder"
        case EISDIR: "it is a folder"
        case EACCES, EPERM: "permission denied"
        case EROFS: "the file system is read-only"
        case EEXIST: "it exists already"
        case ENAMETOOLONG: "the name is too long"
        case EINVAL: "the name is not valid"
        case 0: "the system gave no reason"
        default: "system error \(errno) (\(String(cString: strerror(errno))))"
        }
    }

    /// What to do about it, in a few words.
    public var remedy: String {
        switch errno {
        case ENOSPC, EDQUOT, EFBIG: "free space (or raise the limit) and try again"
        case EIO: "check the disk and the system log, then try again"
        case ENOENT, ENOTDIR: "check the path; its folder must exist"
        case EACCES, EPERM, EROFS: "choose a location you can write to, or ask for access"
        case EEXIST: "choose another name"
        default: "check the path and try again"
        }
    }
}
