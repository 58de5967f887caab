import Foundation
import HTTPTypes
import Hummingbird
import IncidentEvents
import IncidentImporters
import IncidentService
import LedgerModel
import LedgerStore
import Prometheus

/// Recording: `POST /v1/events` (one event or JSON Lines, as `incidents append` reads them) and one
/// route per recording verb (`POST /v1/incidents/{id}/declare`, `/escalation/raise`, …) taking the
/// event type's payload fields, as the CLI's flags do. Every event is recorded in the name of the
/// token's holder, with `api` as its source; the answer gives the positions and the chain head.
struct RecordingRoutes {
    let service: LedgerService
    let configuration: ServerConfiguration
    let metrics: ServerMetrics

    /// Envelope fields a verb's body may carry beside the payload's.
    static let envelopeFields: Set<String> = ["id", "occurredAt", "sourceRecordedAt", "correlationId", "causationId", "actor", "source"]
    static let source = "api"

    func add(to router: RouterGroup<ServerContext>) {
        router.post("events") { request, context in try await append(request, context) }
        for verb in RecordingVerb.all {
            router.post(RouterPath("incidents/:incident/" + verb.words.joined(separator: "/"))) { request, context in
                try await record(verb, request, context)
            }
        }
    }

    func record(_ verb: RecordingVerb, _ request: Request, _ context: ServerContext) async throws -> Response {
        let caller = try context.require(recording: verb.eventType)
        let incident = try context.pathParameter("incident")
        var body = try await HTTPIO.jsonObject(request, limit: configuration.maximumBodyBytes)
        try Self.checkName(body["actor"], caller: caller)
        try Self.checkSource(body["source"])
        let entry = Catalog.entry(for: verb.eventType)!
        func text(_ key: String) throws -> String? {
            switch body.removeValue(forKey: key) {
            case nil, .null?: return nil
            case .string(let value)?: return value
            case let other?: throw Problem(ServiceFailure(.invalidInput, "\(key): must be a string, not \(other.typeName); nothing was written"))
            }
        }
        func time(_ key: String) throws -> Timestamp? {
            guard let value = try text(key) else { return nil }
            do {
                return try Timestamp(rfc3339: value)
            } catch {
                throw Problem(ServiceFailure(.invalidInput, "\(key): \(error); nothing was written"))
            }
        }
        let id = try text("id").map { value in
            guard let id = UUID(uuidString: value) else { throw Problem(ServiceFailure(.invalidInput, "id: must be a UUID, not \(MessageText.quoted(value)); nothing was written")) }
            return id
        }
        let occurredAt = try time("occurredAt")
        let sourceRecordedAt = try time("sourceRecordedAt")
        let correlationID = try text("correlationId")
        let causationID = try text("causationId")
        body["actor"] = nil
        body["source"] = nil
        let draft = EventDraft(
            stream: incident, type: entry.type, schemaVersion: entry.schemaVersion, payload: Payload(body), id: id, occurredAt: occurredAt,
            sourceRecordedAt: sourceRecordedAt, actor: caller.holder, source: Self.source, correlationID: correlationID, causationID: causationID)
        let recorded = try await service.recordChecked(draft, expectedVersion: try Self.expectedVersion(request), strict: try Self.strict(request))
        return try await answer(recorded.results, adding: ["warnings": .array(recorded.warnings.map(\.json))])
    }

