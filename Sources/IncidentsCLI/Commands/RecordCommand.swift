import ArgumentParser
import Foundation
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore

/// Names one recording command: a verb of the service's table.
protocol RecordingVerbCommand {
    static var verb: RecordingVerb { get }
}

/// Records one event of a fixed type, with its payload fields given as flags derived from the
/// type's schema: `impactStartedAt` is `--impact-started-at`; lists take commas or repeated flags;
/// nested objects take JSON text. One generic command serves every verb, so the flags, the schema
/// and the validation can never disagree.
struct RecordCommand<Verb: RecordingVerbCommand>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        let entry = Catalog.entry(for: Verb.verb.eventType)!
        return CommandConfiguration(
            commandName: Verb.verb.name,
            abstract: "Record \(Verb.verb.eventType): \(entry.summary)",
            discussion: FlagHelp.discussion(for: entry) + (Verb.verb == .update ? TemplateOutput.help : ""),
            aliases: Verb.verb.aliases)
    }

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"), transform: IncidentArgument.normalized)
    var incident: String

    @Option(help: ArgumentHelp("When it happened (RFC 3339). Default: now, or for a retry of --id the time first recorded.", valueName: "time"))
    var at: TimestampArgument?

    @Option(help: ArgumentHelp("When another system (a ticketing tool, a status page) first recorded it (RFC 3339); not later than now.", valueName: "time"))
    var sourceRecordedAt: TimestampArgument?

    @Option(help: ArgumentHelp("Who records it, as kind:id (person, tool or system). Default: person:$USER (or $LOGNAME, or the login name).", valueName: "actor"))
    var actor: String?

    @Option(help: ArgumentHelp("The channel or tool the fact came through.", valueName: "source"))
    var source: String = "cli"

    @Option(help: ArgumentHelp("The event id (a UUID); give one to make a retry safe.", valueName: "uuid"))
    var id: String?

    @Option(help: ArgumentHelp("Groups events of one piece of work.", valueName: "id"))
    var correlationId: String?

    @Option(help: ArgumentHelp("The id of what caused this event.", valueName: "id"))
    var causationId: String?

    @Option(help: ArgumentHelp("Refuse unless the incident is at this version (any, no-stream, stream-exists, N).", valueName: "version"))
    var expectedVersion: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Flag(help: "Refuse the event if it breaks a check of the outage playbook (docs/playbook.md) instead of recording it with a warning.")
    var strict = false

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The event's fields as --name value; see the list above.", valueName: "fields"))
    var fields: [String] = []

    func run() async throws {
        let entry = Catalog.entry(for: Verb.verb.eventType)!
        var fields = self.fields
        let template = Verb.verb == .update ? try TemplateOutput.flags(from: &fields) : nil
        let payload = try FlagParser.payload(fields, for: entry)
        let actor = try ActorOption.parse(self.actor)
        let eventID = try id.map { text in
            guard let parsed = UUID(uuidString: text) else { throw ValidationError("--id must be a UUID, not \(MessageText.quoted(text))") }
            return parsed
        }
        let expected = try ExpectedVersionOption.parse(expectedVersion)
        let draft = EventDraft(
            stream: incident, type: entry.type, schemaVersion: entry.schemaVersion, payload: Payload(payload), id: eventID,
            occurredAt: at?.value, sourceRecordedAt: sourceRecordedAt?.value, actor: actor, source: source,
            correlationID: correlationId, causationID: causationId)
        let service = try await options.writingService(actor: LedgerOptions.userActor)
        if let template {
            return try await TemplateOutput.record(
                template, fields: payload, draft: draft, expectedVersion: expected, strict: strict ? true : nil, service: service, json: json)
        }
        let recorded = try await service.recordChecked(draft, expectedVersion: expected, strict: strict ? true : nil)
        RecordOutput.print(recorded, json: json)
    }
}

/// The help text listing a type's fields as flags.
enum FlagHelp {
    static func discussion(for entry: Catalog.Entry) -> String {
        var lines = ["Fields of \(entry.type) (version \(entry.schemaVersion)):"]
        for field in entry.fields {
            let requirement = field.required ? " (required)" : ""
            lines.append("  \(field.flag) <\(valueName(field.kind))>\(requirement)")
            lines.append("      \(field.description)")
        }
        lines.append("")
        lines.append("Lists take commas (--regions eu-west-1,eu-central-1) or repeated flags; nested objects take JSON text.")
        lines.append("`incidents schema show \(entry.type)` prints the full JSON Schema.")
        return lines.joined(separator: "\n")
    }

