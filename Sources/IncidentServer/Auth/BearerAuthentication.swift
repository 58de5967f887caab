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

    func handle(_ request: Request, context: ServerContext, next: @concurrent (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Problem(ServiceFailure(.unauthenticated, "no Authorization header: send `Authorization: Bearer TOKEN` with a token from `incidents tokens create`"))
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem(ServiceFailure(.unauthenticated, "the Authorization header is not `Bearer TOKEN` — send a token from `incidents tokens create`"))
        }
        let secret = String(parts[1]).trimmingCharacters(in: .whitespaces)
        let service = self.service
        let token = try await Offload.run { try service.authenticate(secret: secret) }
        var context = context
        context.caller = token
        context.logger[metadataKey: "token"] = .string(token.id)
        return try await next(request, context)
    }
}
