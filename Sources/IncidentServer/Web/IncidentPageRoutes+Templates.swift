import Foundation
import Hummingbird
import IncidentEvents
import IncidentReports
import IncidentService
import LedgerModel

extension IncidentPageRoutes {
    /// `POST /incidents/{incident}/template`: a status update from a template, as `incidents update INC
    /// --template NAME` makes it. "Preview" shows the filled texts on the page and records nothing;
    /// "Publish" records them (one append) and sends the browser to the new event; a refusal shows the
    /// form again with what was typed and why, and nothing is written.
    func recordFromTemplate(_ request: Request, _ context: ServerContext) async throws -> Response {
        let incident = try context.pathParameter("incident")
        let caller = try context.require(recording: StatusUpdatePublished.type)
        let body = try await FormBody.read(request, limit: configuration.maximumBodyBytes, session: context.session)
        let service = self.service
        var template = TemplateForm(library: try await Offload.run { try service.templateLibrary().all })
        for (name, value) in body.fields where name != "csrf" && name != TemplateForm.intentField { template.form.values[name, default: []].append(value) }
        template.form.eventID = body["id"]
        let (fields, occurredAt) = WebForm.payload(of: &template.form, from: body)
        var typed: [String: String]?
        do {
            typed = try WebForm.placeholderValues(body[TemplateForm.valuesField] ?? "")
        } catch {
            template.form.fieldErrors[TemplateForm.valuesField] = error.sentence
        }
        let name = body[TemplateForm.templateField]
        if name == nil { template.form.fieldErrors[TemplateForm.templateField] = "choose a template" }
        guard let name, let values = typed, template.form.fieldErrors.isEmpty else { return try await incidentPage(incident, request, context, template: template) }
        do {
            let filled = try await Offload.run { try service.fillTemplate(name, for: incident, fields: fields, values: values, at: occurredAt) }
            if body[TemplateForm.intentField] == TemplateForm.Intent.preview.rawValue {
                template.preview = filled.updates
                return try await incidentPage(incident, request, context, template: template)
            }
            // The form's id makes a second post of one update a retry; an id cannot name several updates.
            let draft = EventDraft(
                stream: incident, type: StatusUpdatePublished.type, schemaVersion: StatusUpdatePublished.schemaVersion, payload: Payload([:]),
                id: filled.updates.count == 1 ? body["id"].flatMap(UUID.init(uuidString:)) : nil, occurredAt: occurredAt, actor: caller.holder,
                source: WebForm.source)
            let recorded = try await service.recordTemplatedUpdate(filled, draft: draft, strict: nil)
            return Self.recordedRedirect(incident, recorded.flatMap(\.results), warnings: recorded.flatMap(\.warnings), postmortem: false)
        } catch {
            WebForm.place(error, in: &template.form)
        }
        return try await incidentPage(incident, request, context, template: template)
    }
}
