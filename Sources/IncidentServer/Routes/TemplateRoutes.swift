import Foundation
import HTTPTypes
import Hummingbird
import IncidentEvents
import IncidentService
import LedgerModel

/// The template library: `GET /v1/templates`, `GET /v1/templates/{name}` (every role that reads
/// incidents), `POST /v1/templates` (one template or an array: defined, revised or unchanged) and
/// `POST /v1/templates/{name}/retire` (`{"reason"}`), for responders and admins; and
/// `POST /v1/incidents/{id}/update/template`, a status update made from a template, as
/// `incidents update INC --template NAME` makes it.
struct TemplateRoutes {
    let service: LedgerService
    let configuration: ServerConfiguration
    let recording: RecordingRoutes

    func add(to router: RouterGroup<ServerContext>) {
        router.get("templates") { _, context in
            _ = try context.require(.readIncidents)
            let service = self.service
            let library = try await Offload.run { try service.templateLibrary() }
            return HTTPIO.json(["templates": .array(library.all.map { $0.json() })])
        }
        router.get("templates/:name") { _, context in
            _ = try context.require(.readIncidents)
            let name = try context.pathParameter("name")
            let service = self.service
            return HTTPIO.json(try await Offload.run { try service.template(name) }.json())
        }
        router.post("templates") { request, context in
            let caller = try context.require(.manageTemplates)
            let bytes = try await HTTPIO.jsonBytes(request, limit: configuration.maximumBodyBytes, allowLines: false)
            let library: [TemplateContent]
            do {
                library = try TemplateContent.library(fromJSON: String(decoding: bytes, as: UTF8.self))
            } catch {
                throw Problem(ServiceFailure(.invalidInput, "\(error); nothing was written"))
            }
            let acting = service.acting(as: caller.holder)
            var changes = [JSONValue]()
            for content in library {
                let change = try await acting.addTemplate(content, source: RecordingRoutes.source)
                let version = try await Offload.run { try acting.template(content.templateId).version }
                changes.append(["templateId": .string(content.templateId), "change": .string(change.rawValue), "version": .integer(version)])
            }
            return HTTPIO.json(["changes": .array(changes)])
        }
        router.post("templates/:name/retire") { request, context in
            let caller = try context.require(.manageTemplates)
            let name = try context.pathParameter("name")
            let body = try await HTTPIO.jsonObject(request, limit: configuration.maximumBodyBytes)
            guard case .string(let reason)? = body["reason"] else {
                throw Problem(ServiceFailure(.invalidInput, "reason: say why the template is retired; nothing was written"))
            }
            let acting = service.acting(as: caller.holder)
            try await acting.retireTemplate(name, reason: reason, source: RecordingRoutes.source)
            return HTTPIO.json(try await Offload.run { try acting.template(name) }.json())
        }
        router.post("incidents/:incident/update/template") { request, context in
            let caller = try context.require(recording: StatusUpdatePublished.type)
            let incident = try context.pathParameter("incident")
            var body = try await HTTPIO.jsonObject(request, limit: configuration.maximumBodyBytes)
            guard case .string(let name)? = body.removeValue(forKey: "template") else {
                throw Problem(ServiceFailure(.invalidInput, "template: name the template (GET /v1/templates lists them); nothing was written"))
            }
            var values = [String: String]()
            if let given = body.removeValue(forKey: "values") {
                guard case .object(let members) = given, let strings = Optional(members.compactMapValues(\.stringValue)), strings.count == members.count else {
                    throw Problem(ServiceFailure(.invalidInput, "values: must be an object of texts, one per placeholder; nothing was written"))
                }
                values = strings
            }
            var occurredAt: Timestamp?
            if case .string(let text)? = body.removeValue(forKey: "occurredAt") {
                do {
                    occurredAt = try Timestamp(rfc3339: text)
                } catch {
                    throw Problem(ServiceFailure(.invalidInput, "occurredAt: \(error); nothing was written"))
                }
            }
            let acting = service.acting(as: caller.holder)
            let (fields, placeholders, shownAt) = (body, values, occurredAt)
            let filled = try await Offload.run { try acting.fillTemplate(name, for: incident, fields: fields, values: placeholders, at: shownAt) }
            let draft = EventDraft(
                stream: incident, type: StatusUpdatePublished.type, schemaVersion: StatusUpdatePublished.schemaVersion, payload: Payload([:]),
                occurredAt: occurredAt, actor: caller.holder, source: RecordingRoutes.source)
            let recorded = try await acting.recordTemplatedUpdate(filled, draft: draft, strict: try RecordingRoutes.strict(request))
            return try await recording.answer(
                recorded.flatMap(\.results),
                adding: [
                    "warnings": .array(recorded.flatMap(\.warnings).map(\.json)),
                    "updates": .array(filled.updates.map { update in ["channels": .array(update.channels.map { .string($0.rawValue) }), "text": .string(update.text)] }),
                ])
        }
    }
}
