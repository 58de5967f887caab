import Foundation
import HTTPTypes
import Hummingbird
import IncidentEvents
import IncidentMetrics
import IncidentProjections
import IncidentReports
import IncidentService
import LedgerModel
import LedgerStore
import NIOCore

/// The incident pages: the list, one incident (live), its replay and its postmortem, and the forms that
/// record events from them. Each calls the same use cases as the API's routes and the CLI's commands.
struct IncidentPageRoutes {
    let service: LedgerService
    let configuration: ServerConfiguration
    let metrics: ServerMetrics

    /// The forms the incident page offers a responder, and the postmortem page a reviewer.
    static let incidentForms: [(RecordingVerb, String)] = [
        (.update, "Publish a status update"), (.status, "Change the status"), (.message, "Log a customer message"),
        (.reply, "Log a reply to a customer"), (.escalate, "Escalate"), (.handOff, "Hand off"), (.note, "Add a note"),
    ]
    static let postmortemForms: [(RecordingVerb, String)] = [
        (.postmortemStart, "Start the postmortem"), (.postmortemRootCause, "Record the root cause"),
        (.postmortemFactor, "Record a contributing factor"), (.postmortemFinding, "Record a finding"), (.postmortemAction, "Open an action item"),
    ]

    static func slug(_ verb: RecordingVerb) -> String { verb.words.joined(separator: "-") }

    func add(to router: RouterGroup<ServerContext>) {
        router.get("incidents") { request, context in try await list(request, context) }
        router.get("incidents/:incident") { request, context in try await incident(request, context) }
        router.get("incidents/:incident/replay") { request, context in try await replay(request, context) }
        router.get("incidents/:incident/postmortem") { request, context in try await postmortem(request, context) }
        router.get("incidents/:incident/live") { request, context in try live(request, context) }
        router.post("incidents/:incident/record/:verb") { request, context in try await record(request, context) }
        router.post("incidents/:incident/\(TemplateForm.slug)") { request, context in try await recordFromTemplate(request, context) }
    }

    // MARK: The list

    func list(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let viewer = try context.viewer()
        let query = Query(request)
        var filters = IncidentListPage.Filters(
            status: query["status"], severity: query["severity"], kind: query["kind"], service: query["service"], text: query["text"],
            period: query["period"], sort: query["sort"].flatMap(IncidentListPage.Sort.init(rawValue:)) ?? .declared,
            descending: query["order"] != "asc", page: Int(query["page"] ?? "") ?? 1)
        let now = Timestamp.now()
        let service = self.service
        let responses = try await Offload.run { try service.policy().responses }
        let incidentQuery: IncidentQuery
        do {
            incidentQuery = try IncidentRoutes.filter(query)
        } catch {
            filters.page = 1
            return PageIO.html(
                IncidentListPage.render([], filters: filters, now: now, responses: responses, viewer: viewer, error: Problem(reporting: error).detail),
                status: .badRequest)
        }
        let incidents = try await Offload.run { try service.incidents(matching: incidentQuery) }
        return PageIO.html(
            IncidentListPage.render(IncidentListPage.sorted(incidents, by: filters), filters: filters, now: now, responses: responses, viewer: viewer))
    }

    // MARK: One incident

    func incident(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let incident = try context.pathParameter("incident")
        let notice = Self.recordedNotice(Query(request))
        return try await incidentPage(incident, request, context, notice: notice)
    }

    /// The incident page, with `refused` (a form a refusal sent back, values kept) in place of its fresh
    /// form, and `template` (a preview, or a refusal) in place of the fresh template form.
    func incidentPage(
        _ incident: String, _ request: Request, _ context: ServerContext, notice: String? = nil, refused: RecordingForm? = nil, template: TemplateForm? = nil
    ) async throws -> Response {
        let categories = try Self.categories(request)
        let service = self.service
        let responses = try await Offload.run { try service.policy().responses }
        var offered = template
        if offered == nil, try context.viewer().mayRecordIncidentEvents {
            offered = Self.freshTemplateForm(try await Offload.run { try service.templateLibrary().all }, now: .now())
        }
        let refusedTemplate = template.flatMap { $0.form.formError != nil || !$0.form.fieldErrors.isEmpty ? $0.form : nil }
        return try await reportPage(incident, context, forms: Self.incidentForms, refused: refused, status: refusedTemplate.map(Self.refusalStatus)) {
            report, forms, viewer, now in
            IncidentPage.render(report, categories: categories, forms: forms, template: offered, now: now, responses: responses, viewer: viewer, notice: notice)
        }
    }

