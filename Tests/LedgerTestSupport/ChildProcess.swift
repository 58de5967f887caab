public import Foundation
import Synchronization

/// Runs the package's own executables as real processes.
public enum ChildProcess {
    /// The folder the test binary was built into, where the package's executables are too.
    public static let productsDirectory: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // The test runner may live inside an .xctest bundle folder.
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("incidents").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    /// Starts `process`, one start at a time in this test process.
    ///
    /// Foundation's `Process.run()` is not safe to call from several threads at once on Linux: a CI run
    /// crashed inside it (a bad pointer in its `memcpy`) once tests started children from threads of
    /// their own (`onItsOwnThread`) rather than from the two cooperative threads. Only the start is
    /// serialised; the children then run, and are waited for, side by side.
    public static func start(_ process: Process) throws {
        try starting.withLock { _ in try process.run() }
    }

    private static let starting = Mutex(())

    /// The path of one of the package's executables.
    public static func executable(_ name: String) -> String {
        "\(productsDirectory)/\(name)"
    }

    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` with `arguments` to completion, from an async test: the child is waited for
    /// on a thread of its own (`onItsOwnThread`), not on one of the two threads every test shares.
    public static func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil,
        environment: [String: String] = [:], directory: String? = nil
    ) async throws -> Outcome {
        try await onItsOwnThread { try run(executable, arguments, stdin: stdin, environment: environment, directory: directory) }
    }

    /// Runs `executable` with `arguments` to completion.
    public static func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil,
        environment: [String: String] = [:], directory: String? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "INCIDENTS_LEDGER")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try start(process)
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a full pipe cannot stall the child.
        // Standard error is read on a thread of its own, not libdispatch's global queue: that queue
        // does not grow while its threads compute, so a loaded run could leave the read unstarted
        // and the child stalled on a full pipe.
        let errRead = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var errData = Data()
        Thread.detachNewThread {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            errRead.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errRead.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
