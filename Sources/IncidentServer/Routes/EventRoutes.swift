import AsyncAlgorithms
import Foundation
import HTTPTypes
import Hummingbird
import IncidentService
import LedgerModel
import LedgerStore
import NIOCore
import Prometheus
import ServiceLifecycle

/// The log: `GET /v1/events` pages through it by position with `incidents log`'s filters, and
/// `GET /v1/events/stream` is the live tail as Server-Sent Events: each event's `id:` is its position,
/// so a client that reconnects with `Last-Event-ID` resumes after the last event it got, with no gap
/// and no duplicate. The tail first catches up from the position asked for, then follows new commits.
struct EventRoutes {
    let service: LedgerService
    let configuration: ServerConfiguration
    let metrics: ServerMetrics

    static let maximumPage = 10_000

    func add(to router: RouterGroup<ServerContext>) {
        router.get("events") { request, context in try await log(request, context) }
        router.get("events/stream") { request, context in try stream(request, context) }
    }

    static func filter(_ query: Query) throws -> EventQuery {
        EventQuery(
            incident: query["incident"].map(EnvelopeRules.normalized),
            types: query["type"].map { $0.split(separator: ",").map(String.init) } ?? [], since: try query.timestamp("since"),
            until: try query.timestamp("until"))
    }

    func log(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readLog)
        let query = Query(request)
        let filter = try Self.filter(query)
        let from = UInt64(try query.integer("from", in: 1...Int.max) ?? 1)
        let limit = try query.integer("limit", in: 1...Self.maximumPage) ?? 1000
        let service = self.service
        let (body, last) = try await Offload.run {
            var body = [UInt8]()
            var last: UInt64?
            try service.forEachEvent(matching: filter, from: from, limit: limit) { event in
                body += event.jsonLine
                body.append(0x0A)
                last = event.position
            }
            return (body, last)
        }
        var response = Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        // The next page starts after the last event given; none when this page was short.
        if let last, body.count > 0 {
            response.headers[HTTPField.Name("Link")!] = "</v1/events?from=\(last + 1)&limit=\(limit)>; rel=\"next\""
        }
        return response
    }

    func stream(_ request: Request, _ context: ServerContext) throws -> Response {
        _ = try context.require(.readLog)
        let query = Query(request)
        let filter = try Self.filter(query)
        let service = self.service
        let watchesDue = try query.flag("due")
        if watchesDue { _ = try context.require(.readIncidents) }
        let due = watchesDue
            ? DueWatch(incident: filter.incident, interval: .seconds(configuration.dueCheckSeconds)) { now in try service.due(at: now) } : nil
        return Self.streamResponse(
            service.ledger, from: try Self.start(query, request), filter: filter, heartbeat: configuration.heartbeatSeconds, metrics: metrics, due: due)
    }

    /// Where a live tail starts: after `Last-Event-ID` when a client reconnects, else at `?from=` (1).
    static func start(_ query: Query, _ request: Request) throws -> UInt64 {
        if let resume = request.headers[HTTPField.Name("Last-Event-ID")!] {
            // Bounded like ?from=, so the position after it is one too.
            guard let position = UInt64(resume.trimmingCharacters(in: .whitespaces)), position < Int.max else {
                throw Problem(ServiceFailure(.usage, "Last-Event-ID must be the position of the last event received, not \(MessageText.quoted(resume))"))
            }
            return position + 1
        }
        return UInt64(try query.integer("from", in: 1...Int.max) ?? 1)
    }

    /// The live tail as a response: events from `from` that `filter` selects, then new commits as they
    /// come. `named` gives each event's type as its SSE event name (the API); the pages' script takes
    /// unnamed messages. `due`, when given, adds a `due` event as each item comes due.
    static func streamResponse(
        _ store: any EventStore, from start: UInt64, filter: EventQuery, heartbeat: Int64, metrics: ServerMetrics, named: Bool = true,
        due: DueWatch? = nil
    ) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: ResponseBody { writer in
                metrics.subscribers.increment()
                defer { metrics.subscribers.decrement() }
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                try await Self.follow(store, from: start, filter: filter, heartbeat: heartbeat, named: named, due: due, writer: &writer)
                try await writer.finish(nil)
            })
    }

    /// Writes every event from `from` on that the filter selects, and a comment when nothing came for
    /// `heartbeat` seconds, until the client goes (a write fails) or the server shuts down.
    static func follow(
        _ store: any EventStore, from: UInt64, filter: EventQuery, heartbeat: Int64, named: Bool = true, due: DueWatch? = nil,
        writer: inout any ResponseBodyWriter
    ) async throws {
        // A channel, not a buffered stream: the subscription reads no further ahead than the client
        // takes, so a slow client holds no growing backlog and loses nothing.
        let frames = AsyncThrowingChannel<String, any Error>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await event in store.subscribe(from: from) where filter.matches(event) {
                        await frames.send("id: \(event.position)\n\(named ? "event: \(event.type)\n" : "")data: \(String(decoding: event.jsonLine, as: UTF8.self))\n\n")
                    }
                    frames.finish()
                } catch {
                    frames.fail(error)
                }
            }
            if let due {
                group.addTask { try await due.run { frame in await frames.send(frame) } }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(heartbeat))
                    await frames.send(": still here\n\n")
                }
            }
            defer { group.cancelAll() }
            for try await frame in frames.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: frame))
            }
        }
    }
}