    /// A page built from the incident's report as it stands, with `offered` forms (`refused` in place of
    /// its fresh one): 422 or 400 when a form came back refused, or `status` when given.
    func reportPage(
        _ incident: String, _ context: ServerContext, forms offered: [(RecordingVerb, String)], refused: RecordingForm?,
        status: HTTPResponse.Status? = nil, render: (PostmortemReport, [RecordingForm], PageViewer, Timestamp) -> String
    ) async throws -> Response {
        let viewer = try context.viewer()
        let now = Timestamp.now()
        let service = self.service
        guard let report = try await Offload.run({ try service.postmortem(of: incident, asOf: now) }) else {
            throw ServiceError.noSuchIncident(incident, in: service.ledger.path)
        }
        let forms = offered.map { verb, title in
            refused?.slug == Self.slug(verb) ? refused! : Self.freshForm(verb, title, report.summary, viewer: viewer, now: now)
        }
        return PageIO.html(render(report, forms, viewer, now), status: status ?? refused.map(Self.refusalStatus) ?? .ok)
    }

    /// The timeline's kinds from `?kind=` (repeated, or comma-separated); nil for every kind.
    static func categories(_ request: Request) throws -> Set<EventDescription.Category>? {
        let given = request.uri.queryParameters.getAll("kind").flatMap { $0.split(separator: ",").map(String.init) }
        guard !given.isEmpty else { return nil }
        return Set(try given.map { kind in
            guard let category = EventDescription.Category(rawValue: kind) else {
                throw Problem(ServiceFailure(.usage, "the timeline's kind must be one of \(EventDescription.Category.allCases.map(\.rawValue).joined(separator: ", ")), not \(MessageText.quoted(kind))"))
            }
            return category
        })
    }

    // MARK: Replay

    func replay(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let viewer = try context.viewer()
        let incident = try context.pathParameter("incident")
        let query = Query(request)
        let mode = try query.choice("mode", ReplayPage.Mode.self) ?? .known
        let service = self.service
        guard let timeline = try await Offload.run({ try service.timeline(of: incident) }), !timeline.entries.isEmpty else {
            throw ServiceError.noSuchIncident(incident, in: service.ledger.path)
        }
        let steps = ReplayPage.steps(timeline, mode: mode)
        let moment: Timestamp
        let step: Int
        if let text = query["at"] {
            moment = try FormBody.time(text, field: "the moment")
            step = steps.filter { $0.moment <= moment }.count
        } else {
            step = try query.integer("step", in: 1...steps.count) ?? steps.count
            moment = steps[step - 1].moment
        }
        let state: IncidentSummary?
        switch try await Offload.run({ try service.replay(incident, at: moment, asOccurred: mode == .occurred) }) {
        case .state(let summary): state = summary
        case .nothingYet, .noSuchIncident: state = nil
        }
        let title = try await Offload.run { try service.detail(of: incident, asOf: .now())?.summary.title }
        let page = ReplayPage.render(incident: incident, title: title, steps: steps, mode: mode, moment: moment, step: step, state: state, viewer: viewer)
        return PageIO.html(page)
    }

    // MARK: Postmortem

    func postmortem(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let incident = try context.pathParameter("incident")
        let notice = Self.recordedNotice(Query(request))
        return try await postmortemPage(incident, context, notice: notice)
    }

    func postmortemPage(_ incident: String, _ context: ServerContext, notice: String? = nil, refused: RecordingForm? = nil) async throws -> Response {
        try await reportPage(incident, context, forms: Self.postmortemForms, refused: refused) { report, forms, viewer, _ in
            PostmortemPage.render(report, forms: forms, viewer: viewer, notice: notice)
        }
    }

    // MARK: Live

    /// The incident's events as Server-Sent Events from `?from=`, for the page's script: a message per
    /// event (its position as the id), so the page knows to refresh its parts.
    func live(_ request: Request, _ context: ServerContext) throws -> Response {
        _ = try context.require(.readIncidents)
        let incident = try context.pathParameter("incident")
        return EventRoutes.streamResponse(
            service.ledger, from: try EventRoutes.start(Query(request), request), filter: EventQuery(incident: incident), heartbeat: configuration.heartbeatSeconds, metrics: metrics, named: false)
    }

    // MARK: Recording

    func record(_ request: Request, _ context: ServerContext) async throws -> Response {
        let incident = try context.pathParameter("incident")
        let slug = try context.pathParameter("verb")
        let offered = (Self.incidentForms + Self.postmortemForms).first { Self.slug($0.0) == slug }
        guard let (verb, title) = offered else {
            throw Problem(ServiceFailure(.notFound, "no form records \(MessageText.quoted(slug)); the incident page lists what can be recorded"))
        }
        let caller = try context.require(recording: verb.eventType)
        let body = try await FormBody.read(request, limit: configuration.maximumBodyBytes, session: context.session)
        var form = RecordingForm(slug: slug, title: title, eventType: verb.eventType)
        for (name, value) in body.fields where name != "csrf" { form.values[name, default: []].append(value) }
        form.eventID = body["id"]
        let postmortemForm = verb.eventType.hasPrefix("postmortem.")
        let (payload, occurredAt) = WebForm.payload(of: &form, from: body)
        if form.fieldErrors.isEmpty {
            let draft = EventDraft(
                stream: incident, type: verb.eventType, schemaVersion: Catalog.currentVersion(of: verb.eventType), payload: Payload(payload),
                id: body["id"].flatMap(UUID.init(uuidString:)), occurredAt: occurredAt, actor: caller.holder, source: WebForm.source)
            do {
                let recorded = try await service.recordChecked(draft, strict: nil)
                return Self.recordedRedirect(incident, recorded.results, warnings: recorded.warnings, postmortem: postmortemForm)
            } catch {
                WebForm.place(error, in: &form)
            }
        }
        return postmortemForm
            ? try await postmortemPage(incident, context, refused: form)
            : try await incidentPage(incident, request, context, refused: form)
    }

