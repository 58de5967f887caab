import IncidentEvents
import LedgerModel

/// Reads one incident record through a `JSONMapping` into a `SourceIncident` and maps it, collecting
/// warnings; a value that breaks the mapping's rules is thrown as the record's problem.
struct JSONRecordMapper {
    let mapping: JSONMapping
    let prefix: String
    let record: Int
    let line: Int?
    private(set) var warnings = [ImportWarning]()
    private var incidentID: String?

    init(mapping: JSONMapping, prefix: String, record: Int, line: Int?) {
        self.mapping = mapping
        self.prefix = prefix
        self.record = record
        self.line = line
    }

    private mutating func warn(_ kind: ImportWarning.Kind, _ message: String) {
        warnings.append(ImportWarning(kind, incidentID: incidentID, row: line, message))
    }

    private func problem(_ field: String, _ rule: String) -> JSONRecordProblem {
        JSONRecordProblem(record: record, line: line, incidentID: incidentID, field: field, rule: rule)
    }

    private func problem(_ field: JSONMapping.Field, at path: JSONPath, _ rule: String) -> JSONRecordProblem {
        problem("\(field.key) at \(MessageText.quoted(path.description))", rule)
    }

    /// The text of the first path holding a value: strings trimmed, numbers and booleans as written;
    /// nil when every path is absent, null or a missing-value marker.
    private func text(_ field: JSONMapping.Field?, in object: JSONValue) throws(JSONRecordProblem) -> (text: String, path: JSONPath)? {
        guard let field else { return nil }
        for path in field.paths {
            guard let value = path.value(in: object) else { continue }
            let text: String
            switch value {
            case .null: continue
            case .string(let string): text = string.trimmingSpaces
            case .integer(let number): text = String(number)
            case .number(let number): text = number.description
            case .bool(let flag): text = flag ? "true" : "false"
            case .array, .object: throw problem(field, at: path, "is \(value.typeName), not a string or a number")
            }
            if mapping.missing.contains(text) { continue }
            return (text, path)
        }
        return nil
    }

    private func required(_ field: JSONMapping.Field, in object: JSONValue, _ why: String) throws(JSONRecordProblem) -> (text: String, path: JSONPath) {
        guard let found = try text(field, in: object) else {
            throw problem("\(field.key) at \(field.paths.map { MessageText.quoted($0.description) }.joined(separator: " or "))", "has no value (absent, null or a missing-value marker); \(why)")
        }
        return found
    }

    /// A time, or nil when the record gives none; a value the mapping's format cannot read is the record's problem.
    private func time(_ field: JSONMapping.Field?, in object: JSONValue) throws(JSONRecordProblem) -> Timestamp? {
        guard let field, let found = try text(field, in: object) else { return nil }
        guard let time = mapping.time.parse(found.text) else {
            throw problem(field, at: found.path, "\(MessageText.quoted(found.text)) is not a time in the mapping's format (\(mapping.time.pattern)\(mapping.time.zoneName.map { ", zone \($0)" } ?? ""))")
        }
        return time
    }

    /// A value looked up in one of the mapping's value maps, else taken as the catalog's own name.
    private func value<Value: RawRepresentable>(
        _ found: (text: String, path: JSONPath), _ field: JSONMapping.Field, map: [String: Value], mapKey: String, allowed: [String]
    ) throws(JSONRecordProblem) -> Value where Value.RawValue == String {
        if let value = map[found.text] ?? Value(rawValue: found.text) { return value }
        throw problem(field, at: found.path, "\(MessageText.quoted(found.text)) is neither a key of \(mapKey) nor one of \(allowed.joined(separator: ", "))")
    }

    /// The strings a list field names, in order, without repeats or missing-value markers.
    private mutating func strings(_ field: JSONMapping.ListField?, in object: JSONValue) throws(JSONRecordProblem) -> [String] {
        guard let field, let found = field.path.value(in: object), found != .null else { return [] }
        var values = [JSONValue]()
        if let item = field.item {
            guard let elements = found.arrayValue else {
                throw problem("\(field.key) at \(MessageText.quoted(field.path.description))", "is \(found.typeName), not an array")
            }
            values = elements.compactMap { item.value(in: $0) }
        } else {
            values = [found]
        }
        var out = [String]()
        func add(_ value: JSONValue) throws(JSONRecordProblem) {
            switch value {
            case .null: return
            case .string(let text):
                let trimmed = text.trimmingSpaces
                guard !mapping.missing.contains(trimmed), !trimmed.isEmpty else { return }
                let clipped = trimmed.count > 200 ? String(trimmed.prefix(199)) + "…" : trimmed
                if clipped != trimmed { warnings.append(ImportWarning(.truncated, incidentID: incidentID, row: line, "\(field.key): \(MessageText.quoted(trimmed)) is longer than 200 characters; shortened")) }
                if !out.contains(clipped) { out.append(clipped) }
            case .array(let items):
                for item in items { try add(item) }
            default:
                throw problem("\(field.key) at \(MessageText.quoted(field.path.description))", "holds \(value.typeName), not strings")
            }
        }
        for value in values { try add(value) }
        return out
    }

