import Foundation
import Hummingbird
import HummingbirdCore
import IncidentEvents
import IncidentServer
import IncidentService
import LedgerModel
import LedgerStore
import Logging
import ServiceLifecycle
import Synchronization

/// Rows s–w: the server over HTTP (`incidents serve`, issue #15), measured against the store's own
/// limit and a bare Hummingbird route in the same run, with the same events and the same client.
extension Suite {
    mutating func runHTTPRows() async throws {
        let workload = HTTPWorkload(clients: sizes.httpClients, eventsPerClient: sizes.httpEvents)
        record(try await storeLimit(workload))
        record(try await storeLimit(workload, catchingUp: false))
        record(try await bareRoute(workload))

        let ledger = try Ledger.create(at: path("http-server"))
        let service = LedgerService(ledger: ledger, defaults: RecordingDefaults.system.recorded(by: HTTPWorkload.admin))
        let server = try await BenchServer.start(LedgerServer(service: service, configuration: Self.serverConfiguration, logger: Self.quietLogger).application)
        let responder = try await service.createToken(holder: HTTPWorkload.responder, role: .responder, expiresAt: nil).secret
        let auditor = try await service.createToken(holder: HTTPWorkload.auditor, role: .auditor, expiresAt: nil).secret
        // The incidents the readers read, declared beforehand with a realistic history each.
        let readIncidents = (0..<HTTPWorkload.readers).map { "READ-\($0)" }
        for incident in readIncidents {
            for request in HTTPWorkload.incidentRequests(incident, count: 60) {
                _ = try await service.record(request.draft)
            }
        }
        let (writes, reads) = try await serverUnderLoad(workload, port: server.port, token: responder, readIncidents: readIncidents)
        record(writes)
        record(reads)
        record(try await liveTail(service, port: server.port, writer: responder, subscriber: auditor))
        try await server.stop()
        notes.append(
            "(s–w) \(sizes.httpClients) clients × \(sizes.httpEvents) events: each client declares its own incidents (BENCH-client-n, "
                + "\(HTTPWorkload.incidentSize) events each: declared, status changes, internal notes) and records them one event a request; "
                + "(s) records the same drafts in process through `LedgerService.record`, 64 tasks, (s′) through `EventRecorder.record` "
                + "(no projections' catch-up); (t) posts the same note body to "
                + "a bare Hummingbird route with the server's HTTP settings; (u) posts to `POST /v1/incidents/{id}/<verb>` of a `LedgerServer` "
                + "in this process on a loopback port, with a responder token, one keep-alive connection per client thread; "
                + "(v) \(HTTPWorkload.readers) reader connections each read one \(60)-event incident's timeline every "
                + "\(HTTPWorkload.readPauseMilliseconds) ms while (u) runs; (w) \(sizes.subscribers) live-tail connections "
                + "(`GET /v1/events/stream`, auditor token) while \(HTTPWorkload.tailWriters) clients post \(sizes.tailEvents) events in all.")
    }

