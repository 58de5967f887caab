import Foundation
import IncidentImporters
import LedgerModel
public import LedgerStore

/// A webhook delivery as it arrived: which receiver it is for, its body exactly as sent, and what
/// authenticates it.
public struct WebhookDelivery: Sendable {
    public var kind: WebhookReceiver.Kind
    /// The receiver's name, from the route.
    public var receiver: String
    /// The raw body: signatures are over these bytes, so nothing may parse or re-encode them first.
    public var body: [UInt8]
    /// The signature header's value: `X-PagerDuty-Signature` or `X-Incidents-Signature`.
    public var signature: String?
    /// A Statuspage receiver's secret, from the route.
    public var urlSecret: String?

    public init(kind: WebhookReceiver.Kind, receiver: String, body: [UInt8], signature: String? = nil, urlSecret: String? = nil) {
        self.kind = kind
        self.receiver = receiver
        self.body = body
        self.signature = signature
        self.urlSecret = urlSecret
    }
}

/// What a delivery did: what was appended, what was already there, warnings and refusals.
public struct WebhookOutcome: Sendable {
    public var receiver: WebhookReceiver
    /// What the ledger appended (and what it found already recorded).
    public var results: [AppendResult]
    /// Counts, warnings (an incident declared from a later delivery, an event type not mapped) and the
    /// records the rules refused (PagerDuty and Statuspage; see ``LedgerService/receive(_:replayWindowSeconds:)``).
    public var report: ImportReport
}

extension LedgerService {
    /// Receives a webhook delivery: finds its receiver among the ledger's, checks the signature (or a Statuspage
    /// receiver's secret) over the raw body before reading it, maps it, and records the events with
    /// the receiver's actor and source, leaving out what the ledger already holds.
    ///
    /// - PagerDuty: one event; ids derive from PagerDuty's event id, so a redelivery adds nothing. An
    ///   event about an incident the ledger does not know is recorded after a declaration made from the
    ///   delivery's incident data. The incident keeps the stream its first delivery gave it.
    /// - Statuspage: the incident with its updates, mapped as `import statuspage` maps it; ids derive
    ///   from the update ids, so each delivery adds the updates that are new.
    /// - Generic: catalog events as `append` reads them, all or nothing; an event without an id gets one
    ///   derived from the signed delivery, so the same delivery again is recorded once.
    ///
    /// PagerDuty and Statuspage cannot act on a refusal (they drop the delivery, and disable a receiver
    /// that refuses several), so a delivery the rules refuse is answered, not thrown: its records are in
    /// the report's rejections. A generic sender gets the refusal.
    ///
    /// - Throws: ``ServiceError`` `no-such-receiver`, `bad-signature` (nothing is read or written then),
    ///   `not-receivers-name`; the importers' errors for a body that is not the tool's; `ImportRefusal`
    ///   for a generic delivery the ledger refuses.
    public func receive(
        _ delivery: WebhookDelivery, replayWindowSeconds: Int64 = WebhookSignature.defaultReplayWindowSeconds
    ) async throws -> WebhookOutcome {
        let stored = try webhookReceivers.stored(delivery.receiver, kind: delivery.kind)
        let receiver = stored.receiver
        switch receiver.kind {
        case .pagerduty:
            try WebhookSignature.checkPagerDuty(delivery.signature, body: delivery.body, secret: Array((stored.secret ?? "").utf8))
            return try await receivePagerDuty(delivery.body, receiver: receiver)
        case .statuspage:
            guard TokenSecret.constantTimeEqual(TokenSecret.hash(delivery.urlSecret ?? ""), stored.secretSHA256 ?? "") else {
                throw WebhookSignature.refusal("the secret in the URL is not the receiver's")
            }
            let mapped = try StatuspageImporter.map(
                delivery.body, prefix: receiver.incidentPrefix ?? StatuspageImporter.defaultPrefix, actor: receiver.actor, source: receiver.source)
            var run = ImportRun(incidentsInDocument: mapped.incidents.count + mapped.skippedIncidents, warnings: mapped.warnings)
            run.report.incidentsSkipped = mapped.skippedIncidents
            let results = try await record(mapped.incidents, in: &run, keepGoing: true, addingToRecorded: true)
            return WebhookOutcome(receiver: receiver, results: results, report: run.report)
        case .generic:
            let signedAt = try WebhookSignature.checkGeneric(
                delivery.signature, body: delivery.body, secret: Array((stored.secret ?? "").utf8), now: defaults.clock(),
                windowSeconds: replayWindowSeconds)
            // One signed delivery, one set of ids: the same bytes signed at the same time are the same events.
            let deliveryKey = "webhook/generic/\(receiver.name)/\(signedAt)/\(Hash256.sha256(delivery.body).hex)"
            let lines: EventLines
            do {
                lines = try EventLines(
                    parsing: delivery.body,
                    defaults: EventLines.Defaults(actor: receiver.actor, source: receiver.source) { SourceEventID.make("\(deliveryKey)/\($0)") })
            } catch {
                throw LedgerError(.invalidInput, "the body\(error.sentence)")
            }
            for record in lines.records {
                for item in record.events where item.event.actor != receiver.actor || item.event.source != receiver.source {
                    throw ServiceError(
                        .notReceiversName,
                        "receiver \(receiver.name) records in its own name (actor \(receiver.actor), source \(receiver.source)); leave actor and source out of its events; nothing was written")
                }
            }
            var run = ImportRun(incidentsInDocument: lines.count, warnings: [])
            let results = try await record(lines.records, rejected: lines.rejections, in: &run, keepGoing: false, addingToRecorded: true)
            return WebhookOutcome(receiver: receiver, results: results, report: run.report)
        }
    }

    /// Maps and records one PagerDuty event, in the stream its incident already has if it has one.
    private func receivePagerDuty(_ body: [UInt8], receiver: WebhookReceiver) async throws -> WebhookOutcome {
        let event = try PagerDutyImporter.read(body)
        guard let incident = event.incident, let fallback = event.stream(prefix: receiver.incidentPrefix ?? PagerDutyImporter.defaultPrefix) else {
            let report = ImportReport(incidentsInDocument: 0, warnings: PagerDutyImporter.map(event, stream: "", incidentKnown: true).warnings)
            return WebhookOutcome(receiver: receiver, results: [], report: report)
        }
        var attempt = 1
        while true {
            let (stream, known) = try ledger.read { reader throws in
                if let declaration = try reader.event(id: PagerDutyImporter.declarationID(incident: incident.id)) {
                    return (declaration.stream, true)
                }
                let stream = EnvelopeRules.normalized(fallback)
                return (stream, try reader.version(ofStream: stream) > 0)
            }
            let mapped = PagerDutyImporter.map(event, stream: stream, incidentKnown: known)
            var run = ImportRun(incidentsInDocument: 1, warnings: mapped.warnings)
            let results = try await record(mapped.incident.map { [$0] } ?? [], in: &run, keepGoing: true, addingToRecorded: true)
            // Two deliveries about an unknown incident at once both declare it; the one that lost finds
            // the declaration the second time.
            if !known, !run.report.rejections.isEmpty, attempt == 1 {
                attempt += 1
                continue
            }
            return WebhookOutcome(receiver: receiver, results: results, report: run.report)
        }
    }
}
