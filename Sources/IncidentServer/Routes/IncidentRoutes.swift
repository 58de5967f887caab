import Foundation
import HTTPTypes
import Hummingbird
import IncidentEvents
import IncidentProjections
import IncidentReports
import IncidentService
import LedgerModel
import LedgerStore

/// Reading incidents: the list with `incidents list`'s filters, one incident's state and events,
/// its timeline, its replay, and its postmortem in JSON, Markdown or HTML.
struct IncidentRoutes {
    let service: LedgerService

    func add(to router: RouterGroup<ServerContext>) {
        router.get("incidents") { request, context in try await list(request, context) }
        router.get("incidents/:incident") { request, context in try await show(request, context) }
        router.get("incidents/:incident/timeline") { request, context in try await timeline(request, context) }
        router.get("incidents/:incident/replay") { request, context in try await replay(request, context) }
        router.get("incidents/:incident/postmortem") { request, context in try await postmortem(request, context) }
    }

    /// The most incidents one page of the list gives.
    static let maximumPage = 10_000
    static let maximumOffset = Int(Int32.max)
    static let longest = 1...100_000
    static let postmortemFormats: [ReportFormat] = [.json, .markdown, .html]

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func list(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let query = Query(request)
        let filter = try Self.filter(query)
        let limit = try query.integer("limit", in: 1...Self.maximumPage) ?? 1000
        let offset = try query.integer("offset", in: 0...Self.maximumOffset) ?? 0
        let service = self.service
        let incidents = try await Offload.run { try service.incidents(matching: filter) }
        let page = incidents.dropFirst(offset).prefix(limit)
        let lines = try page.map { String(decoding: try Self.encoder.encode($0), as: UTF8.self) }
        var response = HTTPIO.body("[" + lines.joined(separator: ",") + "]\n", contentType: "application/json")
        response.headers[HTTPField.Name("X-Total-Count")!] = "\(incidents.count)"
        return response
    }

    /// The list's filters from the query string: the API's and the incidents page's alike.
    static func filter(_ query: Query) throws -> IncidentQuery {
        var filter = IncidentQuery()
        if let status = query["status"] {
            guard status == "open" || IncidentPhase(rawValue: status) != nil else {
                throw Problem(ServiceFailure(.usage, "?status= must be open or one of \(IncidentPhase.allCases.map(\.rawValue).joined(separator: ", ")), not \(MessageText.quoted(status))"))
            }
            filter.phase = status == "open" ? .open : .phase(IncidentPhase(rawValue: status)!)
        }
        filter.severity = try query.choice("severity", Severity.self)
        filter.kind = try query.choice("kind", IncidentKind.self)
        filter.service = query["service"]
        filter.text = query["text"]
        filter.period = try query["period"].map(ReportRoutes.period)
        filter.since = try query.timestamp("since")
        filter.until = try query.timestamp("until")
        filter.longest = try query.integer("longest", in: Self.longest)
        return filter
    }

    func show(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let incident = try Self.incident(context)
        let asOf = try Query(request).timestamp("asOf") ?? .now()
        let service = self.service
        guard let detail = try await Offload.run({ try service.detail(of: incident, asOf: asOf) }) else {
            throw ServiceError.noSuchIncident(incident, in: service.ledger.path)
        }
        let state = String(decoding: try Self.encoder.encode(detail.summary), as: UTF8.self)
        let events = detail.events.map { String(decoding: $0.jsonLine, as: UTF8.self) }
        var response = HTTPIO.body("{\"events\":[\(events.joined(separator: ","))],\"state\":\(state)}\n", contentType: "application/json")
        response.headers[.eTag] = "\"\(detail.events.last?.streamVersion ?? 0)\""
        return response
    }

    func timeline(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let incident = try Self.incident(context)
        let query = Query(request)
        var categories: Set<EventDescription.Category>?
        if let kinds = query["kind"] {
            categories = []
            for kind in kinds.split(separator: ",").map(String.init) {
                guard let category = EventDescription.Category(rawValue: kind) else {
                    throw Problem(ServiceFailure(.usage, "?kind= must be one or more (comma-separated) of \(EventDescription.Category.allCases.map(\.rawValue).joined(separator: ", ")), not \(MessageText.quoted(kind))"))
                }
                categories!.insert(category)
            }
        }
        let asOf = try query.timestamp("asOf") ?? .now()
        let service = self.service
        let chosen = categories
        guard let timeline = try await Offload.run({ try service.timeline(of: incident, categories: chosen, asOf: asOf) }) else {
            throw ServiceError.noSuchIncident(incident, in: service.ledger.path)
        }
        return HTTPIO.lines(TimelineLines.json(timeline))
    }

    func replay(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let incident = try Self.incident(context)
        let query = Query(request)
        let asOccurred = try query.flag("asOccurred")
        let service = self.service
        guard let at = try query.timestamp("at") else {
            if asOccurred { throw Problem(ServiceFailure(.usage, "?asOccurred=true needs ?at=TIME")) }
            let steps = try await Offload.run { try service.replaySteps(incident) }
            guard !steps.isEmpty else { throw ServiceError.noSuchIncident(incident, in: service.ledger.path) }
            return HTTPIO.lines(ReplayLines.json(steps))
        }
        switch try await Offload.run({ try service.replay(incident, at: at, asOccurred: asOccurred) }) {
        case .state(let summary):
            return HTTPIO.body(String(decoding: try Self.encoder.encode(summary), as: UTF8.self) + "\n", contentType: "application/json")
        case .nothingYet:
            throw Problem(ServiceFailure(.notFound, "nothing of \(incident) was known at \(at.rfc3339); its first event was recorded later — give a later ?at="))
        case .noSuchIncident:
            throw ServiceError.noSuchIncident(incident, in: service.ledger.path)
        }
    }

    func postmortem(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let incident = try Self.incident(context)
        let query = Query(request)
        let format = try ReportFormat.negotiate(query, request, offered: Self.postmortemFormats)
        let asOf = try query.timestamp("asOf") ?? .now()
        let service = self.service
        guard let report = try await Offload.run({ try service.postmortem(of: incident, asOf: asOf) }) else {
            throw ServiceError.noSuchIncident(incident, in: service.ledger.path)
        }
        switch format {
        case .markdown: return HTTPIO.body(PostmortemMarkdown.render(report), contentType: format.contentType)
        case .html: return HTTPIO.body(PostmortemHTML.render(report), contentType: format.contentType)
        default: return HTTPIO.body(PostmortemJSON.render(report), contentType: format.contentType)
        }
    }

    static func incident(_ context: ServerContext) throws -> String {
        try context.pathParameter("incident")
    }
}

/// The formats a report route offers, chosen by `?format=` or else by the `Accept` header.
enum ReportFormat: String, CaseIterable {
    case json, markdown, html, csv, text

    var contentType: String {
        switch self {
        case .json: "application/json"
        case .markdown: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        case .text: "text/plain; charset=utf-8"
        }
    }

    static func negotiate(_ query: Query, _ request: Request, offered: [ReportFormat]) throws -> ReportFormat {
        if let name = query["format"] {
            guard let format = ReportFormat(rawValue: name), offered.contains(format) else {
                throw Problem(ServiceFailure(.usage, "?format= must be one of \(offered.map(\.rawValue).joined(separator: ", ")), not \(MessageText.quoted(name))"))
            }
            return format
        }
        let accept = request.headers[.accept] ?? ""
        for format in offered where accept.contains(format.contentType.split(separator: ";")[0]) { return format }
        return offered[0]
    }
}
