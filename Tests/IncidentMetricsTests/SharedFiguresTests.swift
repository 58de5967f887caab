import Foundation
import IncidentEvents
import IncidentGenerator
import IncidentReports
import LedgerModel
import LedgerStore
import LedgerTestSupport
import IncidentMetrics
import IncidentProjections
import Testing

/// One definition per figure (#13 item 7): over generated histories, the postmortem (its JSON form),
/// the metrics broken down by incident (what `metrics NAME --by incident` computes) and the quarterly
/// review give the same value for every figure they share.
@Suite struct SharedFiguresTests {
    /// The duration metrics with one observation per incident, and the postmortem figure each one is.
    static let clocks: [(metric: String, figure: String)] = [
        ("time_to_detect", "timeToDetect"), ("time_to_acknowledge", "timeToAcknowledge"),
        ("time_to_first_public_update", "timeToFirstPublicUpdateFromImpact"),
        ("time_to_first_public_update_from_declaration", "timeToFirstPublicUpdateFromDeclaration"),
        ("time_to_escalate", "timeToEscalate"), ("time_to_mitigate", "timeToMitigateFromImpact"),
        ("time_to_mitigate_from_declaration", "timeToMitigateFromDeclaration"), ("time_to_resolve", "timeToResolveFromImpact"),
        ("time_to_resolve_from_declaration", "timeToResolveFromDeclaration"),
    ]

    /// The reasons a metric leaves out an incident the postmortem still measures (with a note).
    static let reportedButLeftOut: Set<String> = ["scheduled maintenance", UnknownTimes.all.reason, UnknownTimes.start.reason]

    static func int(_ value: JSONValue?) -> Int64? {
        switch value {
        case .integer(let number)?: number
        case .number(let number)? where number == number.rounded(): Int64(number)
        default: nil
        }
    }

