import Foundation
import Synchronization

/// A fresh directory under the system's temporary folder, removed when this value is released.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "ledger-test") {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension TemporaryDirectory {
    /// Removes the directory when the test process exits too: for one held by a `static`, which
    /// Swift never releases, so that a shared fixture leaves nothing in the temporary folder.
    public func removeAtExit() {
        ExitCleanup.add(path)
    }
}

/// The directories to remove when the process exits (`atexit`).
private enum ExitCleanup {
    static let paths = Mutex<[String]>([])
    static let registered: Void = {
        atexit {
            for path in ExitCleanup.paths.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
        }
    }()

    static func add(_ path: String) {
        _ = registered
        paths.withLock { $0.append(path) }
    }
}