    static func valueName(_ kind: FieldSpec.Kind) -> String {
        switch kind {
        case .string: "text"
        case .timestamp: "time"
        case .integer(let minimum, let maximum): "\(minimum)-\(maximum)"
        case .boolean: "true|false"
        case .oneOf(let names): names.joined(separator: "|")
        case .array(let item, _): "\(valueName(item)),…"
        case .object, .anyObject: "json"
        }
    }
}

/// Turns `--field value` arguments into a payload object, by the type's field specs.
enum FlagParser {
    static func payload(_ arguments: [String], for entry: Catalog.Entry) throws -> [String: JSONValue] {
        let byFlag = Dictionary(uniqueKeysWithValues: entry.fields.map { ($0.flag, $0) })
        var payload = [String: JSONValue]()
        var index = 0
        while index < arguments.count {
            var flag = arguments[index]
            var value: String?
            if let equals = flag.firstIndex(of: "=") {
                value = String(flag[flag.index(after: equals)...])
                flag = String(flag[..<equals])
            }
            guard let field = byFlag[flag] else {
                let known = entry.fields.map(\.flag).joined(separator: ", ")
                throw ValidationError("\(MessageText.quoted(flag)) is not a field of \(entry.type); its fields are \(known)")
            }
            if value == nil {
                if case .boolean = field.kind, index + 1 >= arguments.count || arguments[index + 1].hasPrefix("--") {
                    value = "true"
                } else {
                    guard index + 1 < arguments.count else { throw ValidationError("\(flag) needs a value") }
                    index += 1
                    value = arguments[index]
                }
            }
            let parsed = try parse(value!, as: field.kind, flag: flag)
            if case .array(let items) = parsed, case .array(let earlier)? = payload[field.name] {
                payload[field.name] = .array(earlier + items)
            } else {
                guard payload[field.name] == nil else { throw ValidationError("\(flag) is given twice; give it once") }
                payload[field.name] = parsed
            }
            index += 1
        }
        return payload
    }

    /// A value that is not of its field's kind (a word outside the field's choices, a number out of
    /// range, a malformed time) is a usage error, as a bad value of any other option is; the rules of
    /// the incident's life are checked when the event is recorded.
    static func parse(_ text: String, as kind: FieldSpec.Kind, flag: String) throws -> JSONValue {
        switch kind {
        case .string(let minimum, let maximum):
            guard (minimum...maximum).contains(text.count) else {
                throw ValidationError("\(flag) must be \(minimum) to \(maximum) characters long, not \(text.count)")
            }
            return .string(text)
        case .timestamp:
            do {
                _ = try Timestamp(rfc3339: text)
            } catch {
                throw ValidationError("\(flag): \(error)")
            }
            return .string(text)
        case .oneOf(let names):
            guard names.contains(text) else {
                throw ValidationError("\(flag) must be one of \(names.joined(separator: ", ")), not \(MessageText.quoted(text))")
            }
            return .string(text)
        case .integer(let minimum, let maximum):
            guard let number = Int64(text), (minimum...maximum).contains(number) else {
                throw ValidationError("\(flag) must be a whole number from \(minimum) to \(maximum), not \(MessageText.quoted(text))")
            }
            return .integer(number)
        case .boolean:
            switch text {
            case "true", "yes": return .bool(true)
            case "false", "no": return .bool(false)
            default: throw ValidationError("\(flag) must be true or false, not \(MessageText.quoted(text))")
            }
        case .array(let item, _):
            if case .object = item { return try json(text, flag: flag) }
            return .array(try text.split(separator: ",").map { try parse(String($0).trimmingCharacters(in: .whitespaces), as: item, flag: flag) })
        case .object, .anyObject:
            return try json(text, flag: flag)
        }
    }

    static func json(_ text: String, flag: String) throws -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw ValidationError("\(flag) takes JSON: \(error)")
        }
    }
}
