import Foundation
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A real `incidents serve` process on a free loopback port over a fresh ledger in a temporary
/// directory. The test process opens the same ledger too (LMDB serves several processes), to issue
/// tokens and to check what the server wrote. Its own process, so no test that blocks a thread of
/// the test process can hold the server up.
final class ServerFixture: Sendable {
    let directory: TemporaryDirectory
    let service: LedgerService
    let port: Int
    let process: Process

    private init(directory: TemporaryDirectory, service: LedgerService, port: Int, process: Process) {
        self.directory = directory
        self.service = service
        self.port = port
        self.process = process
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Starts a server over a new ledger; `arguments` go to `incidents serve` (`--idle-timeout 1`, …).
    static func start(_ arguments: [String] = []) async throws -> ServerFixture {
        let directory = TemporaryDirectory("server-test")
        let path = directory.file("ledger")
        let ledger = try Ledger.create(at: path)
        let service = LedgerService(ledger: ledger, defaults: RecordingDefaults.system.recorded(by: Actor(kind: .person, id: "test-admin")))
        let (process, port) = try await onItsOwnThread {
            try serve(ledger: path, arguments: arguments, log: directory.file("serve.log"))
        }
        return ServerFixture(directory: directory, service: service, port: port, process: process)
    }

    /// Starts `incidents serve` on port 0 and returns the process and the port its first line names.
    static func serve(ledger: String, arguments: [String] = [], log: String? = nil) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ChildProcess.executable("incidents"))
        process.arguments = ["serve", "--ledger", ledger, "--listen", "127.0.0.1:0", "--log-level", "warning"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "INCIDENTS_LEDGER")
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        if let log {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: log)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try ChildProcess.start(process)
        var line = [UInt8]()
        while line.last != 0x0A {
            guard let byte = output.fileHandleForReading.readData(ofLength: 1).first else {
                throw HTTPTestClient.Failure(description: "incidents serve ended before it listened\(log.map { ": " + ((try? String(contentsOfFile: $0, encoding: .utf8)) ?? "") } ?? "")")
            }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        // "listening on http://127.0.0.1:PORT (ledger …)"
        guard let range = text.range(of: #"127\.0\.0\.1:[0-9]+"#, options: .regularExpression), let port = Int(text[range].split(separator: ":")[1]) else {
            throw HTTPTestClient.Failure(description: "unexpected first line from incidents serve: \(text)")
        }
        return (process, port)
    }

    /// A new ledger made with the CLI (`incidents init`), and the secret of a token of `role` for
    /// `name` made with `incidents tokens create`, as an operator prepares a server.
    static func preparedLedger(in directory: TemporaryDirectory, role: String, name: String) throws -> (ledger: String, secret: String) {
        let ledger = directory.file("ledger")
        let tool = ChildProcess.executable("incidents")
        guard try ChildProcess.run(tool, ["init", "--ledger", ledger]).status == 0 else { throw HTTPTestClient.Failure(description: "incidents init failed") }
        let created = try ChildProcess.run(tool, ["tokens", "create", "--role", role, "--name", name, "--ledger", ledger, "--actor", "person:admin"])
        guard created.status == 0, let secret = created.stdout.split(separator: "\n").first(where: { $0.hasPrefix("il_") }) else {
            throw HTTPTestClient.Failure(description: "incidents tokens create failed: \(created.stderr)")
        }
        return (ledger, String(secret))
    }

    /// A client holding a new token of `role` for `holder`.
    func client(_ role: AccessRole, holder: String = "jane@example.com") async throws -> HTTPTestClient {
        let issued = try await service.createToken(holder: Actor(kind: .person, id: holder), role: role, expiresAt: nil)
        return HTTPTestClient(port: port, token: issued.secret)
    }

    /// A client with no token.
    var anonymous: HTTPTestClient { HTTPTestClient(port: port) }

    /// Shuts the server down as an operator does (SIGTERM) and waits until it has exited cleanly.
    func stop() async throws {
        kill(process.processIdentifier, SIGTERM)
        let process = self.process
        let status = try await onItsOwnThread {
            process.waitUntilExit()
            return process.terminationStatus
        }
        guard status == 0 else {
            let log = (try? String(contentsOfFile: directory.file("serve.log"), encoding: .utf8)) ?? ""
            throw HTTPTestClient.Failure(description: "incidents serve exited with \(status) after SIGTERM: \(log)")
        }
    }
}
