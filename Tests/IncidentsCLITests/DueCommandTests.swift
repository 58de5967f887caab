import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// `incidents due` on a ledger with items just before, at and after their deadlines, judged with an
/// injected clock (`--at`): the list, its JSON, and the exit status a monitoring check pages on.
@Suite struct DueCommandTests {
    /// INC-1 (sev1, open): an update at 09:05 promising the next by 09:35; acme (enterprise, 30-minute
    /// target) wrote at 09:10; an escalation at 09:20 (15 minutes to acknowledge).
    /// INC-2 (sev2): acme wrote at 08:10, resolved at 08:30: a survey by 08:30 the next day, a postmortem by 03-19 08:30.
    /// INC-3: resolved and closed: owes nothing.
    static func ledger() throws -> CLI {
        let cli = CLI()
        #expect(try cli.run("init").status == 0)
        let lines = [
            CLI.event(stream: "INC-1", at: "2026-03-14T09:00:00Z"),
            CLI.event(
                stream: "INC-1", type: "status_update.published", at: "2026-03-14T09:05:00Z",
                payload: #"{"status":"investigating","audience":"public","channels":["status_page"],"text":"Looking","nextUpdateBy":"2026-03-14T09:35:00Z"}"#),
            CLI.event(
                stream: "INC-1", type: "customer.message_received", at: "2026-03-14T09:10:00Z",
                payload: #"{"messageId":"m-1","channel":"email","customer":"acme","tier":"enterprise"}"#),
            CLI.event(
                stream: "INC-1", type: "escalation.raised", at: "2026-03-14T09:20:00Z",
                payload: #"{"escalationId":"esc-1","fromLevel":"support","toLevel":"engineering","reason":"severity"}"#),
            CLI.event(stream: "INC-2", at: "2026-03-14T08:00:00Z", payload: #"{"title":"Slow search","kind":"unplanned","severity":"sev2"}"#),
            CLI.event(stream: "INC-2", type: "customer.message_received", at: "2026-03-14T08:10:00Z", payload: #"{"messageId":"m-1","channel":"chat","customer":"acme"}"#),
            CLI.event(stream: "INC-2", type: "incident.resolved", at: "2026-03-14T08:30:00Z", payload: #"{"summary":"Index rebuilt"}"#),
            CLI.event(stream: "INC-3", at: "2026-03-14T07:00:00Z"),
            CLI.event(stream: "INC-3", type: "incident.resolved", at: "2026-03-14T07:30:00Z", payload: #"{"summary":"Fixed"}"#),
            CLI.event(stream: "INC-3", type: "incident.closed", at: "2026-03-14T07:40:00Z", payload: #"{}"#),
        ]
        let appended = try cli.run("append", stdin: lines.joined(separator: "\n") + "\n")
        #expect(appended.status == 0, "\(appended.stderr)")
        return cli
    }

    static func json(_ outcome: ChildProcess.Outcome) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
    }

    static func items(_ object: [String: Any]) -> [[String: Any]] { object["items"] as? [[String: Any]] ?? [] }

    @Test func justBeforeAtAndAfterTheDeadlines() async throws {
        let cli = try Self.ledger()
        // 09:19:59: the update and the escalation (both due 09:35) are a second outside the window.
        let before = try await cli.run("due", "--at", "2026-03-14T09:19:59Z", "--json")
        #expect(before.status == 0, "\(before.stderr)")
        #expect(Self.items(try Self.json(before)).isEmpty)
        // 09:20: both within the 15-minute window, not overdue.
        let window = try await cli.run("due", "--at", "2026-03-14T09:20:00Z", "--json")
        #expect(window.status == 0)
        #expect(Self.items(try Self.json(window)).map { $0["kind"] as? String } == ["escalation-acknowledgement", "update"])
        // 09:35 exactly: due, not yet overdue; the enterprise reply (09:40) has come within the window.
        let at = try await cli.run("due", "--at", "2026-03-14T09:35:00Z", "--json")
        #expect(at.status == 0)
        let atItems = Self.items(try Self.json(at))
        #expect(atItems.map { $0["kind"] as? String } == ["escalation-acknowledgement", "update", "first-reply"])
        #expect(atItems.allSatisfy { $0["overdue"] as? Bool == false })
        #expect(at.stderr.isEmpty)
        // One microsecond later: two overdue, exit 7 with one line saying so.
        let after = try await cli.run("due", "--at", "2026-03-14T09:35:00.000001Z", "--json")
        #expect(after.status == 7)
        let afterObject = try Self.json(after)
        #expect(afterObject["overdue"] as? Int == 2)
        #expect(Self.items(afterObject).map { $0["overdue"] as? Bool } == [true, true, false])
        #expect(after.stderr == "incidents: 2 items are overdue, the first since 2026-03-14T09:35:00Z (INC-1) — do it and record it, then run `incidents due` again\n")
    }

    @Test func theJSONShapeNamesEverythingToActOn() async throws {
        let cli = try Self.ledger()
        let outcome = try await cli.run("due", "--at", "2026-03-14T09:50:00Z", "--json")
        #expect(outcome.status == 7)
        let object = try Self.json(outcome)
        #expect(Set(object.keys) == ["at", "windowSeconds", "overdue", "items"])
        #expect(object["at"] as? String == "2026-03-14T09:50:00Z")
        #expect(object["windowSeconds"] as? Int == 900)
        #expect(object["overdue"] as? Int == 3)
        let reply = try #require(Self.items(object).first { $0["kind"] as? String == "first-reply" })
        #expect(reply["incident"] as? String == "INC-1")
        #expect(reply["dueAt"] as? String == "2026-03-14T09:40:00Z")
        #expect(reply["since"] as? String == "2026-03-14T09:10:00Z")
        #expect(reply["subject"] as? String == "acme")
        #expect(reply["tier"] as? String == "enterprise")
        #expect(reply["reference"] as? String == "m-1")
        #expect(reply["overdue"] as? Bool == true)
        let escalation = try #require(Self.items(object).first { $0["kind"] as? String == "escalation-acknowledgement" })
        #expect(escalation["reference"] as? String == "esc-1" && escalation["subject"] as? String == "engineering")
        // An update names no one: the key is left out, not null.
        let update = try #require(Self.items(object).first { $0["kind"] as? String == "update" })
        #expect(update["subject"] == nil && update["tier"] == nil && update["reference"] == nil)
    }

    @Test func afterTheResolutionTheSurveyAndThePostmortemFallDue() async throws {
        let cli = try Self.ledger()
        // The next day: INC-1's items are long overdue; INC-2's survey is due by 08:30, a window ahead.
        let survey = await Self.items(try Self.json(try cli.run("due", "--at", "2026-03-15T08:15:00Z", "--json")))
            .filter { $0["incident"] as? String == "INC-2" }
        #expect(survey.map { $0["kind"] as? String } == ["survey"])
        #expect(survey.first?["dueAt"] as? String == "2026-03-15T08:30:00Z" && survey.first?["overdue"] as? Bool == false)
        let both = await Self.items(try Self.json(try cli.run("due", "--at", "2026-03-19T08:30:01Z", "--json")))
            .filter { $0["incident"] as? String == "INC-2" }
        #expect(both.map { $0["kind"] as? String } == ["survey", "postmortem"])
        #expect(both.allSatisfy { $0["overdue"] as? Bool == true })
        // Nothing for the closed INC-3, ever.
        #expect(!both.contains { $0["incident"] as? String == "INC-3" })
        // A survey sent and a postmortem started: INC-2 owes nothing.
        await #expect(try cli.run("survey", "send", "INC-2", "--survey-id", "s-1", "--customer", "acme", "--channel", "email", "--scale", "csat_1_5", "--at", "2026-03-15T09:00:00Z").status == 0)
        await #expect(try cli.run("postmortem", "start", "INC-2", "--owner", "dana@example.com", "--at", "2026-03-15T09:00:00Z").status == 0)
        let none = await Self.items(try Self.json(try cli.run("due", "--at", "2026-03-19T08:30:01Z", "--json")))
        #expect(!none.contains { $0["incident"] as? String == "INC-2" })
    }

    @Test func theTextListsOneLinePerItemAndAWindowMovesTheHorizon() async throws {
        let cli = try Self.ledger()
        let empty = try await cli.run("due", "--at", "2026-03-14T09:00:00Z")
        #expect(empty.status == 0)
        #expect(empty.stdout == "nothing due by 2026-03-14T09:15:00Z\n")
        let wide = try await cli.run("due", "--at", "2026-03-14T09:00:00Z", "--window", "1h")
        #expect(wide.status == 0, "nothing is overdue yet")
        #expect(wide.stdout == """
            INCIDENT  STATE    DUE                   WHAT
            INC-1     due      2026-03-14T09:35:00Z  an acknowledgement of the escalation esc-1 to engineering, raised 2026-03-14T09:20:00Z
            INC-1     due      2026-03-14T09:35:00Z  the next public update, promised in the update of 2026-03-14T09:05:00Z
            INC-1     due      2026-03-14T09:40:00Z  a first reply to acme (enterprise), message m-1, received 2026-03-14T09:10:00Z
            3 items due by 2026-03-14T10:00:00Z, 0 overdue

            """)
        let late = try await cli.run("due", "--at", "2026-03-14T09:36:00Z")
        #expect(late.status == 7)
        #expect(late.stdout.contains("INC-1     overdue  2026-03-14T09:35:00Z  the next public update"))
        #expect(late.stdout.hasSuffix("3 items due by 2026-03-14T09:51:00Z, 2 overdue\n"))
    }

    @Test func aBadWindowOrTimeIsAUsageError() async throws {
        let cli = try Self.ledger()
        let window = try await cli.run("due", "--window", "soon")
        #expect(window.status == 2)
        #expect(window.stderr.hasPrefix("incidents: ") && window.stderr.contains("run `incidents due --help`"))
        let long = try await cli.run("due", "--window", "400d")
        #expect(long.status == 2)
        #expect(long.stderr.contains("--window must be at most 366d, not 400d"))
        await #expect(try cli.run("due", "--at", "yesterday").status == 2)
        await #expect(try cli.run("--help").stdout.contains("7  `incidents due` found something overdue"))
    }
}
