import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// `incidents webhooks`: receivers added with a secret given or made (printed once), listed without
/// secrets, refused when the input is wrong, and removed.
@Suite struct WebhooksCommandTests {
    static let pagerDutySecret = "ChPV1ZwGvkkI5E6RN+0pFQxT9qOgPLSYJzf0qVjKm4Y="

    @Test func receiversAreAddedListedAndRemoved() async throws {
        let cli = CLI()
        try await cli.run("init")
        let pagerDuty = try await cli.run("webhooks", "add", "pagerduty", "pd-checkout", "--secret", Self.pagerDutySecret)
        #expect(pagerDuty.status == 0, "\(pagerDuty.stderr)")
        #expect(pagerDuty.stdout == "added pagerduty receiver pd-checkout: POST /webhooks/pagerduty/pd-checkout\n")

        let statuspage = try await cli.run("webhooks", "add", "statuspage", "status-page", "--incident-prefix", "STATUS-")
        #expect(statuspage.status == 0, "\(statuspage.stderr)")
        let lines = statuspage.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "\(statuspage.stdout)")
        let secret = lines[1]
        #expect(secret.hasPrefix("whsec_") && secret.count == 49)
        #expect(lines[0] == "added statuspage receiver status-page: POST /webhooks/statuspage/status-page/\(secret)")
        #expect(lines[2].contains("shown only now"))

        let generic = try await cli.run("webhooks", "add", "generic", "chat-bot", "--json")
        #expect(generic.status == 0, "\(generic.stderr)")
        let added = try #require(try JSONParser.parse(generic.stdout.trimmingCharacters(in: .newlines)).objectValue)
        #expect(added["kind"] == "generic" && added["actor"] == "tool:chat-bot" && added["source"] == "webhook:generic")
        let botSecret = try #require(added["secret"]?.stringValue)
        #expect(botSecret.hasPrefix("whsec_") && botSecret != secret)

        let list = try await cli.run("webhooks", "list")
        #expect(list.status == 0)
        let rows = list.stdout.split(separator: "\n").map(String.init)
        #expect(rows.first?.hasPrefix("NAME") == true)
        #expect(rows.contains { $0.hasPrefix("pd-checkout") && $0.contains("pagerduty") && $0.contains("PD-") && $0.hasSuffix("POST /webhooks/pagerduty/pd-checkout") })
        #expect(rows.contains { $0.hasPrefix("status-page") && $0.contains("STATUS-") && $0.hasSuffix("POST /webhooks/statuspage/status-page/{secret}") })
        #expect(rows.last == "3 receivers")
        let json = try await cli.run("webhooks", "list", "--json")
        let receivers = try json.stdout.split(separator: "\n").map { try #require(try JSONParser.parse(String($0)).objectValue) }
        #expect(receivers.map { $0["name"] } == ["chat-bot", "pd-checkout", "status-page"])
        #expect(receivers.allSatisfy { $0["secret"] == nil })
        for output in [list.stdout, json.stdout] {
            #expect(!output.contains(secret) && !output.contains(botSecret) && !output.contains(Self.pagerDutySecret))
        }
        // Nothing about receivers is in the chain.
        await #expect(try cli.run("log").stdout.isEmpty)

        let removed = try await cli.run("webhooks", "remove", "chat-bot")
        #expect(removed.status == 0)
        #expect(removed.stdout == "removed generic receiver chat-bot\n")
        await #expect(try cli.run("webhooks", "list").stdout.split(separator: "\n").last == "2 receivers")
    }

    @Test func wrongInputIsRefusedAndNothingIsStored() async throws {
        let cli = CLI()
        try await cli.run("init")
        try await cli.run("webhooks", "add", "generic", "bot")
        let cases: [([String], Int32, String)] = [
            (["webhooks", "add", "opsgenie", "x"], 2, "KIND must be pagerduty, statuspage, generic"),
            (["webhooks", "add", "pagerduty", "pd"], 2, "give --secret"),
            (["webhooks", "add", "generic", "g", "--incident-prefix", "X-"], 2, "no --incident-prefix"),
            (["webhooks", "add", "generic", "Bad/Name"], 3, "cannot name a receiver"),
            (["webhooks", "add", "statuspage", "sp", "--secret", "short"], 3, "at least 16 characters"),
            (["webhooks", "add", "generic", "bot"], 4, "is configured already"),
            (["webhooks", "remove", "nobody"], 3, "no webhook receiver named 'nobody'"),
        ]
        for (arguments, status, words) in cases {
            let outcome = try await cli.run(arguments)
            #expect(outcome.status == status, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(words), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty)
        }
        await #expect(try cli.run("webhooks", "list").stdout.split(separator: "\n").last == "1 receiver")
    }
}
