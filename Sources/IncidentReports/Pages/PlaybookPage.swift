public import IncidentEvents
public import LedgerModel

/// The playbook, for every role: the policy in force (each setting, as `incidents policy show` gives it)
/// and the template library (each template's current version, its channels and texts; retired ones marked).
public enum PlaybookPage {
    /// Where the policy in force came from: nil values for the standard policy, never set.
    public struct Origin: Sendable {
        public var position: UInt64?
        public var setAt: Timestamp?
        public var setBy: String?

        public init(position: UInt64?, setAt: Timestamp?, setBy: String?) {
            self.position = position
            self.setAt = setAt
            self.setBy = setBy
        }
    }

    public static func render(policy: PlaybookPolicy, origin: Origin, templates: [TemplateLibrary.Template], viewer: PageViewer) -> String {
        let e = HTML.escape
        var out = "<header>\n<h1>Playbook</h1>\n<p class=\"note\">The rules every update and maintenance window is checked against, and the prepared messages "
        out += "responders publish from (docs/playbook.md). Read only: <code>incidents policy set</code> and <code>incidents templates add</code> change them.</p>\n</header>\n"

        out += "<section id=\"policy\">\n<h2>The policy in force</h2>\n"
        if let setAt = origin.setAt {
            let by = origin.setBy.map { " by \(HTML.isolated($0))" } ?? ""
            out += "<p>Set \(e(WebPage.minutes(setAt)))\(by)\(origin.position.map { ", event #\($0)" } ?? "").</p>\n"
        } else {
            out += "<p>The standard policy: none was ever set.</p>\n"
        }
        out += "<div class=\"scroll\">\n<table id=\"policy-settings\">\n<thead><tr><th scope=\"col\">Setting</th><th scope=\"col\">Value</th></tr></thead>\n<tbody>\n"
        for (setting, value) in settings(.object(policy.json)) {
            out += "<tr data-setting=\"\(e(setting))\"><th scope=\"row\"><code>\(e(setting).split(separator: ".", omittingEmptySubsequences: false).joined(separator: ".<wbr>"))</code></th><td dir=\"auto\">\(e(value))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</div>\n</section>\n"

        out += "<section id=\"templates\">\n<h2>Templates</h2>\n"
        if templates.isEmpty {
            out += "<p id=\"templates-empty\">The library is empty. Add templates with <code>incidents templates add FILE</code>; the starter library is "
            out += "<code>docs/examples/templates-en.json</code> (and <code>templates-es.json</code>).</p>\n"
        }
        for template in templates {
            let content = template.current
            let id = "template-\(WebPage.segment(content.templateId))"
            out += "<article class=\"template\" id=\"\(e(id))\" data-template=\"\(e(content.templateId))\" data-version=\"\(template.version)\"\(template.isRetired ? " data-retired" : "")>\n"
            out += "<h3><bdi>\(e(content.templateId))</bdi> <span class=\"chip\">version \(template.version)</span>"
            if template.isRetired { out += " <span class=\"chip retired\">retired</span>" }
            out += "</h3>\n<p class=\"muted\">For \(HTML.isolated(content.kind)) · language <code>\(e(content.language))</code> · status \(e(content.status.rawValue))"
            if let retired = template.retired { out += " · retired \(e(WebPage.minutes(retired.at))): \(HTML.isolated(retired.reason))" }
            out += "</p>\n<dl class=\"facts\">\n"
            for text in content.texts {
                out += "<dt>\(e(PostmortemText.words(text.channel.rawValue)))</dt><dd data-channel=\"\(text.channel.rawValue)\" dir=\"auto\" class=\"template-text\">\(e(text.text))</dd>\n"
            }
            out += "</dl>\n</article>\n"
        }
        out += "</section>\n"
        return WebPage.render(title: "Playbook", viewer: viewer, section: .playbook, main: out)
    }

    /// The policy's settings as rows: each leaf's dotted path and its value (a list joined by commas).
    static func settings(_ value: JSONValue, path: String = "") -> [(String, String)] {
        switch value {
        case .object(let members):
            return members.sorted { $0.key < $1.key }.flatMap { key, member in settings(member, path: path.isEmpty ? key : "\(path).\(key)") }
        case .array(let items):
            return [(path, items.map(text).joined(separator: ", "))]
        default:
            return [(path, text(value))]
        }
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .null: "—"
        default: value.canonicalText
        }
    }
}
