import HTTPTypes
import Hummingbird
import IncidentImporters
import IncidentService
import LedgerModel
import Logging

/// The webhook receivers (docs/server.md, "Webhook receivers"): `POST /webhooks/pagerduty/{name}`,
/// `/webhooks/statuspage/{name}/{secret}` and `/webhooks/generic/{name}`. They take no bearer token: a
/// delivery proves where it comes from by its signature (Statuspage, which does not sign, by the
/// secret in its URL). The raw body is read whole, within the body limit, before anything parses it;
/// the service checks the signature over exactly those bytes, then maps and records the delivery.
struct WebhookRoutes {
    let service: LedgerService
    let configuration: ServerConfiguration
    let recording: RecordingRoutes

    static let pagerDutySignature = HTTPField.Name(WebhookSignature.pagerDutyHeader)!
    static let genericSignature = HTTPField.Name(WebhookSignature.genericHeader)!

    func add(to router: Router<ServerContext>) {
        router.post("webhooks/pagerduty/:name") { request, context in
            try await receive(.pagerduty, request, context, signature: request.headers[Self.pagerDutySignature])
        }
        router.post("webhooks/statuspage/:name/:secret") { request, context in
            try await receive(.statuspage, request, context, urlSecret: try context.parameters.require("secret"))
        }
        router.post("webhooks/generic/:name") { request, context in
            try await receive(.generic, request, context, signature: request.headers[Self.genericSignature])
        }
    }

    func receive(
        _ kind: WebhookReceiver.Kind, _ request: Request, _ context: ServerContext, signature: String? = nil, urlSecret: String? = nil
    ) async throws -> Response {
        let name = try context.pathParameter("name")
        let body = try await HTTPIO.jsonBytes(request, limit: configuration.maximumBodyBytes, allowLines: kind == .generic)
        let outcome: WebhookOutcome
        do {
            outcome = try await service.receive(WebhookDelivery(kind: kind, receiver: name, body: body, signature: signature, urlSecret: urlSecret))
        } catch let error as ServiceError where error.code == .badSignature {
            // Not a bearer-token route: no WWW-Authenticate challenge.
            throw Problem(.unauthorized, code: Problem.code(.unauthenticated), error.message)
        }
        let report = outcome.report
        if !report.rejections.isEmpty {
            // The tool cannot act on a refusal (it is answered 2xx); whoever runs the server can.
            context.logger.warning(
                "a webhook delivery was refused by the rules",
                metadata: ["receiver": "\(name)", "refused": "\(report.rejections.map(\.message).joined(separator: "; "))"])
        }
        let refused: [JSONValue] = report.rejections.map { rejection in
            guard case .object(var members) = rejection.jsonLine else { return rejection.jsonLine }
            members["record"] = nil  // the delivery itself, which the sender has
            return .object(members)
        }
        let warnings: [JSONValue] = report.warnings.map { warning in
            var object: [String: JSONValue] = ["kind": .string(warning.kind.rawValue), "message": .string(warning.message)]
            if let incident = warning.incidentID { object["incident"] = .string(incident) }
            return .object(object)
        }
        return try await recording.answer(
            outcome.results,
            adding: [
                "receiver": .string(name), "eventsRecorded": .integer(Int64(report.eventsImported)),
                "eventsAlreadyPresent": .integer(Int64(report.eventsAlreadyPresent)), "warnings": .array(warnings), "refused": .array(refused),
            ])
    }
}
