import Foundation
import struct IncidentGenerator.HistoryGenerator
import LedgerModel
import LedgerStore
import IncidentProjections

/// Rows i–m: the read models, on a catalog-valid history from the project's own generator (which
/// also makes the events of rows a–h).
extension Suite {
    /// Returns the ledger of rows i–k (with every held-back event appended), for the review rows.
    mutating func runProjectionRows() async throws -> Ledger {
        progress("generating \(sizes.incidents) incidents for the projection rows")
        let ledger = try await Self.generatedLedger(incidents: sizes.incidents, seed: 20_261_123, at: path("projection-ledger"), holdBack: 10_000)
        guard ledger.heldBack.count >= 10 else { throw BenchFailure("the projection rows need at least a few hundred incidents (--incidents)") }
        let held = ledger.heldBack
        let events = try ledger.ledger.read { try $0.eventCount() }

        // (i) Full rebuild of every stored projection.
        progress("(i) rebuilding the incident-state projection over \(events) events")
        let runner = ProjectionRunner(ledger: ledger.ledger)
        let (folded, seconds, usage) = try Self.measure { try runner.rebuild(IncidentStateProjection.self) }
        record(Measurement(
            label: "i", name: "Full rebuild of the incident-state projection", events: folded, seconds: seconds, usage: usage,
            requirements: [.rate(atLeast: 2_000_000)]))

        // (j) A timeline of one incident, many times.
        let (timelines, timelineNote) = try Self.timelines(ledger.ledger, incidents: sizes.incidents, label: "j")
        record(timelines)
        notes.append(timelineNote)

        // (k) Catching up after 1,000 and after 10,000 new events: cost should follow the new events.
        var catchUps = [(Int, Double)]()
        var offset = 0
        // 1,000 then 9,000 events; fewer when a small history held back less.
        let first = min(1_000, held.count / 10)
        for count in [first, min(9 * first, held.count - first)] {
            let slice = Array(held[offset..<offset + count])
            offset += count
            _ = try await Self.append(slice, to: ledger.ledger)
            let (caught, seconds, _) = try Self.measure { try runner.catchUp(IncidentStateProjection.self) }
            catchUps.append((caught, seconds))
        }
        record(Measurement(label: "k", name: "Catch-up of the incident-state projection after \(Format.integer(Double(first))) new events", events: catchUps[0].0, seconds: catchUps[0].1))
        notes.append(
            "(k) catching up after \(first) new events took \(Format.seconds(catchUps[0].1)) s, after the next \(catchUps[1].0) \(Format.seconds(catchUps[1].1)) s "
                + "(\(String(format: "%.1f", catchUps[1].1 / max(catchUps[0].1, 1e-9))) × the time for 9 × the events).")

        // (m) Timelines on a ledger ten times larger: the cost should follow the incident, not the ledger.
        if sizes.largeIncidents > 0 {
            progress("generating \(sizes.largeIncidents) incidents for the large ledger")
            let large = try await Self.generatedLedger(incidents: sizes.largeIncidents, seed: 20_261_123, at: path("large-ledger"), holdBack: 0)
            let (largeTimelines, largeNote) = try Self.timelines(large.ledger, incidents: sizes.largeIncidents, label: "m")
            record(largeTimelines)
            notes.append(largeNote)
        }
        return ledger.ledger
    }

    /// A ledger holding a generated history, less the last `holdBack` events (returned for later).
    static func generatedLedger(incidents: Int, seed: UInt64, at path: String, holdBack: Int) async throws -> (ledger: Ledger, heldBack: [StreamEvent]) {
        var generator = HistoryGenerator(.init(incidents: incidents, seed: seed))
        var events = generator.events()
        // Hold back at most half the history, so a small run still has a ledger to rebuild.
        let held = Array(events.suffix(min(holdBack, events.count / 2)))
        events.removeLast(held.count)
        let ledger = try Ledger.create(at: path)
        progress("appending \(events.count) generated events")
        var start = 0
        while start < events.count {
            let end = min(events.count, start + 20_000)
            _ = try await append(Array(events[start..<end]), to: ledger)
            start = end
        }
        return (ledger, held)
    }

    /// The first `count` events of a history from the project's generator, with ids ordered by
    /// time as the recorder makes them, each carrying `correlationID` when one is given.
    static func generatedEvents(count: Int, seed: UInt64, correlationID: String? = nil) -> [StreamEvent] {
        // About 100 events an incident: start a little above what is needed, double until enough.
        var incidents = count / 80 + 1
        while true {
            var generator = HistoryGenerator(.init(incidents: incidents, seed: seed, timeOrderedIDs: true))
            var events = generator.events()
            if events.count >= count {
                events.removeLast(events.count - count)
                if let correlationID {
                    for index in events.indices { events[index].event.correlationID = correlationID }
                }
                return events
            }
            incidents *= 2
        }
    }

    static func append(_ events: [StreamEvent], to ledger: Ledger) async throws -> [AppendResult] {
        var batch = [StreamAppend]()
        for item in events {
            if batch.last?.stream == item.stream {
                batch[batch.count - 1].events.append(item.event)
            } else {
                batch.append(StreamAppend(stream: item.stream, events: [item.event]))
            }
        }
        return try await ledger.append(batch)
    }

    /// Builds the timeline of 500 incidents spread over the ledger, each timed on its own.
    static func timelines(_ ledger: Ledger, incidents: Int, label: String) throws -> (Measurement, String) {
        var times = [Double]()
        var entries = 0
        let sample = 500
        let clock = ContinuousClock()
        let events = try ledger.read { try $0.eventCount() }
        let (_, total, usage) = try measure {
            for number in 0..<sample {
                let incident = String(format: "INC-%06d", (number * 7919) % incidents + 1)
                let start = clock.now
                let timeline = try ledger.read { try Timeline.build(incident, in: $0) }
                let elapsed = clock.now - start
                times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                entries += timeline?.entries.count ?? 0
            }
        }
        times.sort()
        let median = times[times.count / 2] * 1000
        let p95 = times[times.count * 95 / 100] * 1000
        let measurement = Measurement(
            label: label, name: "Timeline of one incident (\(Format.integer(Double(events))) events in the ledger), per timeline",
            events: sample, seconds: total, usage: usage)
        let note = "(\(label)) \(sample) timelines of incidents spread over a ledger of \(Format.integer(Double(events))) events: "
            + "median \(String(format: "%.2f", median)) ms, p95 \(String(format: "%.2f", p95)) ms, \(entries / sample) entries each on average; "
            + "the Events/s column is timelines per second."
        return (measurement, note)
    }
}
