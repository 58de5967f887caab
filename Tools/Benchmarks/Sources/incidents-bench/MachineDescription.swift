import Foundation

/// What the numbers were measured on: enough to tell whether two tables can be compared.
struct MachineDescription {
    var processors: Int
    var cpuModel: String
    var kernel: String
    var swiftVersion: String
    var filesystem: String
    var loadAverageBefore: String
    var loadAverageAfter: String = "?"

    /// Reads the machine; `directory` is where the ledgers are written.
    static func current(directory: String) -> MachineDescription {
        MachineDescription(
            processors: ProcessInfo.processInfo.activeProcessorCount,
            cpuModel: cpuModel(),
            kernel: kernel(),
            swiftVersion: swiftVersion(),
            filesystem: filesystem(of: directory),
            loadAverageBefore: loadAverage())
    }

    var summary: String {
        "\(processors) cores (nproc), \(cpuModel); Linux \(kernel); \(swiftVersion); "
            + "data on \(filesystem); load average (1/5/15 min) \(loadAverageBefore) at the start, \(loadAverageAfter) at the end"
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown CPU"
    }

    static func kernel() -> String {
        var names = utsname()
        guard uname(&names) == 0 else { return "unknown" }
        return withUnsafeBytes(of: &names.release) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    /// The first line of `swift --version`, from the toolchain on the PATH.
    static func swiftVersion() -> String {
        guard let output = try? Subprocess.run("/usr/bin/env", ["swift", "--version"], quietErrors: true),
            let line = output.split(separator: "\n").first(where: { $0.contains("Swift version") })
        else { return "Swift (version unknown)" }
        return String(line)
    }

    /// The 1, 5 and 15 minute load averages: the machine may be shared with other work.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The device and type of the filesystem holding `path` (the mount with the longest matching prefix).
    static func filesystem(of path: String) -> String {
        guard let text = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return "unknown filesystem" }
        var best: (mountPoint: String, description: String)? = nil
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let mountPoint = String(fields[1])
            let matches = mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/")
            if matches, mountPoint.count >= (best?.mountPoint.count ?? -1) {
                best = (mountPoint, "\(fields[2]) (\(fields[0]) at \(mountPoint))")
            }
        }
        return best?.description ?? "unknown filesystem"
    }
}

/// Runs a program to completion and returns what it printed on standard output.
enum Subprocess {
    /// Standard error goes to this process's standard error unless `quietErrors`.
    static func run(_ executable: String, _ arguments: [String], quietErrors: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        if quietErrors { process.standardError = FileHandle.nullDevice }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchFailure("\(executable) \(arguments.joined(separator: " ")) exited with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
