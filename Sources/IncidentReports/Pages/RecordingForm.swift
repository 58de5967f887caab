public import IncidentEvents

/// A form that records one event, its fields made from the event type's payload fields (the catalog's
/// `FieldSpec`s, as the CLI's flags and the API's bodies are), so the form, the command and the route
/// take the same fields and the server checks them by the same rules.
public struct RecordingForm: Sendable {
    /// The verb's words joined by `-` (`update`, `postmortem-root-cause`): the last part of the form's address.
    public var slug: String
    public var title: String
    public var eventType: String
    /// Each field's value(s): defaults, or what a refused submission held.
    public var values: [String: [String]]
    /// Values a text field offers to choose from (the messages awaiting a reply, for `inReplyTo`).
    public var choices: [String: [String]]
    /// The refusal's sentence next to the field at fault.
    public var fieldErrors: [String: String]
    /// A refusal that is about the event as a whole.
    public var formError: String?
    /// Whether the refusal was by a rule of the incident's life (422), not a malformed field (400).
    public var refusedByRule = false
    /// The event's id, fixed when the form is shown, so a form posted twice records once.
    public var eventID: String?
    /// The fields shown instead of all the event type's own, when a form offers only some (the template form).
    public var shownFields: [FieldSpec]?

    public init(slug: String, title: String, eventType: String, values: [String: [String]] = [:], choices: [String: [String]] = [:]) {
        self.slug = slug
        self.title = title
        self.eventType = eventType
        self.values = values
        self.choices = choices
        self.fieldErrors = [:]
        self.formError = nil
    }

    /// The envelope field every form offers beside the payload's: when it happened, if not now.
    public static let occurredAtField = "occurredAt"
    static let occurredAtSpec = FieldSpec(name: occurredAtField, kind: .timestamp, required: false, description: "When it happened, if not now.")

    /// The fields a form shows: those a person types or picks (lists of objects, and objects, are
    /// recorded through the API).
    public var fields: [FieldSpec] {
        if let shownFields { return shownFields }
        return (Catalog.entry(for: eventType)?.fields ?? []).filter { field in
            switch field.kind {
            case .object, .anyObject, .array(.object, _), .array(.anyObject, _): false
            default: true
            }
        }
    }

    /// The form in a disclosure, open when it was refused.
    public func render(action: String, viewer: PageViewer) -> String {
        let e = HTML.escape
        let refused = formError != nil || !fieldErrors.isEmpty
        var out = "<details class=\"record\" id=\"record-\(slug)\"\(refused ? " open" : "")>\n<summary>\(e(title))</summary>\n"
        out += "<form class=\"record stacked\" data-verb=\"\(slug)\" method=\"post\" action=\"\(e(action))\">\n\(viewer.csrfField)\n"
        if let eventID { out += "<input type=\"hidden\" name=\"id\" value=\"\(e(eventID))\">\n" }
        if let formError { out += "<p class=\"error\" role=\"alert\" id=\"\(slug)-error\">\(e(formError))</p>\n" }
        for field in fields { out += control(field) }
        out += control(Self.occurredAtSpec)
        out += "<p><button type=\"submit\">\(e(title))</button></p>\n</form>\n</details>\n"
        return out
    }

    func control(_ field: FieldSpec) -> String {
        let e = HTML.escape
        let id = "\(slug)-\(field.name)"
        let error = fieldErrors[field.name]
        let describedBy = error == nil ? "" : " aria-describedby=\"\(id)-error\" aria-invalid=\"true\""
        let required = field.required ? " required" : ""
        let given = values[field.name] ?? []
        let value = given.first ?? ""
        let hint = "<span class=\"hint\">\(e(field.description))\(field.required ? "" : " Optional.")</span>"
        var out = ""
        switch field.kind {
        case .boolean:
            out += "<label for=\"\(id)\"><input id=\"\(id)\" type=\"checkbox\" name=\"\(field.name)\" value=\"true\"\(value == "true" ? " checked" : "")\(describedBy)> \(e(Self.label(field.name)))\(hint)</label>\n"
        case .oneOf(let options):
            out += "<label for=\"\(id)\">\(e(Self.label(field.name)))\(hint)</label>\n<select id=\"\(id)\" name=\"\(field.name)\"\(required)\(describedBy)>"
            if !field.required { out += "<option value=\"\">—</option>" }
            for option in options { out += "<option value=\"\(e(option))\"\(option == value ? " selected" : "")>\(e(PostmortemText.words(option)))</option>" }
            out += "</select>\n"
        case .array(.oneOf(let options), _):
            out += "<fieldset id=\"\(id)\"\(describedBy)><legend>\(e(Self.label(field.name)))</legend>\(hint)\n"
            for option in options {
                out += "<label for=\"\(id)-\(option)\"><input id=\"\(id)-\(option)\" type=\"checkbox\" name=\"\(field.name)\" value=\"\(e(option))\"\(given.contains(option) ? " checked" : "")> \(e(PostmortemText.words(option)))</label>\n"
            }
            out += "</fieldset>\n"
        case .array:
            out += "<label for=\"\(id)\">\(e(Self.label(field.name)))<span class=\"hint\">One per line. \(e(field.description))</span></label>\n"
            out += "<textarea id=\"\(id)\" name=\"\(field.name)\" dir=\"auto\"\(describedBy)>\(e(given.joined(separator: "\n")))</textarea>\n"
        case .integer(let minimum, let maximum):
            out += "<label for=\"\(id)\">\(e(Self.label(field.name)))\(hint)</label>\n<input id=\"\(id)\" type=\"number\" name=\"\(field.name)\" min=\"\(minimum)\" max=\"\(maximum)\" value=\"\(e(value))\"\(required)\(describedBy)>\n"
        case .timestamp:
            out += "<label for=\"\(id)\">\(e(Self.label(field.name)))<span class=\"hint\">UTC, as 2026-03-14 23:40 or in RFC 3339. \(e(field.description))\(field.required ? "" : " Optional.")</span></label>\n"
            out += "<input id=\"\(id)\" type=\"text\" name=\"\(field.name)\" value=\"\(e(value))\" inputmode=\"numeric\" autocomplete=\"off\" placeholder=\"2026-03-14 23:40\"\(required)\(describedBy)>\n"
        case .string(_, let maximum):
            out += "<label for=\"\(id)\">\(e(Self.label(field.name)))\(hint)</label>\n"
            if let options = choices[field.name], !options.isEmpty {
                out += "<select id=\"\(id)\" name=\"\(field.name)\"\(required)\(describedBy)>"
                for option in options { out += "<option value=\"\(e(option))\"\(option == value ? " selected" : "")>\(e(option))</option>" }
                out += "</select>\n"
            } else if maximum > 500 {
                out += "<textarea id=\"\(id)\" name=\"\(field.name)\" maxlength=\"\(maximum)\" dir=\"auto\"\(required)\(describedBy)>\(e(value))</textarea>\n"
            } else {
                out += "<input id=\"\(id)\" type=\"text\" name=\"\(field.name)\" maxlength=\"\(maximum)\" value=\"\(e(value))\" dir=\"auto\"\(required)\(describedBy)>\n"
            }
        case .object, .anyObject:
            return ""
        }
        if let error { out += "<p class=\"field-error\" id=\"\(id)-error\">\(e(error))</p>\n" }
        return out
    }

    /// `nextUpdateBy` as "Next update by".
    public static func label(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase {
                out += " " + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out.prefix(1).uppercased() + out.dropFirst()
    }
}