    static func double(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let number)?: Double(number)
        case .number(let number)?: number
        default: nil
        }
    }

    static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    @Test(arguments: [3, 17, 2026] as [UInt64])
    func thePostmortemTheMetricsAndTheReviewAgree(seed: UInt64) async throws {
        var generator = HistoryGenerator(.init(incidents: 40, seed: seed, days: 150))
        let history = generator.events()
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 0))
        try await ledger.append(inOrder: history[...])
        let runner = ProjectionRunner(ledger: ledger)
        try runner.catchUp(IncidentMetricsProjection.self)
        let facts = try runner.states(IncidentMetricsProjection.self)
        let head = try ledger.read { try $0.head() }
        // A report time inside the history: some action items are overdue by then, others not yet.
        let asOf = try Timestamp(rfc3339: "2024-10-15T00:00:00Z")
        let context = MetricContext(asOf: asOf.microsecondsSinceEpoch)

        var reports = [String: JSONValue]()
        for stream in facts.map(\.incident) {
            let report = try #require(try ledger.read { try PostmortemReport.build(stream, asOf: asOf, in: $0) })
            // The JSON text, read back: what `postmortem --format json` prints.
            reports[stream] = try JSONParser.parse(PostmortemJSON.render(report))
        }
        #expect(reports.count == 40)

        func byIncident(_ name: String) throws -> [String: MetricValue] {
            let metric = try #require(MetricCatalog.named(name))
            let result = MetricResult.compute(metric, over: facts, filter: IncidentFilter(), breakdown: .incident, context: context)
            return Dictionary(uniqueKeysWithValues: result.groups.map { ($0.name, $0.value) })
        }

        // The clocks.
        var measured = 0
        for (metric, figure) in Self.clocks {
            let values = try byIncident(metric)
            for (stream, report) in reports {
                let value = try #require(values[stream], "\(metric) \(stream)")
                let seconds = Self.int(report["responseFigures"]?[figure]?["seconds"])
                if value.count == 1 {
                    measured += 1
                    #expect(value.statistics?.maximum == seconds, "\(metric) \(stream)")
                } else {
                    let reason = try #require(value.excluded.keys.first, "\(metric) \(stream)")
                    #expect(seconds == nil || Self.reportedButLeftOut.contains(reason), "\(metric) \(stream): \(reason), the postmortem \(seconds ?? 0)")
                }
            }
        }
        #expect(measured > 100)

        // Everything else the postmortem shows of the incident.
        let gaps = try byIncident("longest_update_gap"), promises = try byIncident("update_promises_kept"), etas = try byIncident("eta_error")
        let messages = try byIncident("customer_messages"), affected = try byIncident("customers_affected")
        let updates = try byIncident("public_updates"), escalations = try byIncident("escalations"), executive = try byIncident("executive_escalations")
        let replies = try byIncident("time_to_first_reply"), responses = try byIncident("survey_response_rate")
        let csat = try byIncident("csat_score"), nps = try byIncident("nps")
        let opened = try byIncident("action_items_opened"), completed = try byIncident("action_items_completed"), overdue = try byIncident("action_items_overdue")
        let contacts = try byIncident("time_to_executive_contact")
        var threats = 0
        for (stream, report) in reports {
            let figures = report["responseFigures"]
            if let gap = gaps[stream], gap.count == 1 {
                #expect(gap.statistics?.maximum == Self.int(figures?["longestUpdateGap"]?["seconds"]), "gap \(stream)")
            }
            let promised = figures?["updatePromises"]
            let kept = Self.int(promised?["kept"]) ?? -1, missed = Self.int(promised?["missedCount"]) ?? -1
            #expect(Int64(promises[stream]?.count ?? 0) == kept + missed, "promises \(stream)")
            #expect((promises[stream]?.total ?? 0) == kept, "promises kept \(stream)")
            #expect(Int64(promises[stream]?.excluded["not yet due"] ?? 0) == Self.int(promised?["pending"]), "promises pending \(stream)")
            if let eta = etas[stream], eta.count == 1 {
                #expect(eta.statistics?.maximum == Self.int(figures?["eta"]?["lateBySeconds"]), "eta \(stream)")
            }

            let impact = report["impact"]
            #expect(messages[stream]?.total == Self.int(impact?["customerMessages"]), "messages \(stream)")
            if let count = Self.int(impact?["customersAffected"]?["count"]) {
                #expect(affected[stream]?.total == count, "customers affected \(stream)")
            } else {
                #expect(affected[stream]?.excluded == ["not recorded": 1], "customers affected \(stream)")
            }
            #expect(updates[stream]?.total == Int64(Self.array(report["communications"]).count), "public updates \(stream)")
            let raised = Self.array(report["escalations"])
            #expect((escalations[stream]?.total ?? 0) == Int64(raised.count), "escalations \(stream)")
            #expect((executive[stream]?.total ?? 0) == Int64(raised.count { $0["toLevel"] == "executive" }), "executive escalations \(stream)")

            let firstReplies = Self.array(figures?["firstReplies"]).compactMap { Self.int($0["figure"]?["seconds"]) }
            #expect((replies[stream]?.count ?? 0) == firstReplies.count, "replies \(stream)")
            #expect(replies[stream]?.statistics?.maximum == firstReplies.max(), "replies \(stream)")
            #expect(replies[stream]?.excluded["unanswered"] ?? 0 == Self.array(figures?["firstReplies"]).count - firstReplies.count, "unanswered \(stream)")

            let scores = Self.array(report["satisfaction"]?["scores"])
            let sent = scores.compactMap { Self.int($0["sent"]) }.reduce(0, +), answered = scores.compactMap { Self.int($0["answered"]) }.reduce(0, +)
            #expect(Int64(responses[stream]?.count ?? 0) == sent, "surveys sent \(stream)")
            #expect((responses[stream]?.total ?? 0) == answered, "surveys answered \(stream)")
            let csatScore = scores.first { $0["scale"] == "csat_1_5" }, npsScore = scores.first { $0["scale"] == "nps_0_10" }
            #expect(csat[stream]?.statistics?.mean == Self.double(csatScore?["mean"]), "csat \(stream)")
            #expect(nps[stream]?.ratio == Self.double(npsScore?["netPromoterScore"]), "nps \(stream)")

            // Threats to leave and the executive contact that followed.
            let contacted = Self.array(report["sponsorship"]?["executiveContacts"])
            threats += contacted.count
            let waits = contacted.compactMap { Self.int($0["seconds"]) }
            #expect((contacts[stream]?.count ?? 0) == waits.count, "executive contacts \(stream)")
            #expect(contacts[stream]?.statistics?.maximum == waits.max(), "executive contact \(stream)")
            #expect(contacts[stream]?.excluded["no executive contact recorded"] ?? 0 == contacted.count - waits.count, "no contact \(stream)")

            let items = Self.array(report["postmortem"]?["actionItems"])
            #expect((opened[stream]?.total ?? 0) == Int64(items.count), "action items \(stream)")
            #expect((completed[stream]?.total ?? 0) == Int64(items.count { $0["state"] == "done" }), "done \(stream)")
            #expect((overdue[stream]?.total ?? 0) == Int64(items.count { $0["state"] == "overdue" }), "overdue \(stream)")
        }
        #expect(threats > 0, "the generated customers threaten to leave")
        #expect(reports.values.contains { Self.array($0["postmortem"]?["actionItems"]).contains { $0["state"] == "overdue" } })
        #expect(reports.values.contains { Self.array($0["postmortem"]?["actionItems"]).contains { $0["state"] == "open" } })

        // The review of each quarter: its incidents are the postmortems declared in it, its per-incident
        // figures are theirs, and its totals are the sums of theirs.
        let quarters = Set(facts.compactMap(\.declared).map { CalendarPeriod.quarter(containing: $0) })
        #expect(quarters.count >= 2)
        for quarter in quarters {
            let review = QuarterlyReview.build(period: quarter, facts: facts, head: head, context: context)
            let inQuarter = reports.filter { _, report in
                (report["impact"]?["declared"]?["at"]?.stringValue).flatMap { try? Timestamp(rfc3339: $0) }.map { quarter.contains($0.microsecondsSinceEpoch) } ?? false
            }
            #expect(review.incidents == inQuarter.count, "\(quarter)")
            var severities = [String: Int]()
            for report in inQuarter.values { severities[report["summary"]?["severity"]?.stringValue ?? MetricDimension.none, default: 0] += 1 }
            #expect(review.incidentsBySeverity == severities, "\(quarter)")
            for silence in review.longestSilences {
                #expect(Self.int(inQuarter[silence.incident]?["responseFigures"]?["longestUpdateGap"]?["seconds"]) == silence.seconds, "\(silence.incident)")
            }
            for (stream, report) in inQuarter {
                let executiveRaised = Self.array(report["escalations"]).count { $0["toLevel"] == "executive" }
                #expect(review.executiveEscalations.count { $0.incident == stream } == executiveRaised, "\(stream)")
            }
            func row(_ metric: String) throws -> QuarterlyReview.Row { try #require(review.rows.first { $0.metric == metric }) }
            func sum(_ value: (JSONValue) -> Int64?) -> Int64 { inQuarter.values.compactMap(value).reduce(0, +) }
            #expect(try row("customer_messages").current.total == sum { Self.int($0["impact"]?["customerMessages"]) })
            #expect(try row("customers_affected").current.total == sum { Self.int($0["impact"]?["customersAffected"]?["count"]) })
            #expect(try row("public_updates").current.total == sum { Int64(Self.array($0["communications"]).count) })
            #expect(try row("escalations").current.total == sum { Int64(Self.array($0["escalations"]).count) })
            #expect(try row("action_items_overdue").current.total == sum { Int64(Self.array($0["postmortem"]?["actionItems"]).count { $0["state"] == "overdue" }) })
            for (metric, figure) in Self.clocks {
                let perIncident = try byIncident(metric)
                let counted = inQuarter.keys.filter { perIncident[$0]?.count == 1 }
                let current = try row(metric).current
                #expect(current.count == counted.count, "\(metric) \(quarter)")
                #expect(current.statistics?.maximum == counted.compactMap { Self.int(inQuarter[$0]?["responseFigures"]?[figure]?["seconds"]) }.max(), "\(metric) \(quarter)")
            }
        }
    }
}
