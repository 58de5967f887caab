import Foundation
import IncidentEvents
import LedgerModel
import LedgerTestSupport
import Testing

/// Every event type can be recorded from the command line, with flags derived from its schema.
@Suite struct RecordingCommandsTests {
    /// The command words for each event type, in an order that makes a valid incident history.
    static let script: [(String, [String])] = [
        ("incident.declared", ["declare"]), ("incident.acknowledged", ["ack"]), ("incident.status_changed", ["status"]),
        ("incident.severity_changed", ["severity"]), ("incident.scope_changed", ["scope"]),
        ("incident.responder_assigned", ["assign"]), ("incident.responder_released", ["release"]), ("incident.handed_off", ["handoff"]),
        ("incident.note_added", ["note"]), ("stakeholders.notified", ["notify"]),
        ("customer.message_received", ["message"]), ("customer.reply_sent", ["reply"]),
        ("status_update.published", ["update"]), ("escalation.raised", ["escalation", "raise"]),
        ("escalation.acknowledged", ["escalation", "ack"]), ("escalation.deescalated", ["escalation", "deescalate"]),
        ("escalation.closed", ["escalation", "close"]), ("customer.sponsorship_enrolled", ["sponsorship", "enroll"]),
        ("customer.sponsorship_ended", ["sponsorship", "end"]), ("sla.policy_attached", ["sla", "attach"]),
        ("survey.sent", ["survey", "send"]), ("survey.answered", ["survey", "answer"]),
        ("postmortem.started", ["postmortem", "start"]), ("postmortem.root_cause_recorded", ["postmortem", "root-cause"]),
        ("postmortem.contributing_factor_recorded", ["postmortem", "factor"]), ("postmortem.finding_recorded", ["postmortem", "finding"]),
        ("postmortem.action_item_opened", ["postmortem", "action"]), ("postmortem.action_item_completed", ["postmortem", "action-done"]),
        ("postmortem.published", ["postmortem", "publish"]), ("incident.linked", ["link"]),
        ("event.corrected", ["correct"]), ("event.retracted", ["retract"]), ("incident.resolved", ["resolve"]),
        ("incident.closed", ["close"]), ("incident.reopened", ["reopen"]), ("incident.merged", ["merge"]),
    ]

    static let declarationID = "5a000000-0000-4000-8000-0000000000d1"
    static let noteID = "5a000000-0000-4000-8000-0000000000d2"

    /// The flags for an example payload: lists comma-joined, objects as JSON, flags from field names.
    static func flags(for payload: [String: JSONValue], fields: [FieldSpec]) -> [String] {
        var out = [String]()
        for field in fields {
            guard let value = payload[field.name] else { continue }
            switch value {
            case .string(let text): out += [field.flag, text]
            case .integer(let number): out += [field.flag, String(number)]
            case .bool(let flag): out.append("\(field.flag)=\(flag)")
            case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
                out += [field.flag, items.compactMap(\.stringValue).joined(separator: ",")]
            default: out += [field.flag, value.canonicalText]
            }
        }
        return out
    }

    @Test func everyEventTypeCanBeRecordedFromTheCommandLine() async throws {
        #expect(Set(Self.script.map(\.0)).union(["survey.expired"]) == Set(Catalog.entries.map(\.type)))
        let cli = CLI()
        try await cli.run("init")
        for (type, words) in Self.script {
            let entry = try #require(Catalog.entry(for: type))
            var payload = entry.examples[0]
            var extra = ["--at", "2026-03-14T23:30:00Z", "--actor", "person:tester"]
            switch type {
            case "incident.declared": extra += ["--id", Self.declarationID]
            case "incident.note_added": extra += ["--id", Self.noteID]
            case "escalation.deescalated": payload["toLevel"] = "support"
            case "event.corrected": payload["target"] = .string(Self.declarationID)
            case "event.retracted": payload["target"] = .string(Self.noteID)
            default: break
            }
            let outcome = try await cli.run(words + ["INC-2026-0042"] + Self.flags(for: payload, fields: entry.fields) + extra)
            #expect(outcome.status == 0, "\(words.joined(separator: " ")): \(outcome.stderr)")
        }
        // A second survey, left to expire; surveys may follow the close.
        let at = ["--at", "2026-03-15T09:00:00Z", "--actor", "person:tester"]
        await #expect(try cli.run(["survey", "send", "INC-2026-0042", "--survey-id", "s-2", "--customer", "c", "--channel", "chat", "--scale", "nps_0_10"] + at).status == 0)
        await #expect(try cli.run(["survey", "expire", "INC-2026-0042", "--survey-id", "s-2"] + at).status == 0)
        let log = try await cli.run("log", "--json")
        let recorded = try log.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(recorded.map { $0["type"]?.stringValue ?? "" } == Self.script.map(\.0) + ["survey.sent", "survey.expired"])
        #expect(recorded.allSatisfy { $0["actor"] == ["id": "tester", "kind": "person"] })
        // The payloads are exactly the examples given as flags.
        let declared = try #require(recorded.first)
        #expect(declared["payload"] == .object(Catalog.entry(for: "incident.declared")!.examples[0]))
        await #expect(try cli.run("verify").status == 0)
    }

