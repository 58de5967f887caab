import Foundation
import struct IncidentGenerator.HistoryGenerator
import LedgerModel
import LedgerStore
import IncidentMetrics
import IncidentProjections
import IncidentReports

/// Rows n–r: the quarterly review and the response metrics of issue 5, on the ledger of the
/// projection rows (i–k), and the same five headline figures by SQL in SQLite.
extension Suite {
    /// How many times the warm rows (o, q, r) run, after one untimed run; each reports its median run.
    static let warmRuns = 5

    /// The five figures `Tools/crosscheck-metrics.py` computes, by their metric names.
    static let headlineMetricNames = ["time_to_acknowledge", "time_to_resolve_from_declaration", "time_to_first_reply", "sla_resolution", "csat"]

    mutating func runReviewRows(_ ledger: Ledger) async throws {
        let runner = ProjectionRunner(ledger: ledger)
        let events = try ledger.read { try $0.eventCount() }

        // (n) Cold: nothing of the projection is stored; derive every incident's facts, then review.
        progress("(n) rebuilding incident-metrics over \(events) events and building the quarterly review")
        let (cold, coldSeconds, coldUsage) = try Self.measure { () throws -> ReviewRun in
            try runner.rebuild(IncidentMetricsProjection.self)
            return try Self.review(runner)
        }
        record(Measurement(
            label: "n", name: "Quarterly review, cold: rebuild of incident-metrics, load, build, render", events: events,
            seconds: coldSeconds, usage: coldUsage, requirements: [.rate(atLeast: 1_000_000)]))

        // (o) Warm: the projection is caught up; load the facts, build and render.
        progress("(o) quarterly review from the caught-up projection, \(Self.warmRuns) runs")
        let (warm, warmSeconds, warmUsage, warmSpread) = try Self.median(of: Self.warmRuns) { try Self.review(runner) }
        guard warm.text == cold.text else { throw BenchFailure("(o) the warm review differs from the cold one") }
        record(Measurement(
            label: "o", name: "Quarterly review, warm (projection caught up): load, build, render", events: events,
            seconds: warmSeconds, usage: warmUsage, requirements: [.rate(atLeast: 10_000_000)]))
        notes.append(
            "(n, o) the review of \(warm.period) (the quarter before the latest declaration, as `incidents review` picks it) "
                + "over \(Format.integer(Double(warm.facts))) incidents' facts, \(Format.integer(Double(warm.incidents))) of them declared in the period; "
                + "the text is \(Format.integer(Double(warm.text.utf8.count))) bytes. (o) is the median of \(Self.warmRuns) runs after an untimed one (s: \(warmSpread)).")

        // (p) Catch-up after new events. Row (k) used every held-back event, so these are a fresh
        // generated batch of other incidents (another seed, streams renamed NEW-…).
        let fresh = Self.freshEvents(count: sizes.incidents >= 1_000 ? 1_000 : 100)
        progress("(p) appending \(fresh.events.count) new events of \(fresh.incidents) new incidents, then catching up incident-metrics")
        _ = try await Self.append(fresh.events, to: ledger)
        let (caught, catchUpSeconds, catchUpUsage) = try Self.measure { try runner.catchUp(IncidentMetricsProjection.self) }
        guard caught == fresh.events.count else { throw BenchFailure("(p) caught up \(caught) events, expected \(fresh.events.count)") }
        record(Measurement(
            label: "p", name: "Catch-up of incident-metrics after \(Format.integer(Double(caught))) new events", events: caught,
            seconds: catchUpSeconds, usage: catchUpUsage))
        notes.append(
            "(p) \(Format.integer(Double(caught))) new events of \(fresh.incidents) new incidents (a second `HistoryGenerator` history, "
                + "seed 5, streams NEW-…; row (k) had used every held-back event): the catch-up derives those incidents' facts again from their histories.")

        // (q) The five headline figures from the caught-up projection.
        let total = try ledger.read { try $0.eventCount() }
        progress("(q) five headline figures from the projection, \(Self.warmRuns) runs")
        let (ours, oursSeconds, oursUsage, oursSpread) = try Self.median(of: Self.warmRuns) { try Self.headlineFigures(runner) }
        record(Measurement(
            label: "q", name: "Five headline figures in the ledger (warm): load facts, `MetricResult.compute` × 5", events: total,
            seconds: oursSeconds, usage: oursUsage, requirements: [.ratio(atLeast: 10, of: "r")]))

        // (r) The same figures by SQL in SQLite, over the same events loaded as JSON rows.
        progress("(r) loading \(total) events into SQLite (not timed)")
        let sqlitePath = path("metrics.sqlite")
        let store = try SQLiteMetrics(path: sqlitePath)
        let clock = ContinuousClock()
        let loadStart = clock.now
        let loaded = try store.load { insert in
            try ledger.read { reader in
                try reader.forEachEvent { event in
                    insert(event)
                    return true
                }
            }
        }
        let loadSeconds = Stopwatch.seconds(loadStart.duration(to: clock.now))
        guard loaded == total else { throw BenchFailure("(r) loaded \(loaded) events into SQLite, expected \(total)") }
        progress("(r) the five figures by SQL, \(Self.warmRuns) runs")
        let (theirs, theirsSeconds, theirsUsage, theirsSpread) = try Self.median(of: Self.warmRuns) { try store.headlineFigures() }
        record(Measurement(
            label: "r", name: "The same five figures by SQLite SQL over JSON rows (`json_extract`, window functions)", events: total,
            seconds: theirsSeconds, usage: theirsUsage))

        let sqliteFile = (try? FileManager.default.attributesOfItem(atPath: sqlitePath))?[.size] as? Int ?? 0
        notes.append(
            "(q, r) over the same \(Format.integer(Double(total))) events; medians of \(Self.warmRuns) runs after an untimed one (q s: \(oursSpread); r s: \(theirsSpread)). "
                + "(q) reads every incident's stored facts and computes the five metrics with `MetricResult.compute`, as `incidents metrics` does. "
                + "(r) runs five SQL queries over a table (stream, type, occurred_at, position, payload as canonical JSON) indexed on (type, stream), "
                + "loaded in one transaction and then indexed and analysed in \(Format.seconds(loadSeconds)) s, not timed "
                + "(\(Format.megabytes(Double(sqliteFile) / 1e6)) MB; rollback journal, 256 MiB page cache, 1 GiB mmap); nearest-rank percentiles with "
                + "`ROW_NUMBER()`/`COUNT(*) OVER ()`. The SQL ignores `event.corrected` and `event.retracted`, which the ledger applies: "
                + "SQLite's job is easier than the ledger's, so the comparison favours SQLite.")
        var agreement = [String]()
        var differing = [String]()
        for ((name, mine), (_, sql)) in zip(ours.named, theirs.named) {
            if mine == sql {
                agreement.append("\(name): \(mine)")
            } else {
                differing.append(name)
                agreement.append("\(name): ledger \(mine); SQL \(sql)")
            }
        }
        notes.append(
            "(q, r) the figures, "
                + (differing.isEmpty
                    ? "the same on both sides: "
                    : "\(differing.count) of 5 differ (\(differing.joined(separator: ", "))) — the SQL does not apply corrections and retractions: ")
                + agreement.joined(separator: "; ") + ".")
    }