    /// The incident, or nil when it is skipped with a warning (a repeated id, no time to place it at).
    mutating func map(_ value: JSONValue, seen: inout Set<String>) throws(JSONRecordProblem) -> ImportedIncident? {
        guard value.objectValue != nil else {
            throw problem("incidents at \(MessageText.quoted(mapping.incidents.description))", "the record is \(value.typeName), not an object")
        }
        let id = try required(mapping.id, in: value, "every incident needs its source's id").text
        incidentID = id
        guard seen.insert(id).inserted else {
            warn(.duplicateIncident, "appears more than once in the file; the later copy (record \(record)) is skipped")
            return nil
        }
        let title = try required(mapping.title, in: value, "every incident needs a title").text
        let severityText = try required(mapping.severity, in: value, "every incident needs a severity (map the source's values in severities)")
        let severity: Severity = try self.value(
            severityText, mapping.severity, map: mapping.severities, mapKey: "severities", allowed: Severity.allCases.map(\.rawValue))
        let createdAt = try time(mapping.created, in: value)
        let startedAt = try time(mapping.start, in: value)
        var resolvedAt = try time(mapping.end, in: value)
        let plannedStart = try time(mapping.plannedStart, in: value)
        let plannedEnd = try time(mapping.plannedEnd, in: value)
        var status: (text: String, status: PublicStatus)?
        if let found = try text(mapping.status, in: value), let field = mapping.status {
            status = (found.text, try self.value(found, field, map: mapping.statuses, mapKey: "statuses", allowed: PublicStatus.allCases.map(\.rawValue)))
        }
        var kind = IncidentKind.unplanned
        if let found = try text(mapping.kind, in: value), let field = mapping.kind {
            kind = try self.value(found, field, map: mapping.kinds, mapKey: "kinds", allowed: IncidentKind.allCases.map(\.rawValue))
        }
        let services = try strings(mapping.services, in: value)
        let regions = try strings(mapping.regions, in: value)
        let description = try text(mapping.description, in: value)?.text
        let updates = try self.updates(in: value)
        guard let createdAt else {
            let paths = mapping.created.paths.map { MessageText.quoted($0.description) }.joined(separator: " or ")
            warn(.missingField, "has no creation time (\(mapping.created.key) at \(paths)); skipped (no time is invented)")
            return nil
        }
        if kind == .scheduledMaintenance, !(plannedStart.map { start in plannedEnd.map { $0 > start } ?? false } ?? false) {
            warn(.maintenanceWindowMissing, "is scheduled maintenance but has no complete plannedStart/plannedEnd window; imported as unplanned")
            kind = .unplanned
        }
        let isResolved = status.map { [.resolved, .postmortem, .completed].contains($0.status) } ?? false
        if resolvedAt == nil, isResolved { resolvedAt = try time(mapping.endIfResolved, in: value) }
        let source = SourceIncident(
            id: id, title: title, severity: severity, services: services, regions: regions, kind: kind,
            plannedStart: kind == .scheduledMaintenance ? plannedStart : nil, plannedEnd: kind == .scheduledMaintenance ? plannedEnd : nil,
            createdAt: createdAt, startedAt: startedAt, resolvedAt: resolvedAt, status: status?.text, isResolved: isResolved, updates: updates,
            summary: description)
        let naming = mapping.naming
        let fields = SourceIncident.FieldNames(
            title: "the title", created: mapping.created.paths[0].description, started: mapping.start?.paths[0].description ?? "start",
            resolved: mapping.end?.paths[0].description ?? "end")
        var events = SourceIncidentEvents(
            stream: prefix + id, actor: JSONIncidentImporter.actor, source: naming.source, fields: fields,
            recordedAsItHappened: mapping.recordedAsItHappened, eventID: { SourceEventID.make("json/\(naming.source)/\(id)/\($0)") })
        events.map(source)
        warnings.append(contentsOf: events.warnings.map { var warning = $0; warning.row = line; return warning })
        return ImportedIncident(sourceID: id, stream: prefix + id, events: events.events)
    }

    /// The record's updates in time order (stable on the source's order).
    private mutating func updates(in object: JSONValue) throws(JSONRecordProblem) -> [SourceIncident.Update] {
        guard let spec = mapping.updates, let found = spec.path.value(in: object), found != .null else { return [] }
        guard let items = found.arrayValue else {
            throw problem("updates.path at \(MessageText.quoted(spec.path.description))", "is \(found.typeName), not an array")
        }
        var updates = [(update: SourceIncident.Update, position: Int)]()
        var keys = [String: Int]()
        for (position, item) in items.enumerated() {
            guard item.objectValue != nil else {
                throw problem("updates.path at \(MessageText.quoted(spec.path.description))", "update #\(position + 1) is \(item.typeName), not an object")
            }
            let id = try text(spec.id, in: item)?.text
            let label = id.map { "update \($0)" } ?? "update #\(position + 1)"
            let at: Timestamp?
            do {
                at = try time(spec.time, in: item)
            } catch {
                throw problem(error.field, "\(label): \(error.rule)")
            }
            guard let at else {
                warn(.missingField, "\(label) has no time (\(spec.time.key)); skipped (no time is invented)")
                continue
            }
            var sourceStatus = ""
            var status: PublicStatus?
            if spec.recordAs == .publicUpdate {
                guard let found = try text(spec.status, in: item) else {
                    warn(.missingField, "\(label) has no status; skipped")
                    continue
                }
                sourceStatus = found.text
                status = mapping.statuses[found.text] ?? PublicStatus(rawValue: found.text)
            }
            // Without the source's id, the update is named by its time (and its rank among updates at that time).
            var key = id ?? at.rfc3339
            if id == nil {
                keys[key, default: 0] += 1
                if let rank = keys[key], rank > 1 { key += "#\(rank)" }
            }
            let text = try self.text(spec.text, in: item)?.text ?? ""
            updates.append((SourceIncident.Update(
                key: key, label: label, at: at, created: nil, sourceStatus: sourceStatus, status: status, text: text,
                isNote: spec.recordAs == .note), position))
        }
        updates.sort { ($0.update.at, $0.position) < ($1.update.at, $1.position) }
        return updates.map(\.update)
    }
}