    /// After a recording, to the page of the last event recorded (POST-redirect-GET), naming each playbook
    /// rule the events broke once, for the page's notice.
    static func recordedRedirect(_ incident: String, _ results: [AppendResult], warnings: [PlaybookFinding], postmortem: Bool) -> Response {
        let position = results.last?.positions.upperBound ?? 0
        let page = WebPage.incidentPath(incident, postmortem ? "postmortem" : nil)
        var rules = [String]()
        for rule in warnings.map(\.rule.rawValue) where !rules.contains(rule) { rules.append(rule) }
        let warned = rules.isEmpty ? "" : "&warned=" + WebPage.segment(rules.joined(separator: ","))
        return PageIO.redirect("\(page)?recorded=\(position)\(warned)#\(postmortem ? "record" : "event-\(position)")")
    }

    /// What the page says after a form was recorded: its position, and each playbook rule it broke
    /// (rules this build knows only; the query is the browser's to change).
    static func recordedNotice(_ query: Query) -> String? {
        guard let position = query["recorded"] else { return nil }
        let rules = (query["warned"] ?? "").split(separator: ",").compactMap { PlaybookRule(rawValue: String($0)) }
        guard !rules.isEmpty else { return "Recorded as event #\(position)." }
        return "Recorded as event #\(position), with warnings from the playbook: " + rules.map { "\($0.summary) (\($0.rawValue))" }.joined(separator: "; ") + "."
    }

    /// 422 for a rule's refusal, 400 for a malformed field.
    static func refusalStatus(_ form: RecordingForm) -> HTTPResponse.Status {
        form.refusedByRule ? .unprocessableContent : .badRequest
    }

    /// The next update a fresh update form promises: half an hour on.
    static func nextUpdateOffered(_ now: Timestamp) -> String {
        WebPage.fieldTime(Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch + 30 * 60 * 1_000_000))
    }

    /// The template form as first shown: the library's templates, the next update promised half an hour on.
    static func freshTemplateForm(_ library: [TemplateLibrary.Template], now: Timestamp) -> TemplateForm {
        var template = TemplateForm(library: library)
        template.form.eventID = UUID().uuidString.lowercased()
        template.form.values = ["nextUpdateBy": [nextUpdateOffered(now)]]
        return template
    }

    /// A form as first shown, with the values a person would most likely enter.
    static func freshForm(_ verb: RecordingVerb, _ title: String, _ summary: IncidentSummary, viewer: PageViewer, now: Timestamp) -> RecordingForm {
        var form = RecordingForm(slug: slug(verb), title: title, eventType: verb.eventType)
        form.eventID = UUID().uuidString.lowercased()
        let suffix = String(WebSessions.random().prefix(6)).lowercased()
        let person = viewer.holder.split(separator: ":", maxSplits: 1).last.map(String.init) ?? viewer.holder
        switch verb {
        case .update:
            form.values = [
                "audience": ["public"], "channels": ["status_page"], "status": [PublicStatus(rawValue: summary.phase.rawValue)?.rawValue ?? "investigating"],
                "nextUpdateBy": [nextUpdateOffered(now)],
            ]
        case .status:
            let next = IncidentPhase.allCases.drop { $0 != summary.phase }.dropFirst().first
            form.values = ["status": [next?.rawValue ?? "investigating"]]
        case .message:
            form.values = ["messageId": ["msg-\(suffix)"], "channel": ["email"]]
        case .reply:
            form.choices = ["inReplyTo": summary.awaitingReply.map(\.messageId)]
            if let first = summary.awaitingReply.first {
                form.values = ["inReplyTo": [first.messageId], "customer": [first.customer], "channel": [first.channel.rawValue]]
            }
        case .escalate:
            let from = summary.highestEscalationLevel ?? .support
            let to = EscalationLevel.allCases.first { $0 > from } ?? .executive
            form.values = ["escalationId": ["esc-\(suffix)"], "fromLevel": [from.rawValue], "toLevel": [to.rawValue]]
        case .handOff:
            form.values = ["from": [person]]
        case .postmortemStart:
            form.values = ["owner": [person]]
        case .postmortemFinding:
            form.values = ["kind": ["went_well"], "author": [person]]
        case .postmortemAction:
            form.values = ["actionItemId": ["ai-\(suffix)"], "owner": [person]]
        default:
            break
        }
        return form
    }
}
