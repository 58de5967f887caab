public import IncidentEvents
import IncidentProjections
public import LedgerModel
import LedgerStore
import Foundation

/// A status update made from a template: one `status_update.published` per distinct text, each on
/// the channels that share it.
public struct TemplatedUpdate: Sendable {
    public var templateId: String
    public var templateVersion: Int64
    /// The updates to record, in the order of the template's channels.
    public var updates: [StatusUpdatePublished]
}

extension LedgerService {
    /// Fills the template `templateId` for `incident`: its placeholders from the incident's state
    /// and `values` (which win), the payload fields given in `fields` (`status`, `audience`,
    /// `channels`, `nextUpdateBy`, `etaAt`, `postedAt`), the template's status and channels for
    /// those left out. Nothing is recorded.
    ///
    /// The placeholders the incident fills: `{incident}`, `{title}`, `{service}` and `{services}`,
    /// `{regions}`, `{segments}`, `{severity}`, `{status}`, `{next_update}`, `{eta}`,
    /// `{window_start}`, `{window_end}`; any other comes from `values`.
    ///
    /// - Throws: ``ServiceError`` `no-such-incident`, `no-such-template`, `template-not-filled`
    ///   (retired, a channel with no text, a placeholder with no value, a text given as well);
    ///   ``EventInputError`` when a filled update is not a valid payload.
    public func fillTemplate(
        _ templateId: String, for incident: String, fields: [String: JSONValue], values: [String: String], at time: Timestamp? = nil
    ) throws -> TemplatedUpdate {
        let template = try self.template(templateId)
        guard !template.isRetired else {
            throw ServiceError(.templateNotFilled, "template \(MessageText.quoted(templateId)) is retired; choose another (`incidents templates list`)")
        }
        guard fields["text"] == nil else {
            throw ServiceError(.templateNotFilled, "a templated update takes its text from the template; give a text or a template, not both")
        }
        guard let state = try detail(of: incident, asOf: time ?? defaults.clock())?.summary else {
            throw ServiceError.noSuchIncident(incident, in: ledger.path)
        }
        let content = template.current
        var base = fields
        base["status"] = base["status"] ?? .string(content.status.rawValue)
        base["audience"] = base["audience"] ?? .string(Audience.public.rawValue)
        base["templateId"] = .string(content.templateId)
        base["templateVersion"] = .integer(template.version)
        let channels: [UpdateChannel]
        if case .array(let given)? = fields["channels"] {
            channels = given.compactMap { $0.stringValue.flatMap(UpdateChannel.init(rawValue:)) }
        } else {
            channels = content.texts.map(\.channel)
        }
        let status = base["status"]?.stringValue ?? content.status.rawValue
        var filler = TemplateValues(state: state, status: status, values: values)
        filler.nextUpdate = try base["nextUpdateBy"]?.stringValue.map { try Timestamp(rfc3339: $0) }
        filler.eta = try base["etaAt"]?.stringValue.map { try Timestamp(rfc3339: $0) }
        filler.shownAt = time ?? defaults.clock()
        var groups = [(text: String, channels: [UpdateChannel])]()
        for channel in channels {
            guard let text = content.text(for: channel) else {
                throw ServiceError(
                    .templateNotFilled,
                    "template \(MessageText.quoted(templateId)) has no text for \(channel.rawValue); its channels are \(content.texts.map(\.channel.rawValue).joined(separator: ", "))")
            }
            let filled = try filler.fill(text, channel: channel)
            if let index = groups.firstIndex(where: { $0.text == filled }) {
                groups[index].channels.append(channel)
            } else {
                groups.append((filled, [channel]))
            }
        }
        let updates = try groups.map { group throws(EventInputError) in
            var payload = base
            payload["text"] = .string(group.text)
            payload["channels"] = .array(group.channels.map { .string($0.rawValue) })
            return try StatusUpdatePublished.decode(payload)
        }
        return TemplatedUpdate(templateId: content.templateId, templateVersion: template.version, updates: updates)
    }

