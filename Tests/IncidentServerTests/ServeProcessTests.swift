import Foundation
import LedgerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `incidents serve` as its users start it: graceful shutdown on SIGTERM with a live tail open, and
/// HTTPS with a certificate and key.
@Suite struct ServeProcessTests {
    @Test func sigtermShutsDownGracefully() async throws {
        let directory = TemporaryDirectory("serve-term")
        let (ledger, secret) = try ServerFixture.preparedLedger(in: directory, role: "reviewer", name: "rita")
        let tool = ChildProcess.executable("incidents")
        let (server, port) = try ServerFixture.serve(ledger: ledger)
        let tail = try await HTTPTestClient(port: port, token: secret).stream("/v1/events/stream")
        #expect(tail.status == 200)
        #expect(try await tail.next()?.event == "access.granted")
        kill(server.processIdentifier, SIGTERM)
        let exited = try await EventStoreConformance.within(.seconds(30)) {
            try await onItsOwnThread {
                server.waitUntilExit()
                return server.terminationStatus
            }
        }
        #expect(exited == 0)
        // The tail was ended, not cut mid-event; and the ledger closed cleanly.
        #expect(try await tail.next() == nil)
        await #expect(try ChildProcess.run(tool, ["verify", "--ledger", ledger]).status == 0)
    }

    @Test func aPortInUseIsOneClearLine() async throws {
        let server = try await ServerFixture.start()
        let second = try await ChildProcess.run(
            ChildProcess.executable("incidents"), ["serve", "--ledger", server.directory.file("ledger"), "--listen", "127.0.0.1:\(server.port)"])
        #expect(second.status == 5)
        #expect(second.stderr == "incidents: cannot listen on 127.0.0.1:\(server.port): the address is in use — stop what listens there, or give another --listen\n")
        try await server.stop()
    }

    @Test func servesHTTPSWithACertificate() async throws {
        let directory = TemporaryDirectory("serve-tls")
        let ledger = directory.file("ledger")
        let tool = ChildProcess.executable("incidents")
        await #expect(try ChildProcess.run(tool, ["init", "--ledger", ledger]).status == 0)
        let (cert, key) = (directory.file("cert.pem"), directory.file("key.pem"))
        let made = try await ChildProcess.run(
            "/usr/bin/openssl",
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert])
        #expect(made.status == 0, "\(made.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["serve", "--ledger", ledger, "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try ChildProcess.start(process)
        defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        #expect(line.hasPrefix("listening on https://127.0.0.1:"), "\(line)")
        let port = try #require(line.split(separator: ":").dropFirst(2).first.flatMap { Int($0.prefix { $0.isNumber }) })
        let curl = try await ChildProcess.run("/usr/bin/curl", ["-fsS", "--cacert", cert, "https://127.0.0.1:\(port)/healthz"])
        #expect(curl.status == 0, "\(curl.stderr)")
        #expect(curl.stdout.contains("\"status\":\"ok\""))
        // A file that is not a certificate is one clear line, not a TLS library's error.
        let wrong = try await ChildProcess.run(tool, ["serve", "--ledger", ledger, "--listen", "127.0.0.1:0", "--tls-cert", key, "--tls-key", key])
        #expect(wrong.status == 3)
        #expect(wrong.stderr.hasPrefix("incidents: \(key) is not a PEM certificate chain"), "\(wrong.stderr)")
        // Plain HTTP to the TLS port gets no answer.
        let plain = try await ChildProcess.run("/usr/bin/curl", ["-sS", "--max-time", "5", "http://127.0.0.1:\(port)/healthz"])
        #expect(plain.status != 0)
    }
}
