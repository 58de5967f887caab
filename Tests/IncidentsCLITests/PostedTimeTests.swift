import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// A status update shown at one time and posted at another (#13 item 5): the smallest input is one
/// Statuspage incident whose only update was back-dated by almost three days.
@Suite struct PostedTimeTests {
    static let document = #"""
        {"incident": {"id": "bd1", "name": "Delayed webhooks", "status": "resolved", "impact": "minor",
          "created_at": "2023-05-01T10:00:00Z", "started_at": "2023-05-01T09:55:00Z", "resolved_at": "2023-05-04T09:00:00Z",
          "incident_updates": [{"id": "u1", "status": "investigating", "body": "We are investigating delayed webhooks.",
            "display_at": "2023-05-01T10:00:00Z", "created_at": "2023-05-04T08:00:00Z"}]}}
        """#

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func aBackdatedUpdateIsReportedKeptWithBothTimesAndCountedWhenPosted() async throws {
        let cli = CLI()
        try await cli.run("init")
        let file = try cli.write("statuspage.json", Self.document)
        let imported = try await cli.run("import", "statuspage", file)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains(
            "warning: [posted_after_shown_time] bd1: update u1 shows 2023-05-01T10:00:00Z but was posted 2023-05-04T08:00:00Z, 2.9 days later"))

        // Both times recorded: the time shown as occurredAt, the posting as postedAt.
        let log = try await cli.run("log", "--json")
        let update = try #require(log.stdout.split(separator: "\n").map { try Self.json(String($0)) }.first { $0["type"] as? String == "status_update.published" })
        #expect(update["occurredAt"] as? String == "2023-05-01T10:00:00Z")
        #expect((update["payload"] as? [String: Any])?["postedAt"] as? String == "2023-05-04T08:00:00Z")

        // The timeline shows the time shown, with the posting beside it, in every form.
        let timeline = try await cli.run("timeline", "SP-bd1")
        let line = try #require(timeline.stdout.split(separator: "\n").first { $0.contains("Public update") })
        #expect(line.hasPrefix("2023-05-01T10:00:00Z"))
        #expect(line.contains("(posted 2023-05-04T08:00:00Z, 2d 22h after the time shown)"))
        let entries = try await cli.run("timeline", "SP-bd1", "--json").stdout.split(separator: "\n").map { try Self.json(String($0)) }
        #expect(entries.first { $0["type"] as? String == "status_update.published" }?["postedAt"] as? String == "2023-05-04T08:00:00Z")
        #expect(entries.filter { $0["postedAt"] != nil }.count == 1)

        let markdown = try await cli.run("postmortem", "SP-bd1", "--as-of", "2023-06-01T00:00:00Z")
        #expect(markdown.stdout.contains("posted 2023-05-04T08:00:00Z, 2d 22h after the time shown"))
        #expect(markdown.stdout.contains("first public update 2023-05-04T08:00:00Z (posted; shown as 2023-05-01T10:00:00Z)"))
        let html = try await cli.run("postmortem", "SP-bd1", "--as-of", "2023-06-01T00:00:00Z", "--format", "html")
        #expect(html.stdout.contains("posted 2023-05-04T08:00:00Z, 2d 22h after the time shown"))
        let report = try await Self.json(try cli.run("postmortem", "SP-bd1", "--as-of", "2023-06-01T00:00:00Z", "--format", "json").stdout)
        let reported = try #require((report["timeline"] as? [[String: Any]])?.first { $0["type"] as? String == "status_update.published" })
        #expect(reported["occurredAt"] as? String == "2023-05-01T10:00:00Z")
        #expect(reported["postedAt"] as? String == "2023-05-04T08:00:00Z")
        let figures = try #require(report["responseFigures"] as? [String: Any])
        let fromDeclaration = try #require(figures["timeToFirstPublicUpdateFromDeclaration"] as? [String: Any])
        #expect(fromDeclaration["seconds"] as? Int == 252_000)
        #expect((fromDeclaration["stop"] as? [String: Any])?["shownAt"] as? String == "2023-05-01T10:00:00Z")

        // Time to first public update runs to the posting: 2d 22h from the declaration, 5 minutes more from the impact.
        for (metric, seconds) in [("time_to_first_public_update_from_declaration", 252_000), ("time_to_first_public_update", 252_300)] {
            let result = try await Self.json(try cli.run("metrics", metric, "--by", "incident", "--format", "json").stdout)
            #expect(result["version"] as? Int == 4)
            let group = try #require((result["groups"] as? [[String: Any]])?.first)
            #expect(group["name"] as? String == "SP-bd1")
            let statistics = (group["value"] as? [String: Any])?["statistics"] as? [String: Any]
            #expect(statistics?["maximum"] as? Int == seconds, "\(metric)")
        }

        // The independent script reads postedAt the same way.
        let python = try await ChildProcess.run("/usr/bin/env", ["python3", ReviewCommandTests.repository + "/Tools/crosscheck-metrics.py"], stdin: log.stdout)
        #expect(python.status == 0, "\(python.stderr)")
        let expected = try Self.json(python.stdout)
        #expect((expected["time_to_first_public_update_from_declaration"] as? [String: Any])?["maximum"] as? Int == 252_000)
        #expect((expected["time_to_first_public_update"] as? [String: Any])?["maximum"] as? Int == 252_300)

        // Over a longer interval the import reports nothing; the times are kept as before.
        let quiet = CLI()
        try await quiet.run("init")
        let again = try await quiet.run("import", "statuspage", try quiet.write("statuspage.json", Self.document), "--backdated-after", "3d")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stderr.contains("posted_after_shown_time"))
        let quietUpdate = try await #require(try quiet.run("log", "--json").stdout.split(separator: "\n").map { try Self.json(String($0)) }
            .first { $0["type"] as? String == "status_update.published" })
        #expect((quietUpdate["payload"] as? [String: Any])?["postedAt"] as? String == "2023-05-04T08:00:00Z")
        #expect(quietUpdate["id"] as? String == update["id"] as? String)
        let bad = try await quiet.run("import", "statuspage", try quiet.write("again.json", Self.document), "--backdated-after", "soon")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--backdated-after"))
    }
}