    /// `?strict=true` refuses an event that breaks a playbook check; `false` records it with a
    /// warning whatever the policy says; left out, the policy decides.
    static func strict(_ request: Request) throws -> Bool? {
        guard let text = request.uri.queryParameters.get("strict") else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw Problem(ServiceFailure(.usage, "strict must be true or false, not \(MessageText.quoted(text)); nothing was written"))
        }
    }

    func append(_ request: Request, _ context: ServerContext) async throws -> Response {
        let caller = try context.authenticated()
        let bytes = try await HTTPIO.jsonBytes(request, limit: configuration.maximumBodyBytes, allowLines: true)
        let lines: EventLines
        do {
            lines = try EventLines(parsing: bytes, defaults: EventLines.Defaults(actor: caller.holder, source: Self.source))
        } catch {
            throw Problem(ServiceFailure(.invalidInput, "the body" + error.sentence))
        }
        guard lines.count <= configuration.maximumBatchEvents else {
            throw Problem(.contentTooLarge, code: "too-large", "the body holds \(lines.count) events, more than \(configuration.maximumBatchEvents); send smaller batches")
        }
        for record in lines.records {
            for item in record.events {
                _ = try context.require(recording: item.event.type)
                try Self.checkName(item.event.actor, caller: caller)
                try Self.checkSource(.string(item.event.source))
            }
        }
        let expected = try Self.expectedVersion(request)
        if expected != nil, Set(lines.records.map(\.stream)).count > 1 {
            throw Problem(ServiceFailure(.usage, "If-Match applies to events about one incident; this body names \(Set(lines.records.map(\.stream)).count)"))
        }
        var run = ImportRun(incidentsInDocument: lines.count, warnings: [])
        let results = try await service.record(lines.records, rejected: lines.rejections, in: &run, keepGoing: false, expectedVersion: expected)
        return try await answer(results)
    }

    /// 201 with what was appended and the chain head; 200 when every event was already recorded (a
    /// retry). `adding` gives more members of the answer (a webhook's counts and warnings).
    func answer(_ results: [AppendResult], adding more: [String: JSONValue] = [:]) async throws -> Response {
        metrics.eventsRecorded.increment(by: Int64(results.filter { !$0.alreadyRecorded }.reduce(0) { $0 + $1.positions.count }))
        let head = try await service.ledger.head()
        let appended: [JSONValue] = results.map { result in
            [
                "stream": .string(result.stream), "firstPosition": .integer(Int64(result.positions.lowerBound)),
                "lastPosition": .integer(Int64(result.positions.upperBound)), "version": .integer(Int64(result.streamVersion)),
                "alreadyRecorded": .bool(result.alreadyRecorded),
            ]
        }
        let fresh = results.contains { !$0.alreadyRecorded }
        var headers = HTTPFields()
        if let last = results.last { headers[.eTag] = "\"\(last.streamVersion)\"" }
        let members: [String: JSONValue] = ["appended": .array(appended), "head": head.json]
        return HTTPIO.json(.object(members.merging(more) { first, _ in first }), status: fresh ? .created : .ok, headers: headers)
    }

    /// A request records in its token holder's name only.
    static func checkName(_ given: JSONValue?, caller: AccessToken) throws {
        guard let given, given != .null, given != caller.holder.json else { return }
        throw Problem(ServiceFailure(.forbidden, "events are recorded in the name of the token's holder (\(caller.holder)); leave actor out, or use that holder's token"))
    }

    static func checkName(_ given: Actor, caller: AccessToken) throws {
        try checkName(given.json, caller: caller)
    }

    static func checkSource(_ given: JSONValue?) throws {
        guard let given, given != .null, given != .string(source) else { return }
        throw Problem(ServiceFailure(.invalidInput, "source: the server sets it to \(source) (the route the event came through); leave it out; nothing was written"))
    }

    /// `If-Match: "N"` (or `*`, `no-stream`): the incident's version the write expects.
    static func expectedVersion(_ request: Request) throws -> ExpectedVersion? {
        guard var text = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if text == "*" { return .streamExists }
        if text.hasPrefix("W/") { text.removeFirst(2) }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = ExpectedVersion(text) else {
            throw Problem(ServiceFailure(.usage, "If-Match must be the incident's version in quotes (\"3\"), \"no-stream\" or *, not \(MessageText.quoted(text))"))
        }
        return version
    }
}

extension Actor {
    var json: JSONValue { ["kind": .string(kind.name), "id": .string(id)] }
}

extension LedgerHead {
    var json: JSONValue {
        // An empty log has a head of position 0 and no time.
        ["position": .integer(Int64(position)), "hash": .string(hash.hex), "recordedAt": position == 0 ? .null : .string(recordedAt.rfc3339)]
    }
}