    /// The server's settings for every HTTP row: the defaults, on a free loopback port.
    static var serverConfiguration: IncidentServer.ServerConfiguration {
        var configuration = IncidentServer.ServerConfiguration()
        configuration.port = 0
        return configuration
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "incidents-bench")
        logger.logLevel = .warning
        return logger
    }

    // MARK: (s) The store's limit

    /// (s) The same drafts recorded in process by one task per client: the catalog's checks, the
    /// durable append and the projections' catch-up, without HTTP.
    /// (s′) The same through the service's `EventRecorder` only: the catalog's checks and the durable
    /// append, without the stored projections' catch-up that `record` commits after every write.
    private func storeLimit(_ workload: HTTPWorkload, catchingUp: Bool = true) async throws -> Measurement {
        let label = catchingUp ? "s" : "s′"
        progress("(\(label)) \(workload.count) single events in process, \(workload.clients.count) tasks")
        let ledger = try Ledger.create(at: path("http-store-limit-\(catchingUp)"))
        let service = LedgerService(ledger: ledger, defaults: RecordingDefaults.system.recorded(by: HTTPWorkload.admin))
        let (samples, seconds, usage) = try await Self.measure {
            try await withThrowingTaskGroup(of: [Double].self) { group in
                for requests in workload.clients {
                    group.addTask {
                        var samples = [Double]()
                        samples.reserveCapacity(requests.count)
                        let clock = ContinuousClock()
                        for request in requests {
                            let start = clock.now
                            if catchingUp {
                                _ = try await service.record(request.draft)
                            } else {
                                let draft = request.draft
                                let event = ProposedEvent(
                                    id: .version7(), type: draft.type, schemaVersion: draft.schemaVersion, occurredAt: .now(), sourceRecordedAt: nil,
                                    actor: draft.actor!, source: draft.source, correlationID: nil, causationID: nil, payload: draft.payload)
                                _ = try await service.recorder.record([StreamEvent(stream: draft.stream, event: event)])
                            }
                            samples.append(Stopwatch.seconds(start.duration(to: clock.now)))
                        }
                        return samples
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
        }
        try expectCount(ledger, workload.count, row: label)
        let name = catchingUp
            ? "Store limit: `LedgerService.record` in process, \(workload.clients.count) tasks, 1 event each"
            : "(s) without the projections' catch-up: `EventRecorder.record` only"
        return Measurement(
            label: label, name: name,
            events: samples.count, seconds: seconds, usage: usage, latency: Latency(samples), table: .http)
    }

    // MARK: (t) The HTTP limit

    /// (t) A Hummingbird route that only answers, with the server's HTTP settings and the same client.
    private func bareRoute(_ workload: HTTPWorkload) async throws -> Measurement {
        progress("(t) \(workload.count) requests to a bare Hummingbird route, \(workload.clients.count) connections")
        let router = Router()
        router.post("bare") { _, _ -> Response in Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}\n"))) }
        let configuration = Self.serverConfiguration
        let server = try await BenchServer.start { onListening in
            Application(
                router: router,
                server: .http1(configuration: Self.http1(configuration)),
                configuration: .init(address: .hostname(configuration.host, port: 0), serverName: "incidents"),
                onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: Self.quietLogger)
        }
        let body = Array(#"{"text": "Rolling back gateway pool config; ETA 15 minutes"}"#.utf8)
        let port = server.port
        let (samples, seconds, usage) = try await Self.measure {
            try await onThreads(workload.clients.count) { client in
                let connection = try LoadConnection(port: port)
                return try Self.timed(workload.clients[client].count) { _ in
                    let answer = try connection.request("POST", "/bare", token: nil, body: body)
                    guard answer.status == 201 else { throw BenchFailure("(t) answered \(answer.status)") }
                }
            }.flatMap { $0 }
        }
        try await server.stop()
        return Measurement(
            label: "t", name: "HTTP limit: a bare Hummingbird route that only answers, \(workload.clients.count) connections",
            events: samples.count, seconds: seconds, usage: usage, latency: Latency(samples), table: .http)
    }

    // MARK: (u, v) The server, and reads meanwhile

    /// (u) Every client posting its events one a request; (v) timelines read meanwhile.
    private func serverUnderLoad(
        _ workload: HTTPWorkload, port: Int, token: String, readIncidents: [String]
    ) async throws -> (writes: Measurement, reads: Measurement) {
        progress("(u) \(workload.count) events over HTTP, \(workload.clients.count) connections; (v) \(readIncidents.count) readers meanwhile")
        let finished = Counter()
        let clients = workload.clients.count
        let ((writes, reads), seconds, usage) = try await Self.measure {
            let results: [(writes: [Double], reads: [Double])] = try await onThreads(clients + readIncidents.count) { thread in
                let connection = try LoadConnection(port: port)
                if thread < clients {
                    defer { finished.add() }
                    let requests = workload.clients[thread]
                    let samples = try Self.timed(requests.count) { index in
                        let answer = try connection.request("POST", requests[index].path, token: token, body: requests[index].body)
                        guard answer.status == 201 else {
                            throw BenchFailure("(u) \(requests[index].path) answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self))")
                        }
                    }
                    return (samples, [])
                }
                let path = "/v1/incidents/\(readIncidents[thread - clients])/timeline"
                var samples = [Double]()
                let clock = ContinuousClock()
                while finished.value < clients {
                    let start = clock.now
                    let answer = try connection.request("GET", path, token: token)
                    samples.append(Stopwatch.seconds(start.duration(to: clock.now)))
                    guard answer.status == 200 else { throw BenchFailure("(v) \(path) answered \(answer.status)") }
                    usleep(UInt32(HTTPWorkload.readPauseMilliseconds * 1000))
                }
                return ([], samples)
            }
            return (results.flatMap(\.writes), results.flatMap(\.reads))
        }
        let write = Measurement(
            label: "u", name: "The server: `POST /v1/incidents/{id}/<verb>`, \(clients) keep-alive connections, 1 event each",
            events: writes.count, seconds: seconds, usage: usage, latency: Latency(writes), table: .http,
            requirements: [.rate(atLeast: 10_000), .ratio(atLeast: 0.5, of: "s"), .p99(atMostMilliseconds: 50)])
        let read = Measurement(
            label: "v", name: "Reads under (u): `GET /v1/incidents/{id}/timeline`, \(readIncidents.count) connections",
            events: reads.count, seconds: seconds, latency: Latency(reads), table: .http, requirements: [.p99(atMostMilliseconds: 10)])
        return (write, read)
    }

    // MARK: (w) The live tail

    /// (w) Subscribers on the live tail while a few clients record: from each event's `recordedAt`
    /// (set in its commit, before the sync) to its arrival at every subscriber.
    private func liveTail(_ service: LedgerService, port: Int, writer: String, subscriber: String) async throws -> Measurement {
        let subscribers = sizes.subscribers
        let workload = HTTPWorkload(clients: HTTPWorkload.tailWriters, eventsPerClient: max(1, sizes.tailEvents / HTTPWorkload.tailWriters), prefix: "TAIL")
        progress("(w) \(subscribers) live-tail subscribers, \(workload.count) events from \(workload.clients.count) clients")
        let from = try await service.ledger.head().position + 1
        let subscribed = Counter()
        let expected = workload.count
        let (samples, seconds, usage) = try await Self.measure {
            try await onThreads(subscribers + workload.clients.count) { thread -> [Double] in
                let connection = try LoadConnection(port: port)
                if thread < subscribers {
                    try connection.send("GET", "/v1/events/stream?from=\(from)", token: subscriber, accept: "text/event-stream")
                    var pending = [UInt8]()
                    var samples = [Double]()
                    samples.reserveCapacity(expected)
                    var counted = false
                    while samples.count < expected {
                        let bytes = try connection.readAvailable()
                        let arrived = Timestamp.now().microsecondsSinceEpoch
                        if !counted {
                            counted = true
                            subscribed.add()
                        }
                        pending += bytes
                        var consumed = 0
                        for recordedAt in Self.recordedTimes(in: pending, consumed: &consumed) {
                            samples.append(Double(arrived - recordedAt) / 1e6)
                        }
                        pending.removeFirst(consumed)
                    }
                    return samples
                }
                // The writers start once every subscriber has its stream open.
                while subscribed.value < subscribers { usleep(1000) }
                for request in workload.clients[thread - subscribers] {
                    let answer = try connection.request("POST", request.path, token: writer, body: request.body)
                    guard answer.status == 201 else { throw BenchFailure("(w) \(request.path) answered \(answer.status)") }
                }
                return []
            }.flatMap { $0 }
        }
        return Measurement(
            label: "w", name: "Live tail: \(subscribers) subscribers of `GET /v1/events/stream`, \(expected) events each",
            events: samples.count, seconds: seconds, usage: usage, latency: Latency(samples), table: .http, requirements: [.p99(atMostMilliseconds: 50)])
    }

    /// The HTTP/1.1 settings of `LedgerServer.application` for these settings, for the bare route.
    static func http1(_ configuration: IncidentServer.ServerConfiguration) -> HTTP1Channel.Configuration {
        var http = HTTP1Channel.Configuration(idleTimeout: .seconds(configuration.idleTimeoutSeconds))
        http.httpDecoder = .init(
            maxHeaderFieldSize: configuration.maximumHeaderBytes, maxHeaderListSize: configuration.maximumHeaderBytes, maxHeaderFieldCount: 100)
        return http
    }

    /// The `recordedAt` of every complete event in the bytes of a live tail, and how many bytes they took.
    static func recordedTimes(in bytes: [UInt8], consumed: inout Int) -> [Int64] {
        let key = Array(#""recordedAt":""#.utf8)
        var times = [Int64]()
        var index = 0
        while let found = firstRange(of: key, in: bytes, from: index) {
            guard let end = bytes[found...].firstIndex(of: 0x22) else { break }
            let text = String(decoding: bytes[found..<end], as: UTF8.self)
            guard let time = try? Timestamp(rfc3339: text) else { break }
            times.append(time.microsecondsSinceEpoch)
            index = end + 1
        }
        consumed = index
        return times
    }

    /// Where the bytes after the first `needle` at or after `from` start.
    private static func firstRange(of needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = from
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index + needle.count }
            index += 1
        }
        return nil
    }

    /// Runs `body` `count` times and returns the seconds each took.
    static func timed(_ count: Int, _ body: (Int) throws -> Void) throws -> [Double] {
        var samples = [Double]()
        samples.reserveCapacity(count)
        let clock = ContinuousClock()
        for index in 0..<count {
            let start = clock.now
            try body(index)
            samples.append(Stopwatch.seconds(start.duration(to: clock.now)))
        }
        return samples
    }
}

/// The requests of the HTTP rows: every client declares its own incidents and records their
/// histories, one event a request, as a team's tools would.
struct HTTPWorkload: Sendable {
    /// One request: where it goes and its body, and the same event as a draft for the in-process row.
    struct Request: Sendable {
        var path: String
        var body: [UInt8]
        var draft: EventDraft
    }

    static let responder = Actor(kind: .person, id: "bench-responder@example.com")
    static let auditor = Actor(kind: .person, id: "bench-auditor@example.com")
    static let admin = Actor(kind: .person, id: "bench-admin@example.com")
    /// Events per incident before a client declares its next one (about a real incident's count).
    static let incidentSize = 50
    static let readers = 4
    static let readPauseMilliseconds = 10
    static let tailWriters = 8

    /// Each client's requests, in order.
    let clients: [[Request]]

    var count: Int { clients.reduce(0) { $0 + $1.count } }

    init(clients: Int, eventsPerClient: Int, prefix: String = "BENCH") {
        self.clients = (0..<clients).map { client in
            stride(from: 0, to: eventsPerClient, by: Self.incidentSize).flatMap { first in
                Self.incidentRequests("\(prefix)-\(client)-\(first / Self.incidentSize)", count: min(Self.incidentSize, eventsPerClient - first))
            }
        }
    }

    /// An incident's first `count` events: declared, investigated, identified, monitored, with
    /// internal notes between.
    static func incidentRequests(_ incident: String, count: Int) -> [Request] {
        (0..<count).map { index in
            let (verb, body): (RecordingVerb, String) =
                switch index {
                case 0: (.declare, #"{"title": "Checkout errors in \#(incident)", "kind": "unplanned", "severity": "sev2", "services": ["checkout-api"]}"#)
                case 1: (.status, #"{"status": "investigating"}"#)
                case 20: (.status, #"{"status": "identified"}"#)
                case 35: (.status, #"{"status": "monitoring"}"#)
                default: (.note, #"{"text": "Rolling back gateway pool config; ETA 15 minutes (\#(index))"}"#)
                }
            let entry = Catalog.entry(for: verb.eventType)!
            guard case .object(let fields)? = try? JSONParser.parse(Array(body.utf8)) else { fatalError("a workload body is not a JSON object: \(body)") }
            let draft = EventDraft(
                stream: incident, type: entry.type, schemaVersion: entry.schemaVersion, payload: Payload(fields), actor: responder, source: "api")
            return Request(path: "/v1/incidents/\(incident)/" + verb.words.joined(separator: "/"), body: Array(body.utf8), draft: draft)
        }
    }
}

/// A count shared by the load client's threads.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)

    func add() { count.add(1, ordering: .relaxed) }

    var value: Int { count.load(ordering: .relaxed) }
}

/// A Hummingbird application served in this process on a free loopback port, as its own service group.
struct BenchServer {
    let port: Int
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    /// Starts the application `make` builds, given the callback that reports its port.
    static func start<App: ApplicationProtocol>(_ make: (@escaping @Sendable (Int) async -> Void) throws -> App) async throws -> BenchServer {
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let app = try make { port in
            listening.yield(port)
            listening.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: Suite.quietLogger))
        let running = Task { try await group.run() }
        var port = 0
        for await given in ports { port = given }
        guard port > 0 else { throw BenchFailure("the server did not start") }
        return BenchServer(port: port, group: group, running: running)
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
