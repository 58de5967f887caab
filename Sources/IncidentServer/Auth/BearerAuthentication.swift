import Foundation
import HTTPTypes
import Hummingbird
import IncidentService
import Logging

/// Checks the `Authorization: Bearer …` header of every request it guards and puts the token's
/// holder and role in the context; refuses (401) a missing, unknown, revoked or expired token.
/// The secret is only ever hashed (the service looks tokens up by SHA-256), never logged.
struct BearerAuthentication: RouterMiddleware {
    typealias Context = ServerContext
    let service: LedgerService
    let sessions: WebSessions

    func handle(_ request: Request, context: ServerContext, next: @concurrent (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            // A signed-in page may read (a download, its live stream) with its session; never write:
            // a session is a cookie, which a browser sends on another site's behalf too.
            if request.method == .get || request.method == .head, let id = PageIO.cookie(WebSessions.cookie, in: request),
                let session = sessions.session(id)
            {
                return try await authenticated(secret: session.secret, request, context, next: next)
            }
            throw Problem(ServiceFailure(.unauthenticated, "no Authorization header: send `Authorization: Bearer TOKEN` with a token from `incidents tokens create`"))
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem(ServiceFailure(.unauthenticated, "the Authorization header is not `Bearer TOKEN` — send a token from `incidents tokens create`"))
        }
        return try await authenticated(secret: String(parts[1]).trimmingCharacters(in: .whitespaces), request, context, next: next)
    }

    func authenticated(secret: String, _ request: Request, _ context: ServerContext, next: @concurrent (Request, ServerContext) async throws -> Response) async throws -> Response {
        let service = self.service
        let token = try await Offload.run { try service.authenticate(secret: secret) }
        var context = context
        context.caller = token
        context.logger[metadataKey: "token"] = .string(token.id)
        return try await next(request, context)
    }
}
