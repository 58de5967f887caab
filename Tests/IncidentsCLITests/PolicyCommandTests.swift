import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// `incidents policy`: the standard policy until one is set, a policy set kept in the ledger's own
/// stream (never an incident), and a bad policy file refused with the setting named and nothing written.
@Suite struct PolicyCommandTests {
    static let environment = ["USER": "lead"]

    @Test func thePolicyIsShownSetAndKeptInTheLedgersOwnStream() async throws {
        let cli = CLI()
        try await cli.run("init")
        try await cli.run("append", stdin: CLI.event())
        let standard = try await cli.run("policy", "show")
        #expect(standard.status == 0, "\(standard.stderr)")
        #expect(standard.stdout.contains("Policy: the standard policy (none was set)"))
        #expect(standard.stdout.contains("Planned maintenance: opens on saturday between 22:00 and 06:00 UTC, at most 20 min, announced 72 h ahead"))
        #expect(standard.stdout.contains("Character limits: social media 280, SMS 160"))

        let json = try await cli.run("policy", "show", "--json")
        let shown = try #require(try JSONParser.parse(json.stdout.trimmingCharacters(in: .newlines)).objectValue)
        #expect(shown["strict"] == .bool(false) && shown["updates"]?.objectValue?["socialMediaCharacters"] == .integer(280))

        let file = try cli.write("policy.json", #"{"strict": true, "updates": {"socialMediaCharacters": 140}, "maintenance": {"days": ["sunday"], "timeZone": "Europe/Madrid"}}"#)
        let check = try await cli.run("policy", "check", file)
        #expect(check.status == 0 && check.stdout.contains("Policy: policy.json (valid; not set)") && check.stdout.contains("social media 140"), "\(check.stderr)")
        let headBefore = try await cli.run("info").stdout
        await #expect(try cli.run("info").stdout == headBefore, "check writes nothing")

        let set = try await cli.run("policy", "set", file, environment: Self.environment)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.hasPrefix("policy set at ledger position 2;"))
        let after = try await cli.run("policy", "show")
        #expect(after.stdout.contains("Policy: set at ") && after.stdout.contains("by person:lead (ledger position 2)"))
        #expect(after.stdout.contains("Checks: refuse") && after.stdout.contains("social media 140") && after.stdout.contains("Europe/Madrid"))

        // In the chain, in ledger.playbook, and no incident.
        let log = try await cli.run("log", "--incident", "ledger.playbook")
        #expect(log.status == 0 && log.stdout.contains("playbook.policy_set"), "\(log.stdout)\(log.stderr)")
        let list = try await cli.run("list")
        #expect(list.stdout.contains("INC-1") && !list.stdout.contains("ledger.playbook"))
        await #expect(try cli.run("verify").status == 0)
    }

    @Test func aBadPolicyFileIsRefusedAndNothingIsWritten() async throws {
        let cli = CLI()
        try await cli.run("init")
        try await cli.run("append", stdin: CLI.event())
        let head = try await cli.run("info").stdout
        let typo = try cli.write("typo.json", #"{"maintenance": {"maximumMinuts": 20}}"#)
        let refused = try await cli.run("policy", "set", typo, environment: Self.environment)
        #expect(refused.status == 3)
        #expect(refused.stderr == "incidents: the policy typo.json is refused: maintenance.maximumMinuts is not a policy setting; the settings here are timeZone, days, opens, closes, maximumMinutes, noticeHours, alwaysRefuse (docs/playbook.md lists every setting)\n")
        let missing = try await cli.run("policy", "set", "nowhere.json", environment: Self.environment)
        #expect(missing.status == 3 && missing.stderr.contains("cannot read the policy nowhere.json"))
        let notJSON = try cli.write("bad.json", "strict: yes")
        await #expect(try cli.run("policy", "check", notJSON).status == 3)
        await #expect(try cli.run("info").stdout == head)

        // The policy event is the use case's to record, never given as an event.
        let forged = CLI.event(stream: "ledger.playbook", type: "playbook.policy_set", payload: #"{"policy":{"strict":true}}"#)
        let appended = try await cli.run("append", stdin: forged)
        #expect(appended.status == 3 && appended.stderr.contains("playbook.policy_set is recorded only by `incidents policy set`"), "\(appended.stderr)")
        await #expect(try cli.run("info").stdout == head)
    }
}
