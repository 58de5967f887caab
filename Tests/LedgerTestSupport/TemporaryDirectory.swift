import Foundation

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
