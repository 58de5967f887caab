import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// The rules of a good status update from the command line: a channel's limit refuses always, the
/// other rules warn, and refuse with --strict.
@Suite struct UpdateRulesCommandTests {
    static func declared() throws -> CLI {
        let cli = CLI()
        try cli.run("init")
        let declared = try cli.run(
            "declare", "INC-1", "--title", "Payments failing", "--kind", "unplanned", "--severity", "sev1", "--regions", "eu-west-1",
            "--at", "2026-03-14T09:00:00Z")
        #expect(declared.status == 0, "\(declared.stderr)")
        return cli
    }

    @Test func aSocialMediaUpdateOverTheLimitIsRefusedWhateverTheStrictness() async throws {
        let cli = try Self.declared()
        let log = try await cli.run("log", "--json").stdout
        let long = String(repeating: "Payments fail in eu-west-1. ", count: 22)  // 616 characters
        let refused = try await cli.run(
            "update", "INC-1", "--status", "investigating", "--audience", "public", "--channels", "status_page,social_media", "--text", long,
            "--next-update-by", "2026-03-14T09:30:00Z", "--at", "2026-03-14T09:05:00Z")
        #expect(refused.status == 3, "\(refused.stdout)")
        #expect(refused.stderr.contains("the text is 616 characters and social media takes at most 280") && refused.stderr.contains("(update-social-media-too-long)"), "\(refused.stderr)")
        await #expect(try cli.run("log", "--json").stdout == log)
        // On the status page alone the same text is fine.
        let page = try await cli.run(
            "update", "INC-1", "--status", "investigating", "--audience", "public", "--channels", "status_page", "--text", long,
            "--next-update-by", "2026-03-14T09:30:00Z", "--at", "2026-03-14T09:05:00Z")
        #expect(page.status == 0 && page.stderr.isEmpty, "\(page.stderr)")
    }

    @Test func theOtherRulesWarnAndRefuseWhenStrict() async throws {
        let cli = try Self.declared()
        let arguments = ["update", "INC-1", "--status", "investigating", "--audience", "public", "--channels", "status_page", "--text", "Our database failed in eu-west-1.", "--at", "2026-03-14T09:05:00Z"]
        let strict = try await cli.run(arguments + ["--strict"])
        #expect(strict.status == 3 && strict.stderr.contains("(update-no-next-update)"), "\(strict.stderr)")
        let warned = try await cli.run(arguments)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("incidents: warning: the update does not say when the next one will come; promise a time (nextUpdateBy) (update-no-next-update)"), "\(warned.stderr)")
        #expect(warned.stderr.contains("'database', on the policy's blame and jargon list") && warned.stderr.contains("(update-flagged-words)"))
        let report = try await cli.run("postmortem", "INC-1", "--as-of", "2026-03-15T00:00:00Z")
        #expect(report.stdout.contains("### Playbook checks") && report.stdout.contains("2 checks broken by 1 event, 2 rules in all"), "\(report.stdout)")
    }
}