    /// Records the updates of a filled template, each as `draft` says (its time, actor, source…), through
    /// the playbook's checks, in one append: all are written or none. Every update is checked against
    /// the incident first, so a text over a channel's limit is refused naming its field as for one update.
    /// The answer has one recording per update (its position and its own warnings), as if each were appended alone.
    ///
    /// - Throws: ``LedgerError`` when an update is refused; ``ServiceError`` when `draft` names an
    ///   event id and the template makes more than one update (a retry could not tell them apart).
    public func recordTemplatedUpdate(_ filled: TemplatedUpdate, draft: EventDraft, strict: Bool? = nil) async throws -> [CheckedRecording] {
        guard draft.id == nil || filled.updates.count == 1 else {
            throw ServiceError(
                .templateNotFilled,
                "the template makes \(filled.updates.count) updates (one per distinct text), and one event id cannot name them all; leave the id out, or ask for the channels of one text")
        }
        let policy = try policy()
        var facts = try ledger.read { reader in try EventRecorder.facts(of: draft.stream, in: reader).0 }
        let occurredAt = try draft.occurredAt ?? firstAttemptTime(of: draft) ?? defaults.clock()
        for update in filled.updates {
            let event = IncidentEvent.statusUpdatePublished(update)
            let findings = PlaybookChecks.findings(for: event, occurredAt: occurredAt, facts: facts, policy: policy)
            if let refusal = findings.first(where: { PlaybookChecks.refuses($0, strict: strict ?? policy.strict) })?.refusal {
                throw LedgerError(.invalidInput, "\(refusal); nothing was written", cause: refusal)
            }
            facts.apply(event, id: UUID(), type: StatusUpdatePublished.type, schemaVersion: update.writtenSchemaVersion, payload: Payload(update.json), occurredAt: occurredAt)
        }
        let drafts = filled.updates.map { update in
            var each = draft
            each.type = StatusUpdatePublished.type
            each.schemaVersion = update.writtenSchemaVersion
            each.payload = Payload(update.json)
            each.occurredAt = occurredAt
            return each
        }
        // One append: a crash or a concurrent refusal never leaves half a templated update.
        return try await recordChecked(drafts, strict: strict).eachEvent()
    }
}

/// The values a template's placeholders take.
struct TemplateValues {
    let state: IncidentSummary
    let status: String
    let values: [String: String]
    var nextUpdate: Timestamp?
    var eta: Timestamp?
    var shownAt = Timestamp(microsecondsSinceEpoch: 0)

    init(state: IncidentSummary, status: String, values: [String: String]) {
        self.state = state
        self.status = status
        self.values = values
    }

    func fill(_ text: String, channel: UpdateChannel) throws(ServiceError) -> String {
        do throws(TemplatePlaceholderError) {
            return try TemplatePlaceholders.fill(text) { name throws(TemplatePlaceholderError) in
                guard let value = value(of: name), !value.isEmpty else {
                    throw TemplatePlaceholderError(reason: "the placeholder {\(name)} in the \(channel.rawValue) text has no value: \(remedy(name))")
                }
                return value
            }
        } catch {
            throw ServiceError(.templateNotFilled, error.reason)
        }
    }

    private func value(of name: String) -> String? {
        if let given = values[name] { return given }
        return switch name {
        case "incident": state.incident
        case "title": state.title
        case "service", "services": state.services.joined(separator: ", ")
        case "regions": state.regions.joined(separator: ", ")
        case "segments": state.customerSegments.joined(separator: ", ")
        case "severity": state.severity?.rawValue
        case "status": status
        case "next_update": nextUpdate.map(clock)
        case "eta": eta.map(clock)
        case "window_start": state.plannedStart.map(clock)
        case "window_end": state.plannedEnd.map(clock)
        default: nil
        }
    }

    private func remedy(_ name: String) -> String {
        switch name {
        case "next_update": "promise the next update (nextUpdateBy)"
        case "eta": "give an ETA (etaAt), or choose a template without one"
        case "service", "services", "regions", "segments": "record the incident's scope, or give the value"
        default: "give the value"
        }
    }

    /// A time as an update says it: `23:50 UTC` on the day the update shows, `2026-03-15 00:20 UTC` on another.
    private func clock(_ time: Timestamp) -> String {
        let text = time.rfc3339  // 2026-03-14T23:50:00Z
        let day = text.prefix(10)
        let minutes = text.dropFirst(11).prefix(5)
        return day == shownAt.rfc3339.prefix(10) ? "\(minutes) UTC" : "\(day) \(minutes) UTC"
    }
}
