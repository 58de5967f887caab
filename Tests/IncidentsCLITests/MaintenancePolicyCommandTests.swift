import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// Declaring planned maintenance against the policy from the command line: a warning by default, a
/// refusal with --strict or when the policy always refuses, and nothing written when refused.
@Suite struct MaintenancePolicyCommandTests {
    static let environment = ["USER": "lead"]

    /// `incidents declare` of a maintenance, announced on 2026-03-01 (the window in 2026-03 is 2 weeks later).
    static func declare(_ cli: CLI, _ incident: String, start: String, end: String, _ extra: String...) throws -> ChildProcess.Outcome {
        try cli.run(
            ["declare", incident, "--title", "Database upgrade", "--kind", "scheduled_maintenance", "--severity", "sev4", "--planned-start", start,
             "--planned-end", end, "--at", "2026-03-01T12:00:00Z"] + extra, environment: Self.environment)
    }

    @Test func aWindowOutsideThePolicyIsRecordedWithAWarningOrRefused() async throws {
        let cli = CLI()
        await #expect(try cli.run("init").status == 0)
        // Inside the policy: Saturday 22:00 for 20 minutes, two weeks ahead. No warning.
        let kept = try Self.declare(cli, "MNT-1", start: "2026-03-14T22:00:00Z", end: "2026-03-14T22:20:00Z")
        #expect(kept.status == 0 && kept.stderr.isEmpty, "\(kept.stderr)")

        // The issue's three-day window: recorded, with one warning per rule broken.
        let long = try Self.declare(cli, "MNT-2", start: "2026-03-14T22:00:00Z", end: "2026-03-17T22:00:00Z")
        #expect(long.status == 0)
        #expect(long.stderr == """
            incidents: warning: the window Saturday 22:00–Tuesday 22:00 (UTC) lies outside the policy's hours 22:00–06:00; move it inside them (maintenance-hours)
            incidents: warning: the window lasts 3 days, longer than the policy's 20 minutes; shorten it or split the work (maintenance-too-long)

            """)
        await #expect(try cli.run("show", "MNT-2").status == 0)

        // --strict: refused, naming the first rule and the field; nothing written.
        let head = try await cli.run("info").stdout
        let strict = try Self.declare(cli, "MNT-3", start: "2020-05-02T22:00:00Z", end: "2020-05-02T22:20:00Z", "--strict")
        #expect(strict.status == 3)
        #expect(strict.stderr.contains("payload.plannedStart") && strict.stderr.contains("(maintenance-window-past)"), "\(strict.stderr)")
        #expect(strict.stderr.contains("nothing was written"))
        await #expect(try cli.run("info").stdout == head)
        await #expect(try cli.run("show", "MNT-3").status == 3)

        // A policy that always refuses: refused without --strict.
        let policy = try cli.write("policy.json", #"{"maintenance": {"alwaysRefuse": true}}"#)
        await #expect(try cli.run("policy", "set", policy, environment: Self.environment).status == 0)
        let headWithPolicy = try await cli.run("info").stdout
        let refused = try Self.declare(cli, "MNT-4", start: "2026-03-17T22:00:00Z", end: "2026-03-17T22:20:00Z")
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("the window opens on a Tuesday") && refused.stderr.contains("(maintenance-day)"), "\(refused.stderr)")
        await #expect(try cli.run("info").stdout == headWithPolicy)
        // A window inside it is still recorded.
        #expect(try Self.declare(cli, "MNT-5", start: "2026-03-14T23:00:00Z", end: "2026-03-14T23:15:00Z").status == 0)
        // Unplanned incidents are not maintenance: no window, no check.
        let unplanned = try await cli.run(
            "declare", "INC-1", "--title", "Checkout errors", "--kind", "unplanned", "--severity", "sev2", "--at", "2026-03-01T12:00:00Z",
            environment: Self.environment)
        #expect(unplanned.status == 0 && unplanned.stderr.isEmpty, "\(unplanned.stderr)")
    }
}
