import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension ChildProcess {
    /// How a process run with a time limit ended.
    public struct TimedOutcome: Sendable {
        public enum Ending: Sendable, Equatable {
            case exited(Int32)
            /// Killed by this signal (not one this runner sent).
            case signalled(Int32)
            /// Still running at the time limit, and killed with SIGKILL.
            case timedOut
        }

        public var ending: Ending
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` with no standard input, killing it with SIGKILL after `timeout` seconds.
    /// Its output goes through files in `directory`, so a child that fills a pipe cannot stall.
    public static func run(
        _ executable: String, _ arguments: [String], directory: String, timeout: Double
    ) throws -> TimedOutcome {
        let label = UUID().uuidString.prefix(8)
        let outPath = "\(directory)/.stdout-\(label)"
        let errPath = "\(directory)/.stderr-\(label)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "INCIDENTS_LEDGER")
        // No backtraces from the Swift runtime: a signal death must show as one, quickly.
        env["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = FileHandle(forWritingAtPath: outPath)!
        let err = FileHandle(forWritingAtPath: errPath)!
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try start(process)
        try? out.close()
        try? err.close()
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        let ending: TimedOutcome.Ending =
            timedOut ? .timedOut
            : process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
        return TimedOutcome(ending: ending, stdout: stdout, stderr: stderr)
    }
}
