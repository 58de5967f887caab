import Foundation
import HTTPTypes
import Hummingbird
import IncidentReports
import IncidentService
import NIOCore

/// Signing in and out, the site's root, and its one stylesheet and one script.
struct SessionRoutes {
    let service: LedgerService
    let configuration: ServerConfiguration
    let sessions: WebSessions

    var secure: Bool { configuration.tls != nil }

    /// The routes that need no session.
    func addOpen(to router: Router<ServerContext>) {
        router.get("/") { request, _ in
            let signedIn = PageIO.cookie(WebSessions.cookie, in: request).flatMap(sessions.session) != nil
            return PageIO.redirect(signedIn ? "/incidents" : "/sign-in")
        }
        router.get("sign-in") { request, _ in signInPage(next: Query(request)["next"]) }
        router.post("sign-in") { request, _ in try await signIn(request) }
        router.get("static/incidents.css") { _, _ in asset(WebAssets.stylesheet, type: "text/css; charset=utf-8") }
        router.get("static/incidents.js") { _, _ in asset(WebAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("static/icon.svg") { _, _ in asset(WebAssets.icon, type: "image/svg+xml") }
        router.get("favicon.ico") { _, _ in PageIO.redirect(WebPage.iconPath) }
    }

    /// The routes that need a session.
    func addSignedIn(to router: RouterGroup<ServerContext>) {
        router.post("sign-out") { request, context in
            _ = try await FormBody.read(request, limit: configuration.maximumBodyBytes, session: context.session)
            if let session = context.session { sessions.close(session.id) }
            return PageIO.redirect("/sign-in", headers: [.setCookie: PageIO.setCookie(WebSessions.cookie, "", maxAge: 0, secure: secure)])
        }
    }

    /// The form, with a fresh double-submit token in a cookie and in the form.
    func signInPage(next: String?, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let token = WebSessions.random()
        let page = SignInPage.render(csrf: token, next: next.flatMap { PageIO.isLocal($0) ? $0 : nil }, error: error)
        return PageIO.html(page, status: status, headers: [.setCookie: PageIO.setCookie(WebSessions.signInCookie, token, maxAge: 3600, secure: secure, path: "/sign-in")])
    }

    func signIn(_ request: Request) async throws -> Response {
        let form = try await FormBody.read(request, limit: 16 << 10, session: nil)
        let next = form["next"].flatMap { PageIO.isLocal($0) ? $0 : nil }
        guard let expected = PageIO.cookie(WebSessions.signInCookie, in: request), let given = form["csrf"], WebSessions.same(expected, given) else {
            return signInPage(next: next, error: "the sign-in form had expired or came from another site, so nothing was done — sign in again", status: .forbidden)
        }
        guard let secret = form["token"] else {
            return signInPage(next: next, error: "give the access token that `incidents tokens create` printed", status: .badRequest)
        }
        let service = self.service
        do {
            _ = try await Offload.run { try service.authenticate(secret: secret) }
        } catch {
            return signInPage(next: next, error: ServiceFailure(reporting: error).message, status: .unauthorized)
        }
        let session = sessions.open(secret: secret)
        var headers = HTTPFields()
        headers.append(HTTPField(name: .setCookie, value: PageIO.setCookie(WebSessions.cookie, session.id, maxAge: Int(WebSessions.lifetime.components.seconds), secure: secure)))
        headers.append(HTTPField(name: .setCookie, value: PageIO.setCookie(WebSessions.signInCookie, "", maxAge: 0, secure: secure, path: "/sign-in")))
        return PageIO.redirect(next ?? "/incidents", headers: headers)
    }

    func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
