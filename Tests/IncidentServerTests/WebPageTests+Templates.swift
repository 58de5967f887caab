import Foundation
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore
import Testing

/// The incident page's form that publishes an update from a template: a preview that records nothing,
/// a publication with the template's id and version, refusals that write nothing, and the roles that get it.
extension WebPageTests {
    /// A browser of `role` on INC-1 (services checkout-api, no regions) with the starter library.
    static func withLibrary(_ role: AccessRole) async throws -> (ServerFixture, BrowserSession) {
        let (server, browser) = try await signedIn(role)
        let starter = try String(contentsOfFile: repository + "/docs/examples/templates-en.json", encoding: .utf8)
        for content in try TemplateContent.library(fromJSON: starter) { _ = try await server.service.addTemplate(content) }
        return (server, browser)
    }

    /// The form's fields for `template` on `channels`, the next update promised half an hour on, and `values` lines.
    static func templateFields(_ template: String, channels: [String], values: String, intent: String) -> [(String, String)] {
        let promised = String(Timestamp.now().adding(seconds: 1800).rfc3339.prefix(16))
        return [("template", template)] + channels.map { ("channels", $0) } + [("nextUpdateBy", promised), ("values", values), ("intent", intent)]
    }

    @Test func aPreviewShowsEachChannelsTextAndRecordsNothing() async throws {
        let (server, signed) = try await Self.withLibrary(.responder)
        var browser = signed
        let page = try await browser.get("/incidents/INC-1")
        #expect(page.text.contains("data-verb=\"template\""))
        for id in ["acknowledge-en", "resolved-en", "maintenance-en"] { #expect(page.text.contains("<option value=\"\(id)\""), "\(id)") }
        let before = try await server.service.ledger.head()
        let fields = Self.templateFields("acknowledge-en", channels: ["status_page", "sms"], values: "regions=eu-west-1\n", intent: "preview")
        let preview = try await browser.post("/incidents/INC-1/template", fields: fields, from: "/incidents/INC-1")
        #expect(preview.status == 200)
        #expect(try await server.service.ledger.head() == before, "a preview records nothing")
        let filled = try server.service.fillTemplate(
            "acknowledge-en", for: "INC-1", fields: ["channels": ["status_page", "sms"], "nextUpdateBy": .string(Timestamp.now().adding(seconds: 1800).rfc3339)],
            values: ["regions": "eu-west-1"])
        #expect(filled.updates.count == 2)
        for update in filled.updates {
            let channel = update.channels[0].rawValue
            #expect(preview.text.contains("<li data-channels=\"\(channel)\">"), "\(channel)")
            #expect(preview.text.contains("<p class=\"text\" dir=\"auto\">\(update.text.prefix(60))"), "\(channel): \(update.text)")
        }
        #expect(preview.text.contains("<details class=\"record\" id=\"record-template\" open>"))
        #expect(preview.text.contains("<option value=\"acknowledge-en\" selected>"), "the form keeps the template chosen")
        #expect(preview.text.contains("name=\"values\" dir=\"auto\">regions=eu-west-1\n</textarea>"), "and the values as typed")
        try await server.stop()
    }

    @Test func publishingRecordsTheTemplatedUpdateAndRedirects() async throws {
        let (server, signed) = try await Self.withLibrary(.responder)
        var browser = signed
        let fields = Self.templateFields("acknowledge-en", channels: ["status_page", "sms"], values: "regions=eu-west-1", intent: "publish")
        let published = try await browser.post("/incidents/INC-1/template", fields: fields, from: "/incidents/INC-1")
        #expect(published.status == 303)
        let position = try await server.service.ledger.head().position
        #expect(published.headers["location"]?.hasPrefix("/incidents/INC-1?recorded=\(position)") == true, "\(published.headers["location"] ?? "")")
        #expect(published.headers["location"]?.hasSuffix("#event-\(position)") == true)
        let events = try #require(try server.service.detail(of: "INC-1", asOf: .now())).events.filter { $0.type == StatusUpdatePublished.type }
        #expect(events.count == 2)
        #expect(events.map(\.position) == [position - 1, position])
        for event in events {
            guard case .statusUpdatePublished(let update) = try Catalog.decode(event) else {
                Issue.record("not an update")
                continue
            }
            #expect(update.templateId == "acknowledge-en" && update.templateVersion == 1 && update.text.contains("eu-west-1"))
            #expect(event.source == "web" && event.actor.description == "person:responder@example.com")
        }
        let page = try await browser.get(try #require(published.headers["location"]))
        #expect(page.text.contains("Recorded as event #\(position)"))
        // One text posted twice with the form's id (a double click): recorded once.
        let once = Self.templateFields("identified-en", channels: ["sms"], values: "regions=eu-west-1", intent: "publish") + [("id", UUID().uuidString.lowercased())]
        for _ in 0..<2 { #expect(try await browser.post("/incidents/INC-1/template", fields: once, from: "/incidents/INC-1").status == 303) }
        #expect(try await server.service.ledger.head().position == position + 1)
        try await server.stop()
    }

    @Test func aRefusedTemplatedUpdateSaysWhyAndWritesNothing() async throws {
        let (server, signed) = try await Self.withLibrary(.responder)
        var browser = signed
        let before = try await server.service.ledger.head()
        // No value for the template's {workaround}.
        let unfilled = try await browser.post(
            "/incidents/INC-1/template", fields: Self.templateFields("investigating-workaround-en", channels: ["status_page"], values: "regions=EU", intent: "publish"),
            from: "/incidents/INC-1")
        #expect(unfilled.status == 400)
        #expect(unfilled.element("id=\"template-error\"")?.contains("{workaround}") == true, "\(unfilled.element("id=\"template-error\"") ?? "no error")")
        #expect(unfilled.text.contains("class=\"error\" role=\"alert\" id=\"template-error\""))
        // A workaround long enough to take the social-media post over 280 characters: refused whatever the policy.
        let long = "workaround=" + String(repeating: "pay by bank transfer from the orders page ", count: 6) + "\nregions=EU"
        let tooLong = try await browser.post(
            "/incidents/INC-1/template", fields: Self.templateFields("investigating-workaround-en", channels: ["status_page", "social_media"], values: long, intent: "publish"),
            from: "/incidents/INC-1")
        #expect(tooLong.status == 422)
        #expect(tooLong.element("id=\"template-error\"")?.contains("update-social-media-too-long") == true, "\(tooLong.element("id=\"template-error\"") ?? "no error")")
        #expect(tooLong.text.contains("pay by bank transfer from the orders page"), "the values typed are kept")
        // A line of values that is not name=value is refused beside its field.
        let garbled = try await browser.post(
            "/incidents/INC-1/template", fields: Self.templateFields("acknowledge-en", channels: ["sms"], values: "just some words", intent: "preview"), from: "/incidents/INC-1")
        #expect(garbled.status == 400)
        #expect(garbled.element("id=\"template-values-error\"")?.contains("name=value") == true)
        #expect(garbled.text.contains("id=\"template-values\" name=\"values\" dir=\"auto\" aria-describedby=\"template-values-error\" aria-invalid=\"true\""))
        #expect(try await server.service.ledger.head() == before, "nothing was written")
        try await server.stop()
    }

    @Test func onlyARoleThatPublishesUpdatesGetsTheTemplateForm() async throws {
        let (server, signed) = try await Self.withLibrary(.reviewer)
        var reviewer = signed
        let page = try await reviewer.get("/incidents/INC-1")
        #expect(page.status == 200)
        #expect(!page.text.contains("data-verb=\"template\""))
        let before = try await server.service.ledger.head()
        let forged = try await reviewer.post(
            "/incidents/INC-1/template", fields: Self.templateFields("acknowledge-en", channels: ["sms"], values: "regions=EU", intent: "publish"), from: "/incidents/INC-1")
        #expect(forged.status == 403)
        #expect(try await server.service.ledger.head() == before)
        try await server.stop()
    }

    @Test func anEmptyLibrarySaysHowToFillIt() async throws {
        let (server, signed) = try await Self.signedIn(.responder)
        var browser = signed
        let page = try await browser.get("/incidents/INC-1")
        #expect(page.element("id=\"template-empty\"")?.contains("incidents templates add FILE") == true)
        #expect(page.text.contains("docs/examples/templates-en.json"))
        #expect(!page.text.contains("data-verb=\"template\""))
        try await server.stop()
    }
}

extension WebPageTests {
    /// Every signed-in role reads the playbook page: each setting of the policy in force, and each
    /// template with its version, channels and texts, retired ones marked.
    @Test func everyRoleReadsThePlaybook() async throws {
        let (server, signed) = try await Self.withLibrary(.auditor)
        var auditor = signed
        try await server.service.retireTemplate("maintenance-en", reason: "replaced")
        let page = try await auditor.get("/playbook")
        #expect(page.status == 200)
        #expect(page.text.contains("<a href=\"/playbook\" aria-current=\"page\">Playbook</a>"))
        let policy = try server.service.policy()
        // A setting's name may break after each dot (<wbr>), so a phone's narrow column keeps room for the values.
        for (setting, value) in [("updates.smsCharacters", policy.updates.smsCharacters), ("updates.socialMediaCharacters", policy.updates.socialMediaCharacters)] {
            let shown = setting.replacingOccurrences(of: ".", with: ".<wbr>")
            #expect(page.text.contains("<tr data-setting=\"\(setting)\"><th scope=\"row\"><code>\(shown)</code></th><td dir=\"auto\">\(value)</td></tr>"), "\(setting)")
        }
        #expect(page.text.contains("The standard policy: none was ever set."))
        let library = try server.service.templateLibrary().all
        #expect(library.count == 6)
        for template in library {
            let content = template.current
            #expect(page.text.contains("data-template=\"\(content.templateId)\" data-version=\"\(template.version)\"\(template.isRetired ? " data-retired" : "")>"), "\(content.templateId)")
        }
        #expect(page.text.contains("<span class=\"chip retired\">retired</span>"))
        let sms = try #require(try server.service.template("acknowledge-en").current.text(for: .sms))
        #expect(page.text.contains("<dd data-channel=\"sms\" dir=\"auto\" class=\"template-text\">\(sms)</dd>"))
        for role in [AccessRole.responder, .reviewer, .admin] {
            var browser = BrowserSession(port: server.port)
            _ = try await browser.signIn(try await Self.secret(server, role, holder: "\(role.rawValue)-2@example.com"))
            #expect(try await browser.get("/playbook").status == 200, "\(role)")
        }
        var stranger = BrowserSession(port: server.port)
        #expect(try await stranger.get("/playbook").headers["location"] == "/sign-in?next=%2Fplaybook")
        try await server.stop()
    }
}
