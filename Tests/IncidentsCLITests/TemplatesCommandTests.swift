import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// `incidents templates` and `incidents update --template`, run as a user would.
@Suite struct TemplatesCommandTests {
    static let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/examples/templates-en.json").path

    @Test func theStarterLibraryIsAddedListedShownAndRetired() async throws {
        let cli = CLI()
        try await cli.run("init")
        let added = try await cli.run("templates", "add", Self.library)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("defined acknowledge-en (version 1)") && added.stdout.contains("defined maintenance-en (version 1)"))
        await #expect(try cli.run("templates", "add", Self.library).stdout.contains("unchanged resolved-en (version 1)"))
        let list = try await cli.run("templates", "list")
        #expect(list.status == 0 && list.stdout.contains("investigating-workaround-en") && list.stdout.contains("6 templates"), "\(list.stdout)")
        let show = try await cli.run("templates", "show", "investigating-workaround-en")
        #expect(show.stdout.contains("placeholders: {service} {workaround} {next_update}"), "\(show.stdout)")
        let json = try await JSONParser.parse(try cli.run("templates", "show", "acknowledge-en", "--json").stdout)
        #expect(json["version"] == 1 && json["retired"] == false && json["status"] == "investigating")
        await #expect(try cli.run("templates", "retire", "acknowledge-en", "--reason", "replaced").status == 0)
        await #expect(try cli.run("templates", "list", "--json").stdout.contains(#""retired":true"#))
        let again = try await cli.run("templates", "retire", "acknowledge-en", "--reason", "again")
        #expect(again.status == 3 && again.stderr.contains("is retired"), "\(again.stderr)")
        let missing = try await cli.run("templates", "show", "nope")
        #expect(missing.status == 3 && missing.stderr.hasPrefix("incidents: no template 'nope' is in the library"), "\(missing.stderr)")
        // The library is the ledger's own stream: no incident.
        await #expect(try cli.run("list").stdout.contains("ledger.templates") == false)
    }

    @Test func anUpdateIsFilledFromATemplateShownAndRecordedWithItsVersion() async throws {
        let cli = CLI()
        try await cli.run("init")
        try await cli.run("templates", "add", Self.library)
        let declared = try await cli.run(
            "declare", "INC-1", "--title", "Payments failing", "--kind", "unplanned", "--severity", "sev1", "--services", "checkout-api",
            "--regions", "eu-west-1", "--at", "2026-03-14T09:00:00Z")
        #expect(declared.status == 0, "\(declared.stderr)")
        let update = try await cli.run(
            "update", "INC-1", "--template", "investigating-workaround-en", "--set", "workaround=pay by bank transfer", "--channels", "status_page,sms",
            "--next-update-by", "2026-03-14T09:30:00Z", "--at", "2026-03-14T09:05:00Z")
        #expect(update.status == 0, "\(update.stderr)")
        #expect(update.stdout.contains("sms (") && update.stdout.contains("checkout-api: still investigating. Meanwhile you can pay by bank transfer. Next update by 09:30 UTC."), "\(update.stdout)")
        let log = try await cli.run("log", "--incident", "INC-1", "--json").stdout
        #expect(log.contains(#""templateId":"investigating-workaround-en","templateVersion":1"#), "\(log)")
        #expect(log.components(separatedBy: "status_update.published").count == 3)
        // A placeholder with no value: refused, with what to give, and nothing written.
        let unfilled = try await cli.run("update", "INC-1", "--template", "investigating-workaround-en", "--next-update-by", "2026-03-14T09:30:00Z")
        #expect(unfilled.status == 3 && unfilled.stderr.contains("the placeholder {workaround} in the status_page text has no value: give the value"), "\(unfilled.stderr)")
        await #expect(try cli.run("log", "--incident", "INC-1", "--json").stdout == log)
        let both = try await cli.run("update", "INC-1", "--template", "acknowledge-en", "--text", "hello", "--next-update-by", "2026-03-14T09:30:00Z")
        #expect(both.status == 3 && both.stderr.contains("give a text or a template, not both"), "\(both.stderr)")
        await #expect(try cli.run("update", "--help").stdout.contains("--template <name>"))
    }
}
