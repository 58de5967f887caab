import Foundation
import Hummingbird
import IncidentReports
import IncidentService
import Logging
import LedgerModel

/// Signs in the pages' requests by their session cookie. A request without a live session goes to
/// the sign-in page (GET) or is refused (anything else); a token revoked or expired since sign-in
/// ends the session. Every refusal under it is a page, not JSON.
struct PageAuthentication: RouterMiddleware {
    typealias Context = ServerContext
    let service: LedgerService
    let sessions: WebSessions

    func handle(_ request: Request, context: ServerContext, next: @concurrent (Request, ServerContext) async throws -> Response) async throws -> Response {
        var context = context
        do {
            if let id = PageIO.cookie(WebSessions.cookie, in: request), let session = sessions.session(id) {
                let service = self.service
                do {
                    let token = try await Offload.run { try service.authenticate(secret: session.secret) }
                    context.caller = token
                    context.session = session
                    context.logger[metadataKey: "token"] = .string(token.id)
                } catch where ServiceFailure(reporting: error).kind == .unauthenticated {
                    // Revoked or expired since sign-in; any other failure (the store's) is reported, not a sign-out.
                    sessions.close(id)
                }
            }
            guard context.caller != nil else {
                if request.method == .get || request.method == .head {
                    let here = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                    return PageIO.redirect("/sign-in" + WebPage.query([("next", here)]))
                }
                return PageIO.html(
                    WebPage.message(title: "Signed out", sentence: "your session has ended, so nothing was done — sign in again and repeat it", viewer: nil, back: ("/sign-in", "Sign in")),
                    status: .unauthorized)
            }
            return try await next(request, context)
        } catch {
            let problem = Problem(reporting: error)
            if problem.status.code >= 500 {
                context.logger.error("page failed", metadata: ["status": "\(problem.status.code)", "code": "\(problem.code)"])
            }
            let viewer = try? context.viewer()
            let title = problem.status.code == 404 ? "Not found" : problem.status.reasonPhrase
            return PageIO.html(WebPage.message(title: title, sentence: problem.detail, viewer: viewer, back: ("/incidents", "All incidents")), status: problem.status)
        }
    }
}
