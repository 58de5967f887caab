import Foundation
import HTTPTypes
import Hummingbird
import IncidentEvents
import IncidentService
import LedgerModel

/// Tokens, for the admin role: `GET /v1/tokens` (never a secret), `POST /v1/tokens` (`{"role",
/// "name", "expiresAt"}`; the answer holds the secret, once), `DELETE /v1/tokens/{id}`. Granting and
/// revoking are recorded in the chain in the admin's name, as `incidents tokens` records them.
struct TokenRoutes {
    let service: LedgerService
    let configuration: ServerConfiguration

    func add(to router: RouterGroup<ServerContext>) {
        router.get("tokens") { _, context in
            _ = try context.require(.manageTokens)
            let service = self.service
            let tokens = try await Offload.run { try service.tokens() }
            return HTTPIO.body(String(decoding: try IncidentRoutes.encoder.encode(tokens), as: UTF8.self) + "\n", contentType: "application/json")
        }
        router.post("tokens") { request, context in
            let caller = try context.require(.manageTokens)
            let body = try await HTTPIO.jsonObject(request, limit: configuration.maximumBodyBytes)
            guard case .string(let roleName)? = body["role"], let role = AccessRole(rawValue: roleName) else {
                throw Problem(ServiceFailure(.invalidInput, "role: must be one of \(AccessRole.allCases.map(\.rawValue).joined(separator: ", ")); nothing was written"))
            }
            guard case .string(let name)? = body["name"], let holder = Actor(name.contains(":") ? name : "person:" + name) else {
                throw Problem(ServiceFailure(.invalidInput, "name: must be who holds the token, as kind:id or a person's id; nothing was written"))
            }
            var expiresAt: Timestamp?
            if case .string(let text)? = body["expiresAt"] {
                do {
                    expiresAt = try Timestamp(rfc3339: text)
                } catch {
                    throw Problem(ServiceFailure(.invalidInput, "expiresAt: \(error); nothing was written"))
                }
            }
            let issued = try await service.acting(as: caller.holder).createToken(holder: holder, role: role, expiresAt: expiresAt, source: RecordingRoutes.source)
            let token = String(decoding: try IncidentRoutes.encoder.encode(issued.token), as: UTF8.self)
            let secret = JSONValue.string(issued.secret).canonicalText
            return HTTPIO.body("{\"secret\":\(secret),\"token\":\(token)}\n", contentType: "application/json", status: .created)
        }
        router.delete("tokens/:id") { _, context in
            let caller = try context.require(.manageTokens)
            let id = try context.pathParameter("id")
            let revoked = try await service.acting(as: caller.holder).revokeToken(id: id, source: RecordingRoutes.source)
            return HTTPIO.body(String(decoding: try IncidentRoutes.encoder.encode(revoked), as: UTF8.self) + "\n", contentType: "application/json")
        }
    }
}
