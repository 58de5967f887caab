import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// A maintenance outside the playbook policy counts as unplanned in the figures, with the reason in
/// the review; and the review counts customer messages by hour of the week. Checked on a history
/// worked out by hand (2026-03-14, -21 and -28 are Saturdays; 2026-03-17 a Tuesday, -22 a Sunday).
@Suite struct MaintenanceFiguresTests {
    static func maintenance(_ id: String, day: String, minutes: Int, resolvedAfter: Int) -> [String] {
        let start = try! Timestamp(rfc3339: "\(day)T22:00:00Z")
        let declare = #"{"title":"Upgrade","kind":"scheduled_maintenance","severity":"sev4","plannedStart":"\#(start.rfc3339)","plannedEnd":"\#(start.adding(seconds: Int64(minutes) * 60).rfc3339)"}"#
        let update = #"{"status":"in_progress","audience":"public","channels":["status_page"],"text":"Under way"}"#
        return [
            CLI.event(stream: id, at: "2026-03-01T12:00:00Z", payload: declare),
            CLI.event(stream: id, type: "status_update.published", at: start.rfc3339, payload: update),
            CLI.event(stream: id, type: "incident.resolved", at: start.adding(seconds: Int64(resolvedAfter) * 60).rfc3339, payload: #"{"summary":"Done"}"#),
        ]
    }

    static func unplanned(_ id: String, declared: String, message: String, resolved: String) -> [String] {
        [
            CLI.event(stream: id, at: declared, payload: #"{"title":"Errors","kind":"unplanned","severity":"sev3"}"#),
            CLI.event(stream: id, type: "customer.message_received", at: message, payload: #"{"messageId":"m-1","channel":"email","customer":"acme"}"#),
            CLI.event(stream: id, type: "incident.resolved", at: resolved, payload: #"{"summary":"Fixed"}"#),
        ]
    }

    static func ledger() throws -> CLI {
        let cli = CLI()
        #expect(try cli.run("init").status == 0)
        let lines =
            maintenance("MNT-1", day: "2026-03-14", minutes: 20, resolvedAfter: 15)  // keeps the policy
            + maintenance("MNT-2", day: "2026-03-21", minutes: 60, resolvedAfter: 50)  // a 60-minute window: too long
            + maintenance("MNT-3", day: "2026-03-28", minutes: 20, resolvedAfter: 40)  // resolved 20 minutes after its window
            + unplanned("INC-1", declared: "2026-03-17T09:00:00Z", message: "2026-03-17T09:30:00Z", resolved: "2026-03-17T10:00:00Z")
            + unplanned("INC-2", declared: "2026-03-22T23:00:00Z", message: "2026-03-22T23:10:00Z", resolved: "2026-03-22T23:30:00Z")
        let appended = try cli.run("append", stdin: lines.joined(separator: "\n") + "\n")
        #expect(appended.status == 0, "\(appended.stderr)")
        return cli
    }

    static func review(_ cli: CLI) throws -> [String: Any] {
        let outcome = try cli.run("review", "2026-Q1", "--format", "json", "--as-of", "2026-04-02T00:00:00Z")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
    }

    static func row(_ review: [String: Any], _ metric: String) -> [String: Any]? {
        (review["rows"] as? [[String: Any]])?.first { $0["metric"] as? String == metric }?["current"] as? [String: Any]
    }

    @Test func aMaintenanceOutsideThePolicyIsUnplannedInTheFiguresWithTheReason() async throws {
        let cli = try Self.ledger()
        let review = try Self.review(cli)
        #expect(review["incidentsByKind"] as? [String: Int] == ["scheduled_maintenance": 1, "unplanned": 4])
        let outside = review["maintenanceOutsidePolicy"] as? [[String: Any]] ?? []
        #expect(outside.map { $0["incident"] as? String } == ["MNT-2", "MNT-3"])
        #expect(outside.map { $0["rules"] as? [String] } == [["maintenance-too-long"], ["maintenance-overran"]])
        #expect((outside.first?["reasons"] as? [String])?.first == "the window lasts 60 minutes, longer than the policy's 20 minutes; shorten it or split the work")
        // Kept: MNT-1 only; the two outside the policy are misses (MNT-3 by its 20 minutes' overrun).
        let kept = try #require(Self.row(review, "maintenance_window_kept"))
        #expect(kept["count"] as? Int == 3)
        #expect(kept["ratio"] as? Double == 1.0 / 3.0)
        #expect((review["source"] as? [String: Any]).flatMap { $0["metricVersions"] as? [String: Int] }?["maintenance_window_kept"] == 4)
        // By kind, as `incidents metrics` breaks figures down.
        let byKind = try await cli.run("metrics", "maintenance_window_kept", "--by", "kind", "--period", "2026-Q1", "--format", "json")
        #expect(byKind.status == 0, "\(byKind.stderr)")
        let groups = (try JSONSerialization.jsonObject(with: Data(byKind.stdout.utf8)) as? [String: Any])?["groups"] as? [[String: Any]] ?? []
        #expect(groups.map { $0["name"] as? String } == ["scheduled_maintenance", "unplanned"])

        let text = try await cli.run("review", "2026-Q1", "--as-of", "2026-04-02T00:00:00Z")
        #expect(text.stdout.contains("Maintenance outside the policy"))
        #expect(text.stdout.contains("maintenance-overran"))

        // The policy is the figures' input: allow an hour and MNT-2 is maintenance again.
        let policy = try cli.write("policy.json", #"{"maintenance": {"maximumMinutes": 60}}"#)
        await #expect(try cli.run("policy", "set", policy, environment: ["USER": "lead"]).status == 0)
        let relaxed = try Self.review(cli)
        #expect(relaxed["incidentsByKind"] as? [String: Int] == ["scheduled_maintenance": 2, "unplanned": 3])
        #expect((relaxed["maintenanceOutsidePolicy"] as? [[String: Any]])?.map { $0["incident"] as? String } == ["MNT-3"])
    }

    @Test func theReviewNamesTheQuietestHourForCustomers() async throws {
        let cli = try Self.ledger()
        let cells = try #require(try Self.review(cli)["firstReplyByHourOfWeek"] as? [[String: Any]])
        let busy = cells.filter { ($0["messages"] as? Int ?? 0) > 0 }.map { [$0["day"] as? Int, $0["hour"] as? Int] }
        // Tuesday 09:30 and Sunday 23:10.
        #expect(busy == [[1, 9], [6, 23]])
        let text = try await cli.run("review", "2026-Q1", "--as-of", "2026-04-02T00:00:00Z").stdout
        #expect(text.contains("Quietest hour for customers: Mon 00:00–01:00 (UTC), 0 messages of 2 in the period."))
        let html = try await cli.run("review", "2026-Q1", "--format", "html", "--as-of", "2026-04-02T00:00:00Z").stdout
        #expect(html.contains("<p>Quietest hour for customers: Mon 00:00–01:00 (UTC), 0 messages of 2 in the period.</p>"))
        #expect(html.contains(#"<section id="maintenance">"#))
    }
}
