import LedgerStore
import Prometheus

/// What `GET /metrics` reports, in the Prometheus text format: requests by route and status, their
/// latency, events recorded, live-tail subscribers, and how many appends each store commit served.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let subscribers: Gauge
    let eventsRecorded: Counter
    private let ledger: Ledger
    private let commits: Gauge
    private let appends: Gauge
    private let waiting: Gauge

    init(ledger: Ledger) {
        self.ledger = ledger
        subscribers = registry.makeGauge(descriptor: Self.name("live", "subscribers", "Live tails (GET /v1/events/stream) connected now."))
        eventsRecorded = registry.makeCounter(descriptor: Self.name("events_recorded", "total", "Events recorded through this server."))
        commits = registry.makeGauge(descriptor: Self.name("store", "commits", "Durable commits this process made; appends per commit is the group size."))
        appends = registry.makeGauge(descriptor: Self.name("store", "appends", "Appends served by those commits."))
        waiting = registry.makeGauge(descriptor: Self.name("store", "appends_waiting", "Appends waiting for a commit now; a queue that keeps growing says the store commits more slowly than appends arrive."))
    }

    /// Counts one answered request.
    func observe(method: String, route: String, status: Int, seconds: Double) {
        let labels = [("method", method), ("route", route), ("status", "\(status)")]
        registry.makeCounter(descriptor: Self.name("http_requests", "total", "HTTP requests answered."), labels: labels).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("http_request_duration", "seconds", "Time to answer, to the response head (a live tail counts until it starts)."),
            labels: [("method", method), ("route", route)], buckets: Self.buckets)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    static let buckets: [Duration] = [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5)]

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "incidents", metricName: metric, unitName: unit, helpText: help)
    }

    /// The text of every metric now.
    func text() -> String {
        let totals = ledger.commitTotals
        commits.set(Int64(totals.commits))
        appends.set(Int64(totals.appends))
        waiting.set(Int64(totals.waiting))
        var buffer = [UInt8]()
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
