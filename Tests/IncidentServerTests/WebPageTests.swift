import Foundation
import IncidentEvents
import IncidentProjections
import IncidentServer
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Logging
import Testing

/// The web pages as the server serves them: sessions and their cookies, the security headers, what each
/// role is shown and may do, forms refused by the rules with nothing written, and text from events
/// escaped. What only a browser can check (the script, the live page, accessibility) is
/// Tools/browser-test's.
@Suite struct WebPageTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func secret(_ server: ServerFixture, _ role: AccessRole, holder: String) async throws -> String {
        try await server.service.createToken(holder: Actor(kind: .person, id: holder), role: role, expiresAt: nil).secret
    }

    /// A server with one declared incident, INC-1, and a signed-in browser of `role`.
    static func signedIn(_ role: AccessRole) async throws -> (ServerFixture, BrowserSession) {
        let server = try await ServerFixture.start()
        let responder = try await server.client(.responder, holder: "oncall@example.com")
        #expect(try await responder.post("/v1/incidents/INC-1/declare", json: ServerAPITests.declare).status == 201)
        var browser = BrowserSession(port: server.port)
        let answer = try await browser.signIn(try await secret(server, role, holder: "\(role.rawValue)@example.com"))
        #expect(answer.status == 303)
        return (server, browser)
    }

    @Test func signingInGivesACookieScriptsCannotReadAndAWrongTokenGetsNone() async throws {
        let server = try await ServerFixture.start()
        var browser = BrowserSession(port: server.port)
        #expect(try await browser.get("/incidents").headers["location"] == "/sign-in?next=%2Fincidents")
        let form = try await browser.get("/sign-in")
        #expect(form.status == 200)
        #expect(form.setCookies.contains { $0.hasPrefix("incidents_signin=") && $0.contains("HttpOnly") && $0.contains("SameSite=Strict") })

        let wrong = try await browser.signIn("il_not-a-token")
        #expect(wrong.status == 401)
        #expect(wrong.text.contains("class=\"error\" role=\"alert\""))
        #expect(browser.cookies["incidents_session"] == nil)

        // Without the form's double-submit token (a post from another site), nothing happens.
        let secret = try await Self.secret(server, .responder, holder: "ana@example.com")
        var stranger = BrowserSession(port: server.port)
        let forged = try await stranger.send("POST", "/sign-in", form: [("token", secret)])
        #expect(forged.status == 403)
        #expect(stranger.cookies["incidents_session"] == nil)

        let signed = try await browser.signIn(secret)
        #expect(signed.status == 303)
        #expect(signed.headers["location"] == "/incidents")
        let cookie = try #require(signed.setCookies.first { $0.hasPrefix("incidents_session=") })
        for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] { #expect(cookie.contains(part), "\(cookie)") }
        #expect(!cookie.contains("Secure"), "plain HTTP cannot carry a Secure cookie")
        let list = try await browser.get("/incidents")
        #expect(list.status == 200)
        #expect(list.text.contains("person:ana@example.com"))
        #expect(!list.text.contains(secret), "the token never appears in a page")

        // Signing out ends the session on the server, not only in the browser.
        let session = try #require(browser.cookies["incidents_session"])
        #expect(try await browser.post("/sign-out", fields: [], from: "/incidents").status == 303)
        let replayed = try await HTTPTestClient(port: server.port).get("/incidents", headers: [("Cookie", "incidents_session=\(session)")])
        #expect(replayed.status == 303)
        try await server.stop()
    }

    @Test func signInReturnsOnlyToAPageOfThisSite() async throws {
        let server = try await ServerFixture.start()
        let secret = try await Self.secret(server, .reviewer, holder: "rita@example.com")
        var browser = BrowserSession(port: server.port)
        #expect(try await browser.signIn(secret, next: "/review?period=2026-Q1").headers["location"] == "/review?period=2026-Q1")
        for foreign in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
            var other = BrowserSession(port: server.port)
            #expect(try await other.signIn(secret, next: foreign).headers["location"] == "/incidents", "\(foreign)")
        }
        try await server.stop()
    }

    @Test func everyAnswerForbidsFramingAndScriptFromElsewhere() async throws {
        let (server, browser) = try await Self.signedIn(.responder)
        var pages = browser
        for path in ["/sign-in", "/incidents", "/incidents/INC-1", "/incidents/INC-1/replay", "/incidents/INC-1/postmortem", "/static/incidents.css", "/v1/incidents", "/no-such-page", "/incidents/NOPE"] {
            let reply = try await pages.get(path)
            let policy = reply.headers["content-security-policy"] ?? ""
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && policy.contains("default-src 'none'"), "\(path): \(policy)")
            #expect(reply.headers["x-frame-options"] == "DENY", "\(path)")
            #expect(reply.headers["x-content-type-options"] == "nosniff", "\(path)")
            if reply.headers["content-type"]?.hasPrefix("text/html") == true {
                // Script only from the site's one file: no inline script, no event-handler attributes.
                #expect(reply.text.components(separatedBy: "<script").count - 1 == reply.text.components(separatedBy: "<script src=\"/static/incidents.js\"").count - 1, "\(path)")
                #expect(reply.text.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil, "\(path)")
                // Every tag is closed before the line ends or another begins (text from events is escaped).
                let unclosed = reply.text.range(of: #"<[a-zA-Z][^<>]*(\n|<)"#, options: .regularExpression)
                #expect(unclosed == nil, "\(path): \(unclosed.map { String(reply.text[$0]) } ?? "")")
            }
        }
        #expect(try await pages.get("/incidents/NOPE").status == 404)
        let wrongLink = try await pages.client.get("/incidentz", headers: [("Accept", "text/html,application/xhtml+xml")])
        #expect(wrongLink.status == 404)
        #expect(wrongLink.text.contains("class=\"error\" role=\"alert\""), "a browser gets a page")
        #expect(try await pages.client.get("/incidentz").object["code"] as? String == "not-found", "a program gets the problem")
        try await server.stop()
    }

    @Test func eachRoleIsShownOnlyWhatItMayDo() async throws {
        let (server, responderBrowser) = try await Self.signedIn(.responder)
        var responder = responderBrowser
        let incident = try await responder.get("/incidents/INC-1")
        #expect(incident.text.contains("<section id=\"record\">"))
        for verb in ["update", "status", "message", "reply", "escalate", "handoff", "note"] { #expect(incident.text.contains("data-verb=\"\(verb)\""), "\(verb)") }
        #expect(!incident.text.contains("href=\"/audit\""))
        #expect(try await responder.get("/audit").status == 403)
        #expect(!(try await responder.get("/incidents/INC-1/postmortem")).text.contains("data-verb=\"postmortem-root-cause\""))

        var reviewer = BrowserSession(port: server.port)
        _ = try await reviewer.signIn(try await Self.secret(server, .reviewer, holder: "rita@example.com"))
        #expect(!(try await reviewer.get("/incidents/INC-1")).text.contains("<section id=\"record\">"))
        let postmortem = try await reviewer.get("/incidents/INC-1/postmortem")
        for verb in ["postmortem-start", "postmortem-root-cause", "postmortem-factor", "postmortem-finding", "postmortem-action"] { #expect(postmortem.text.contains("data-verb=\"\(verb)\""), "\(verb)") }
        // A reviewer who forges a responder's form is refused by the server, whatever the page showed.
        let forged = try await reviewer.post("/incidents/INC-1/record/note", fields: [("text", "not mine to say")], from: "/incidents/INC-1")
        #expect(forged.status == 403)

        var auditor = BrowserSession(port: server.port)
        _ = try await auditor.signIn(try await Self.secret(server, .auditor, holder: "audrey@example.com"))
        #expect((try await auditor.get("/incidents")).text.contains("href=\"/audit\""))
        let audit = try await auditor.get("/audit")
        #expect(audit.status == 200)
        let head = try await server.service.ledger.head()
        #expect(audit.element("data-field=\"position\"") == String(head.position))
        #expect(audit.text.contains(head.hash.hex))
        let verified = try await auditor.post("/audit/verify", fields: [], from: "/audit")
        #expect(verified.text.contains("data-ok=\"true\""))
        #expect(try await server.service.ledger.head() == head, "nothing was recorded")
        try await server.stop()
    }

    @Test func aFormWithoutTheSessionsTokenChangesNothing() async throws {
        let (server, signed) = try await Self.signedIn(.responder)
        var browser = signed
        let before = try await server.service.ledger.head()
        for csrf in [nil, "forged-token"] as [String?] {
            let reply = try await browser.post("/incidents/INC-1/record/note", fields: [("text", "checked the dashboards")], from: "/incidents/INC-1", csrf: .some(csrf))
            #expect(reply.status == 403)
            #expect(reply.text.contains("security token"))
        }
        // The session is a cookie, which a browser sends for other sites too: it may read the API, never write it.
        #expect(try await browser.get("/v1/incidents").status == 200)
        let write = try await browser.client.send(
            "POST", "/v1/incidents/INC-1/note", headers: browser.cookieHeader + [("Content-Type", "application/json")], body: Array(#"{"text": "x"}"#.utf8))
        #expect(write.status == 401)
        #expect(try await server.service.ledger.head() == before)
        try await server.stop()
    }

    @Test func aRefusedFormSaysWhyBesideItsFieldAndARetryRecordsOnce() async throws {
        let (server, signed) = try await Self.signedIn(.responder)
        var browser = signed
        let before = try await server.service.ledger.head()
        let update = [("status", "investigating"), ("audience", "public"), ("channels", "status_page"), ("channels", "email"), ("text", "We are investigating errors at checkout.")]
        let past = try await browser.post("/incidents/INC-1/record/update", fields: update + [("nextUpdateBy", "2020-01-01 10:00")], from: "/incidents/INC-1")
        #expect(past.status == 422)
        #expect(past.element("id=\"update-nextUpdateBy-error\"")?.contains("in the past") == true, "\(past.text.prefix(200))")
        #expect(past.text.contains("We are investigating errors at checkout."), "the text typed is kept")
        let garbled = try await browser.post("/incidents/INC-1/record/update", fields: update + [("nextUpdateBy", "tomorrow")], from: "/incidents/INC-1")
        #expect(garbled.status == 400)
        #expect(garbled.element("id=\"update-nextUpdateBy-error\"")?.contains("tomorrow") == true)
        #expect(try await server.service.ledger.head() == before)

        let id = UUID().uuidString.lowercased()
        let promised = Timestamp.now().adding(seconds: 1800)
        let fields = update + [("nextUpdateBy", String(promised.rfc3339.prefix(16))), ("id", id)]
        let recorded = try await browser.post("/incidents/INC-1/record/update", fields: fields, from: "/incidents/INC-1")
        #expect(recorded.status == 303)
        let location = try #require(recorded.headers["location"])
        let position = try await server.service.ledger.head().position
        #expect(location == "/incidents/INC-1?recorded=\(position)#event-\(position)")
        // Posted twice (a double click, a retry): recorded once.
        #expect(try await browser.post("/incidents/INC-1/record/update", fields: fields, from: "/incidents/INC-1").status == 303)
        let detail = try #require(try server.service.detail(of: "INC-1", asOf: .now()))
        #expect(detail.events.count == 2)
        #expect(detail.events.last?.actor.description == "person:responder@example.com")
        #expect(detail.events.last?.source == "web")
        #expect(detail.summary.publicUpdateCount == 1)
        let page = try await browser.get(location)
        #expect(page.text.contains("id=\"event-\(position)\""))
        #expect(page.text.contains("Recorded as event #\(position)."))
        try await server.stop()
    }

    @Test func textFromEventsIsEscapedAndIsolated() async throws {
        let (server, signed) = try await Self.signedIn(.responder)
        var browser = signed
        let responder = try await server.client(.responder, holder: "oncall@example.com")
        let title = "<script>alert(1)</script> \"quoted\" خطای پرداخت"
        let body = #"{"title": "\#(title.replacingOccurrences(of: "\"", with: "\\\""))", "kind": "unplanned", "severity": "sev1"}"#
        #expect(try await responder.post("/v1/incidents/%D8%AE-2/declare", json: body).status == 201)
        for path in ["/incidents", "/incidents/%D8%AE-2", "/incidents/%D8%AE-2/replay", "/incidents/%D8%AE-2/postmortem"] {
            let page = try await browser.get(path)
            #expect(page.status == 200, "\(path)")
            #expect(!page.text.contains("<script>alert"), "\(path)")
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; خطای پرداخت"), "\(path)")
        }
        let list = try await browser.get("/incidents")
        #expect(list.text.contains("<td dir=\"auto\">&lt;script&gt;"))
        #expect(list.text.contains("href=\"/incidents/%D8%AE-2\""), "an id in another script stays one path segment")
        try await server.stop()
    }

    @Test func revokingTheTokenEndsItsSessions() async throws {
        let server = try await ServerFixture.start()
        let issued = try await server.service.createToken(holder: Actor(kind: .person, id: "temp@example.com"), role: .responder, expiresAt: nil)
        var browser = BrowserSession(port: server.port)
        _ = try await browser.signIn(issued.secret)
        #expect(try await browser.get("/incidents").status == 200)
        _ = try await server.service.revokeToken(id: issued.token.id)
        #expect(try await browser.get("/incidents").headers["location"]?.hasPrefix("/sign-in") == true)
        try await server.stop()
    }

    @Test func replayShowsWhatTheServiceReplaysForTheSameMoment() async throws {
        let (server, signed) = try await Self.signedIn(.responder)
        var browser = signed
        let responder = try await server.client(.responder, holder: "oncall@example.com")
        #expect(try await responder.post("/v1/incidents/INC-1/status", json: #"{"status": "identified"}"#).status == 201)
        #expect(try await responder.post("/v1/incidents/INC-1/severity", json: #"{"severity": "sev1", "reason": "all of Europe"}"#).status == 201)
        let events = try #require(try server.service.detail(of: "INC-1", asOf: .now())).events
        for (step, event) in events.enumerated() {
            let page = try await browser.get("/incidents/INC-1/replay?step=\(step + 1)")
            guard case .state(let state) = try server.service.replay("INC-1", at: event.knownAt, asOccurred: false) else {
                Issue.record("no state at step \(step + 1)")
                continue
            }
            #expect(page.element("data-field=\"phase\"") == state.phase.rawValue)
            #expect(page.element("data-field=\"severity\"") == state.severity?.rawValue)
            #expect(page.element("data-field=\"eventCount\"") == String(state.eventCount))
            #expect(page.text.contains("data-at=\"\(event.knownAt.rfc3339)\""))
        }
        // As a GET form sends it: a space as `+`.
        let moment = try await browser.get("/incidents/INC-1/replay?at=2000-01-01+00%3A00")
        #expect(moment.text.contains("Nothing of this incident was known"))
        #expect(try await browser.get("/incidents/INC-1/replay?at=yesterday").status == 400)
        try await server.stop()
    }

    @Test func docsWebDescribesEveryPage() throws {
        let directory = TemporaryDirectory("web-docs")
        let ledger = try Ledger.create(at: directory.file("ledger"))
        let service = LedgerService(ledger: ledger, defaults: RecordingDefaults.system.recorded(by: Actor(kind: .person, id: "test-admin")))
        let pages = LedgerServer(service: service, logger: .init(label: "web-docs")).pageRoutes
        #expect(pages.count > 15)
        let docs = try String(contentsOfFile: Self.repository + "/docs/web.md", encoding: .utf8)
        for route in pages { #expect(docs.contains("`\(route)`"), "docs/web.md does not describe \(route)") }
    }
}
