import Foundation
import LedgerTestSupport
import Testing

/// docs/playbook.md walks a support lead through a whole incident; every command of its walkthrough
/// is run here, in order, so the page and the tool cannot drift apart.
@Suite struct PlaybookWalkthroughTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One command of the walkthrough and the exit status its `# exit N` comment expects (0 without one).
    struct Step {
        var arguments: [String]
        var status: Int32
        var line: String
    }

    /// The commands between `<!-- walkthrough -->` and `<!-- /walkthrough -->`.
    static func steps() throws -> [Step] {
        let page = try String(contentsOf: repository.appendingPathComponent("docs/playbook.md"), encoding: .utf8)
        let start = try #require(page.range(of: "<!-- walkthrough -->"))
        let end = try #require(page.range(of: "<!-- /walkthrough -->"))
        var steps = [Step]()
        for line in page[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init) where line.hasPrefix("incidents ") {
            var command = line
            var status: Int32 = 0
            if let marker = line.range(of: "  # exit ") {
                status = try #require(Int32(line[marker.upperBound...].trimmingCharacters(in: .whitespaces)))
                command = String(line[..<marker.lowerBound])
            }
            steps.append(Step(arguments: Array(try words(command).dropFirst()), status: status, line: line))
        }
        return steps
    }

    /// Splits a command line into words as a shell would for these lines: spaces, and double quotes around words with spaces.
    static func words(_ line: String) throws -> [String] {
        var words = [String]()
        var current = ""
        var quoted = false
        var inWord = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
                inWord = true
            } else if character == " ", !quoted {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        try #require(!quoted, "an unclosed quote in \(line)")
        if inWord { words.append(current) }
        return words
    }

    @Test func theWalkthroughRunsAsThePageSays() async throws {
        let cli = CLI()
        let templates = try String(contentsOf: Self.repository.appendingPathComponent("docs/examples/templates-en.json"), encoding: .utf8)
        try FileManager.default.createDirectory(atPath: cli.directory.file("docs/examples"), withIntermediateDirectories: true)
        _ = try cli.write("docs/examples/templates-en.json", templates)
        let steps = try Self.steps()
        #expect(steps.count >= 30)
        var said = [String: String]()
        for step in steps {
            let outcome = try await cli.run(step.arguments, environment: ["USER": "jane"])
            #expect(outcome.status == step.status, "\(step.line)\n\(outcome.stdout)\(outcome.stderr)")
            said[step.line] = outcome.stdout + outcome.stderr
        }
        func output(_ fragment: String) -> String { said.first { $0.key.contains(fragment) }?.value ?? "" }
        // What the page says each step prints.
        #expect(output("due --at 2026-11-17T14:40").contains("a first reply to acme-retail (enterprise)"))
        #expect(output("due --at 2026-11-17T14:45").contains("overdue"))
        #expect(output("--channels social_media").contains("update-social-media-too-long") && output("--channels social_media").contains("nothing was written"))
        let flagged = output("Our vendor's database")
        #expect(flagged.contains("incidents: warning:") && flagged.contains("update-flagged-words") && !flagged.contains("update-next-update-too-late"), "\(flagged)")
        #expect(output("still looking into").contains("update-status-behind"))
        #expect(output("due --at 2026-11-18").contains("satisfaction survey"))
        #expect(output("due --at 2026-11-19").contains("nothing due"))
        let postmortem = output("postmortem INC-2026-1117 --as-of")
        #expect(postmortem.contains("jane (emea) → kenji (apac)") && postmortem.contains("The fault hit at 14:00 UTC"), "\(postmortem)")
        #expect(output("MNT-2026-1128").contains("warning") == false)
        #expect(output("MNT-2026-1126").components(separatedBy: "incidents: warning:").count == 5)
        let review = output("incidents review 2026-11")
        #expect(review.contains("Maintenance outside the policy") && review.contains("MNT-2026-1126"), "\(review)")
        await #expect(try cli.run("verify").status == 0)
    }
}