    /// `--id` makes a retry safe, as the help says, also without `--at`: the retry takes the time
    /// first recorded instead of a new "now", succeeds with the original position and writes
    /// nothing. A retry that differs in a field given (the text, an explicit time) still conflicts.
    @Test func aRetryWithTheSameIdAndNoTimeIsAnExactRetry() async throws {
        let cli = CLI()
        try await cli.run("init")
        let declare = ["declare", "INC-1", "--title", "Checkout errors", "--kind", "unplanned", "--severity", "sev2", "--id", Self.declarationID]
        let note = ["note", "INC-1", "--text", "rolled back the deploy", "--id", Self.noteID, "--actor", "person:tester"]
        await #expect(try cli.run(declare).status == 0)
        let first = try await cli.run(note + ["--json"])
        #expect(first.status == 0, "\(first.stderr)")
        // Another event in between: the retry is recognised at its own place, not at the end.
        await #expect(try cli.run("note", "INC-1", "--text", "another", "--at", "2026-03-14T10:00:00Z").status == 0)
        let log = try await cli.run("log", "--json").stdout
        usleep(20_000)  // "now" has moved on

        let retried = try await cli.run(note + ["--json"])
        #expect(retried.status == 0, "\(retried.stderr)")
        let original = try JSONParser.parse(first.stdout), again = try JSONParser.parse(retried.stdout)
        #expect(original["firstPosition"] == 2 && original["alreadyRecorded"] == false)
        #expect(again["firstPosition"] == 2 && again["version"] == 2 && again["alreadyRecorded"] == true, "\(retried.stdout)")
        await #expect(try cli.run(declare).status == 0)
        await #expect(try cli.run("log", "--json").stdout == log)

        let otherText = try await cli.run(["note", "INC-1", "--text", "something else", "--id", Self.noteID, "--actor", "person:tester"])
        #expect(otherText.status == 4)
        let otherTime = try await cli.run(note + ["--at", "2026-03-14T09:00:00Z"])
        #expect(otherTime.status == 4)
        #expect(otherTime.stderr.contains("is not an exact retry"))
        await #expect(try cli.run("log", "--json").stdout == log)
    }

    @Test func flagsAreCheckedAgainstTheSchema() async throws {
        let cli = CLI()
        try await cli.run("init")
        let unknown = try await cli.run("declare", "INC-1", "--title", "x", "--kind", "unplanned", "--severity", "sev1", "--colour", "red")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("'--colour' is not a field of incident.declared"))
        let bad = try await cli.run("declare", "INC-1", "--title", "x", "--kind", "unplanned", "--severity", "sev7")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--severity must be one of sev1, sev2, sev3, sev4, not 'sev7'"))
        let missing = try await cli.run("declare", "INC-1", "--title", "x")
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("payload.kind: is required"))
        let help = try await cli.run("update", "--help")
        #expect(help.stdout.contains("--next-update-by <time>"))
        #expect(help.stdout.contains("--channels <status_page|email|social_media|in_app|sms,…> (required)"))
    }

    @Test func schemaCommandsListAndShowTheCatalog() async throws {
        let cli = CLI()
        let list = try await cli.run("schema", "list")
        #expect(list.status == 0)
        for entry in Catalog.entries { #expect(list.stdout.contains(entry.type)) }
        let show = try await cli.run("schema", "show", "survey.answered")
        #expect(show.status == 0)
        let schema = try JSONParser.parse(show.stdout)
        #expect(schema["properties"]?["payload"]?["properties"]?["score"]?["maximum"] == 10)
        let old = try await cli.run("schema", "show", "status_update.published", "--version", "1")
        #expect(old.stdout.contains(#""channel""#))
        let none = try await cli.run("schema", "show", "incident.exploded")
        #expect(none.status == 2)
    }
}
