public import IncidentEvents

/// The form that publishes a status update from a template of the library, as `incidents update INC
/// --template NAME` does: the template, the update's fields a person sets, the placeholders' values.
/// "Preview" shows the filled text of each channel and records nothing; "Publish" records the update.
public struct TemplateForm: Sendable {
    /// The last part of the form's address, and the prefix of its controls' ids.
    public static let slug = "template"
    /// The field naming the template.
    public static let templateField = "template"
    /// The placeholders' values, one `name=value` a line (the CLI's `--set`).
    public static let valuesField = "values"
    /// The submit button pressed: ``Intent``.
    public static let intentField = "intent"

    /// What a submission asks for.
    public enum Intent: String, Sendable {
        case preview, publish
    }

    /// The templates offered: the library's, retired ones left out.
    public var templates: [TemplateLibrary.Template]
    /// The update's fields as a recording form holds them: values, refusals, the event's id.
    public var form: RecordingForm
    /// The filled updates "Preview" shows, one per distinct text with its channels; nil when none was asked for.
    public var preview: [StatusUpdatePublished]?

    public init(library: [TemplateLibrary.Template]) {
        templates = library.filter { !$0.isRetired }
        form = RecordingForm(slug: Self.slug, title: "Publish an update from a template", eventType: StatusUpdatePublished.type)
        form.shownFields = Self.fields
    }

    /// The update's fields a person sets (status, channels, next update, ETA); the template gives the
    /// text, and the status and channels when they are left out.
    public static let fields: [FieldSpec] = {
        let catalog = Catalog.entry(for: StatusUpdatePublished.type)?.fields ?? []
        return ["status", "channels", "nextUpdateBy", "etaAt"].compactMap { name in
            guard var field = catalog.first(where: { $0.name == name }) else { return nil }
            switch name {
            case "status":
                field.required = false
                field.description = "The status announced, when not the template's own."
            case "channels":
                field.description = "Where it is published; every channel the template has a text for when none is ticked."
            default:
                break
            }
            return field
        }
    }()

    /// The form in a disclosure, open when it was refused or shows a preview; a note on how to fill the
    /// library when it is empty.
    public func render(action: String, viewer: PageViewer) -> String {
        let e = HTML.escape
        let slug = Self.slug
        let open = form.formError != nil || !form.fieldErrors.isEmpty || preview != nil
        var out = "<details class=\"record\" id=\"record-\(slug)\"\(open ? " open" : "")>\n<summary>\(e(form.title))</summary>\n"
        guard !templates.isEmpty else {
            out += "<p class=\"note\" id=\"\(slug)-empty\">The template library is empty, so there is no template to offer. Add templates with "
            out += "<code>incidents templates add FILE</code>; the starter library is <code>docs/examples/templates-en.json</code> (and <code>templates-es.json</code>).</p>\n"
            return out + "</details>\n"
        }
        out += "<form class=\"record stacked\" data-verb=\"\(slug)\" method=\"post\" action=\"\(e(action))#record-\(slug)\">\n\(viewer.csrfField)\n"
        if let eventID = form.eventID { out += "<input type=\"hidden\" name=\"id\" value=\"\(e(eventID))\">\n" }
        if let formError = form.formError { out += "<p class=\"error\" role=\"alert\" id=\"\(slug)-error\">\(e(formError))</p>\n" }

        let chosen = form.values[Self.templateField]?.first ?? ""
        out += "<label for=\"\(slug)-\(Self.templateField)\">Template<span class=\"hint\">Its name, the outage it fits, its language and version (<code>incidents templates list</code>).</span></label>\n"
        out += "<select id=\"\(slug)-\(Self.templateField)\" name=\"\(Self.templateField)\" required\(invalid(Self.templateField))>"
        for template in templates {
            let content = template.current
            let selected = content.templateId == chosen ? " selected" : ""
            out += "<option value=\"\(e(content.templateId))\"\(selected)>\(e(content.templateId)) · \(e(content.kind)) · \(e(content.language)) · version \(template.version)</option>"
        }
        out += "</select>\n" + fieldError(Self.templateField)
        for field in form.fields { out += form.control(field) }

        out += "<label for=\"\(slug)-\(Self.valuesField)\">Placeholder values<span class=\"hint\">One <code>name=value</code> a line, such as "
        out += "<code>workaround=pay by bank transfer</code> (as <code>incidents update --set</code>); a value given here wins over the incident's own. Optional.</span></label>\n"
        let values = (form.values[Self.valuesField] ?? []).joined(separator: "\n")
        out += "<textarea id=\"\(slug)-\(Self.valuesField)\" name=\"\(Self.valuesField)\" dir=\"auto\"\(invalid(Self.valuesField))>\(e(values))</textarea>\n"
        out += fieldError(Self.valuesField)
        out += form.control(RecordingForm.occurredAtSpec)
        out += "<p class=\"buttons\"><button type=\"submit\" name=\"\(Self.intentField)\" value=\"\(Intent.preview.rawValue)\" class=\"secondary\">Preview</button> "
        out += "<button type=\"submit\" name=\"\(Self.intentField)\" value=\"\(Intent.publish.rawValue)\">Publish</button></p>\n</form>\n"
        if let preview { out += Self.preview(preview) }
        return out + "</details>\n"
    }

    /// The filled texts, each with the channels it goes to and its length.
    static func preview(_ updates: [StatusUpdatePublished]) -> String {
        let e = HTML.escape
        var out = "<section id=\"\(slug)-preview\" aria-labelledby=\"\(slug)-preview-title\">\n<h3 id=\"\(slug)-preview-title\">Preview: nothing is recorded until you publish</h3>\n<ul class=\"preview\">\n"
        for update in updates {
            let channels = update.channels.map(\.rawValue)
            let named = channels.map(PostmortemText.words).joined(separator: ", ")
            out += "<li data-channels=\"\(e(channels.joined(separator: ",")))\"><p class=\"channels\">\(e(named)) · \(update.text.count) characters</p>"
            out += "<p class=\"text\" dir=\"auto\">\(e(update.text))</p></li>\n"
        }
        return out + "</ul>\n</section>\n"
    }

    private func invalid(_ name: String) -> String {
        form.fieldErrors[name] == nil ? "" : " aria-describedby=\"\(Self.slug)-\(name)-error\" aria-invalid=\"true\""
    }

    private func fieldError(_ name: String) -> String {
        form.fieldErrors[name].map { "<p class=\"field-error\" id=\"\(Self.slug)-\(name)-error\">\(HTML.escape($0))</p>\n" } ?? ""
    }
}
