public import IncidentProjections

/// The postmortem report of an incident, with its downloads (Markdown, HTML, JSON), and for a reviewer
/// the forms to record the review: started, root cause, contributing factors, action items.
public enum PostmortemPage {
    public static func render(_ report: PostmortemReport, forms: [RecordingForm], viewer: PageViewer, notice: String? = nil) -> String {
        let e = HTML.escape
        let path = WebPage.incidentPath(report.incident)
        var out = "<p class=\"downloads\"><a href=\"\(e(path))\">← The incident</a>"
        for (format, label) in [("markdown", "Markdown"), ("html", "HTML"), ("json", "JSON")] {
            out += "<a class=\"download\" data-format=\"\(format)\" href=\"/v1/incidents/\(e(WebPage.segment(report.incident)))/postmortem?format=\(format)\" download>Download \(label)</a>"
        }
        out += "</p>\n"
        if let notice { out += "<p class=\"ok\" role=\"status\">\(e(notice))</p>\n" }
        if viewer.mayRecordPostmortemEvents, !forms.isEmpty {
            out += "<section id=\"record\">\n<h2>Record the review</h2>\n<p class=\"note\">Recorded in your name (\(HTML.isolated(viewer.holder))); the report below follows.</p>\n"
            for form in forms { out += form.render(action: "\(path)/record/\(form.slug)", viewer: viewer) }
            out += "</section>\n"
        }
        out += PostmortemHTML.body(report)
        return WebPage.render(title: "Postmortem \(report.incident)", viewer: viewer, section: .incidents, main: out)
    }
}