    /// What one review run produced, to check that runs agree and for the notes.
    struct ReviewRun {
        var period: String
        var facts: Int
        var incidents: Int
        var text: String
    }

    /// Loads the stored facts and the head, picks the period as `incidents review` does, builds the
    /// review and renders it as text.
    static func review(_ runner: ProjectionRunner) throws -> ReviewRun {
        let facts = try runner.states(IncidentMetricsProjection.self)
        let head = try runner.ledger.read { try $0.head() }
        let context = MetricContext(asOf: head.recordedAt.microsecondsSinceEpoch)
        // ReviewCommand.defaultPeriod: the quarter before the one holding the latest declaration.
        guard let latest = facts.compactMap(\.declared).max() else { throw BenchFailure("the ledger holds no declared incident") }
        let period = CalendarPeriod.quarter(containing: latest).previous
        let review = QuarterlyReview.build(period: period, facts: facts, head: head, context: context)
        let text = ReviewText.render(review, markdown: false)
        return ReviewRun(period: period.name, facts: facts.count, incidents: review.incidents, text: text)
    }

    /// Loads the stored facts and computes the five figures over every incident.
    static func headlineFigures(_ runner: ProjectionRunner) throws -> HeadlineFigures {
        let facts = try runner.states(IncidentMetricsProjection.self)
        let head = try runner.ledger.read { try $0.head() }
        let context = MetricContext(asOf: head.recordedAt.microsecondsSinceEpoch)
        let values = try headlineMetricNames.map { name -> MetricValue in
            guard let metric = MetricCatalog.named(name) else { throw BenchFailure("no metric named \(name)") }
            return MetricResult.compute(metric, over: facts, filter: IncidentFilter(), context: context).overall
        }
        func durations(_ value: MetricValue) -> HeadlineFigures.Durations {
            .init(
                count: value.count, median: value.statistics?.median, p90: value.statistics?.p90, p95: value.statistics?.p95,
                maximum: value.statistics?.maximum)
        }
        func share(_ value: MetricValue) -> HeadlineFigures.Share { .init(yes: Int(value.total ?? 0), count: value.count) }
        return HeadlineFigures(
            timeToAcknowledge: durations(values[0]), timeToResolveFromDeclaration: durations(values[1]),
            timeToFirstReply: durations(values[2]), slaResolution: share(values[3]), csat: share(values[4]))
    }

    /// The first `count` events of a second generated history, on streams named `NEW-…` so that
    /// they are incidents the ledger does not hold yet.
    static func freshEvents(count: Int) -> (events: [StreamEvent], incidents: Int) {
        // About 100 events an incident: twice what is needed, so that the first `count` are there.
        var generator = HistoryGenerator(.init(incidents: max(2, count / 50), seed: 5))
        let events = generator.events().prefix(count).map { StreamEvent(stream: "NEW-" + $0.stream, event: $0.event) }
        return (Array(events), Set(events.map(\.stream)).count)
    }

    /// Runs `body` once untimed (so that the page cache and memory maps are warm on either side),
    /// then `runs` times, and keeps the median run's result, time and usage, with every run's
    /// seconds for the notes.
    static func median<Result>(of runs: Int, _ body: () throws -> Result) throws -> (Result, Double, ResourceUsage, String) {
        _ = try body()
        var all = [(Result, Double, ResourceUsage)]()
        for _ in 0..<runs { all.append(try measure(body)) }
        let spread = all.map { Format.seconds($0.1) }.joined(separator: ", ")
        let median = all.sorted { $0.1 < $1.1 }[all.count / 2]
        return (median.0, median.1, median.2, spread)
    }
}
