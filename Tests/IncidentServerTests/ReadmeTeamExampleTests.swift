import Foundation
import IncidentEvents
import LedgerTestSupport
import Testing

/// README's "Running it for a team" examples, run as written (only the port changed) with curl
/// against a live server: if a route or a field changes, the README is found out.
@Suite struct ReadmeTeamExampleTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md").path

    /// The shell commands between the team-example markers, continuation lines joined.
    static func commands() throws -> [String] {
        let text = try String(contentsOfFile: readme, encoding: .utf8)
        let start = try #require(text.range(of: "<!-- team-example -->"))
        let end = try #require(text.range(of: "<!-- /team-example -->"))
        var commands = [String]()
        var current = ""
        for line in text[start.upperBound..<end.lowerBound].split(separator: "\n") where !line.hasPrefix("```") {
            if line.hasSuffix("\\") {
                current += line.dropLast() + " "
            } else {
                commands.append(current + line)
                current = ""
            }
        }
        return commands
    }

    @Test func theCurlExamplesWorkAsWritten() async throws {
        let commands = try Self.commands()
        #expect(commands.count >= 5)
        let server = try await ServerFixture.start()
        let client = try await server.client(.responder)
        let token = try #require(client.token)
        for command in commands {
            let runnable = command.replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(server.port)")
            let outcome = try await onItsOwnThread {
                try ChildProcess.run("/bin/bash", ["-c", runnable], environment: ["TOKEN": token])
            }
            #expect(outcome.status == 0, "\(command)\n\(outcome.stderr)")
        }
        let postmortem = try await client.get("/v1/incidents/INC-7/postmortem?format=markdown")
        #expect(postmortem.text.contains("Some payments are failing"))
        try await server.stop()
    }
}
