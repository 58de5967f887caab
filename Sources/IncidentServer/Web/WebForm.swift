import Foundation
import IncidentEvents
import IncidentReports
import IncidentService
import LedgerModel
import LedgerStore

/// A recording form's fields as an event's payload: each field read by its catalog kind (a time, a
/// number, a choice, a list), so the service checks the event by the same rules as any other; and a
/// refusal placed back on the field it is about.
enum WebForm {
    /// The source of events recorded through the pages.
    static let source = "web"

    /// The payload and the time it happened; what cannot be read is left in `form.fieldErrors`.
    static func payload(of form: inout RecordingForm, from body: FormBody) -> ([String: JSONValue], Timestamp?) {
        var payload = [String: JSONValue]()
        for field in form.fields {
            do {
                if let value = try value(of: field, from: body) { payload[field.name] = value }
            } catch {
                form.fieldErrors[field.name] = error.sentence
            }
        }
        var occurredAt: Timestamp?
        if let text = body[RecordingForm.occurredAtField] {
            do {
                occurredAt = try FormBody.time(text, field: "the time")
            } catch {
                form.fieldErrors[RecordingForm.occurredAtField] = Problem(reporting: error).detail
            }
        }
        return (payload, occurredAt)
    }

    struct FieldError: Error {
        let sentence: String
    }

    static func value(of field: FieldSpec, from body: FormBody) throws(FieldError) -> JSONValue? {
        switch field.kind {
        case .boolean:
            return body[field.name] == "true" ? .bool(true) : nil
        case .integer:
            guard let text = body[field.name] else { return nil }
            guard let number = Int64(text) else { throw FieldError(sentence: "must be a whole number, not \(MessageText.quoted(text))") }
            return .integer(number)
        case .timestamp:
            guard let text = body[field.name] else { return nil }
            guard let time = parseTime(text) else {
                throw FieldError(sentence: "must be a time in UTC such as 2026-03-14 23:40 (or RFC 3339), not \(MessageText.quoted(text))")
            }
            return .string(time.rfc3339)
        case .array(.oneOf, _):
            let chosen = body.all(field.name).filter { !$0.isEmpty }
            return chosen.isEmpty ? nil : .array(chosen.map(JSONValue.string))
        case .array:
            let items = body.all(field.name).flatMap { $0.split(whereSeparator: \.isNewline) }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return items.isEmpty ? nil : .array(items.map(JSONValue.string))
        case .string, .oneOf:
            return body[field.name].map(JSONValue.string)
        case .object, .anyObject:
            return nil
        }
    }

    /// A template's placeholder values typed one `name=value` a line, as the CLI's `--set` takes them.
    static func placeholderValues(_ text: String) throws(FieldError) -> [String: String] {
        var values = [String: String]()
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let equals = trimmed.firstIndex(of: "="), equals != trimmed.startIndex else {
                throw FieldError(sentence: "each line is name=value (workaround=pay by bank transfer), not \(MessageText.quoted(trimmed))")
            }
            values[String(trimmed[..<equals]).trimmingCharacters(in: .whitespaces)] = String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        }
        return values
    }

    /// A time as a person types it: RFC 3339, or `YYYY-MM-DD HH:MM[:SS]` and `YYYY-MM-DD` in UTC.
    static func parseTime(_ text: String) -> Timestamp? {
        if let time = try? Timestamp(rfc3339: text) { return time }
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        // A GET form sends the space between date and time as `+`.
        if trimmed.count > 10, trimmed[trimmed.index(trimmed.startIndex, offsetBy: 10)] == "+" {
            trimmed.replaceSubrange(trimmed.index(trimmed.startIndex, offsetBy: 10)...trimmed.index(trimmed.startIndex, offsetBy: 10), with: " ")
        }
        trimmed = trimmed.replacingOccurrences(of: " ", with: "T")
        let candidates = trimmed.count == 10 ? [trimmed + "T00:00:00Z"] : [trimmed + ":00Z", trimmed + "Z"]
        return candidates.lazy.compactMap { try? Timestamp(rfc3339: $0) }.first
    }

    /// Puts the service's refusal next to the field it names (`payload.nextUpdateBy`), or on the form.
    static func place(_ error: any Error, in form: inout RecordingForm) {
        let failure = ServiceFailure(reporting: error)
        let input = (error as? EventInputError) ?? ((error as? LedgerError)?.cause as? EventInputError)
        form.refusedByRule = failure.kind == .refusedByRule
        if let input, input.field.hasPrefix("payload.") || input.field == RecordingForm.occurredAtField {
            let name = String(input.field.dropFirst(input.field.hasPrefix("payload.") ? 8 : 0)).split(separator: ".").first.map(String.init) ?? ""
            if form.fields.contains(where: { $0.name == name }) || name == RecordingForm.occurredAtField {
                form.fieldErrors[name] = input.reason
                return
            }
        }
        form.formError = failure.message
    }
}

extension FormBody {
    /// A time given in a form or a page's address, read as ``WebForm/parseTime(_:)`` reads it.
    static func time(_ text: String, field: String) throws -> Timestamp {
        guard let time = WebForm.parseTime(text) else {
            throw Problem(ServiceFailure(.usage, "\(field) must be a time in UTC such as 2026-03-14 23:40 (or RFC 3339), not \(MessageText.quoted(text))"))
        }
        return time
    }
}
