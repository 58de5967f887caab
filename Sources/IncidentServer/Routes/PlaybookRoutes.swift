import Foundation
import HTTPTypes
import Hummingbird
import IncidentEvents
import IncidentService
import LedgerModel

/// The outage playbook: `GET /v1/policy` (the policy in force, for every role that reads incidents)
/// and `PUT /v1/policy` (admins: put a policy in force, recorded in the chain in their name, as
/// `incidents policy set` records it).
struct PlaybookRoutes {
    let service: LedgerService
    let configuration: ServerConfiguration

    func add(to router: RouterGroup<ServerContext>) {
        router.get("policy") { _, context in
            _ = try context.require(.readIncidents)
            let service = self.service
            let inForce = try await Offload.run { try service.policyInForce() }
            return HTTPIO.json(Self.json(inForce))
        }
        router.put("policy") { request, context in
            let caller = try context.require(.setPolicy)
            let body = try await HTTPIO.jsonObject(request, limit: configuration.maximumBodyBytes)
            let policy: PlaybookPolicy
            do {
                policy = try PlaybookPolicy.decode(body)
            } catch {
                throw Problem(ServiceFailure(.invalidInput, "the policy's \(error) (docs/playbook.md lists every setting); nothing was written"))
            }
            try await service.acting(as: caller.holder).setPolicy(policy, source: RecordingRoutes.source)
            let service = self.service
            return HTTPIO.json(Self.json(try await Offload.run { try service.policyInForce() }))
        }
    }

    static func json(_ inForce: PolicyInForce) -> JSONValue {
        [
            "policy": .object(inForce.policy.json),
            "position": inForce.position.map { .integer(Int64($0)) } ?? .null,
            "setAt": inForce.setAt.map { .string($0.rfc3339) } ?? .null,
            "setBy": inForce.setBy?.json ?? .null,
        ]
    }
}
