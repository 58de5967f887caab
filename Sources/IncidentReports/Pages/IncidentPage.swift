public import IncidentProjections
public import IncidentEvents
public import LedgerModel

/// One incident as the people living through it need it: where it stands and what is due, the time
/// axis, the timeline with its filters, the communications log, escalations, response and SLA figures,
/// survey results and the postmortem's state; and, for a responder, the forms to record what happens.
/// Everything but the forms follows the incident live (the script swaps in each `data-live-part`).
public enum IncidentPage {
    /// The state's fields the page shows with their raw values (as `incidents show --json` gives them).
    public static func stateFields(_ summary: IncidentSummary) -> [(field: String, label: String, value: String)] {
        [
            ("phase", "Status", summary.phase.rawValue), ("severity", "Severity", summary.severity?.rawValue ?? ""),
            ("kind", "Kind", summary.kind?.rawValue ?? ""), ("title", "Title", summary.title ?? ""),
            ("eventCount", "Events", String(summary.eventCount)), ("publicUpdateCount", "Public updates", String(summary.publicUpdateCount)),
            ("messageCount", "Customer messages", String(summary.messageCount)), ("escalationCount", "Escalations", String(summary.escalationCount)),
            ("lastPosition", "Last event", String(summary.lastPosition)),
        ]
    }

    /// The state as a list of facts, each value in `dd[data-field]`.
    public static func stateFacts(_ summary: IncidentSummary, extra: [(String, String)] = []) -> String {
        var out = "<dl class=\"facts\">\n"
        for (field, label, value) in stateFields(summary) {
            let shown = value.isEmpty ? "<span class=\"nr\">not recorded</span>" : (field == "title" ? HTML.isolated(value) : HTML.escape(value))
            out += "<dt>\(label)</dt><dd data-field=\"\(field)\" data-value=\"\(HTML.escape(value))\">\(shown)</dd>\n"
        }
        for (label, html) in extra { out += "<dt>\(HTML.escape(label))</dt><dd>\(html)</dd>\n" }
        return out + "</dl>\n"
    }

    /// The page. `categories` filters the timeline (nil: every kind); `template` is the form publishing an
    /// update from a template, shown after the update form; `notice` says what was just recorded.
    public static func render(
        _ report: PostmortemReport, categories: Set<EventDescription.Category>?, forms: [RecordingForm], template: TemplateForm? = nil,
        now: Timestamp, responses: PlaybookPolicy.Responses, viewer: PageViewer, notice: String? = nil
    ) -> String {
        let e = HTML.escape
        let summary = report.summary
        let incident = report.incident
        let path = WebPage.incidentPath(incident)
        var out = HTMLWriter()
        out.raw("<header>\n<p class=\"eyebrow\">Incident · \(HTML.isolated(incident))</p>\n<h1 dir=\"auto\">\(e(summary.title ?? "untitled"))</h1>\n<p class=\"chips\">")
        if let severity = summary.severity { out.raw("<span class=\"chip sev-\(severity.rawValue)\">\(severity.rawValue)</span>") }
        if let kind = summary.kind { out.raw("<span class=\"chip\">\(e(PostmortemText.words(kind.rawValue)))</span>") }
        out.raw("<span class=\"chip phase-\(summary.phase.rawValue)\">\(summary.phase.rawValue)</span></p>\n")
        out.raw("<p class=\"downloads\"><a href=\"\(e(path))/replay\">Replay</a><a href=\"\(e(path))/postmortem\">Postmortem</a></p>\n")
        out.raw("<p id=\"live-status\" role=\"status\" aria-live=\"polite\">\(notice.map(e) ?? "")</p>\n</header>\n")

        // Where it stands, and what is due.
        out.raw("<div id=\"part-state\" data-live-part>\n<section id=\"state\">\n<h2>Where it stands</h2>\n")
        var extra: [(String, String)] = [
            ("Declared", e(summary.declaredAt?.rfc3339 ?? "—")),
            ("Next update promised by", e(summary.nextUpdatePromisedBy?.rfc3339 ?? "—")),
            ("ETA given", e(summary.etaAt?.rfc3339 ?? "—")),
            ("Services", summary.services.isEmpty ? "—" : summary.services.map(HTML.isolated).joined(separator: ", ")),
            ("Regions", summary.regions.isEmpty ? "—" : summary.regions.map(HTML.isolated).joined(separator: ", ")),
            ("Responders", summary.responders.isEmpty ? "—" : summary.responders.map { "\(HTML.isolated($0.person)) (\(e(PostmortemText.words($0.role.rawValue))))" }.joined(separator: ", ")),
        ]
        extra.append(("Due now", IncidentListPage.dueList(summary.due(at: now, responses: responses))))
        out.raw(stateFacts(summary, extra: extra))
        out.raw("</section>\n</div>\n")

        if viewer.mayRecordIncidentEvents, !forms.isEmpty {
            out.raw("<section id=\"record\">\n<h2>Record what happens</h2>\n<p class=\"note\">Recorded in your name (\(HTML.isolated(viewer.holder))) with source <code>web</code>, checked by the same rules as <code>incidents</code> on the command line.</p>\n")
            for form in forms {
                out.raw(form.render(action: "\(path)/record/\(form.slug)", viewer: viewer))
                if form.eventType == StatusUpdatePublished.type, let template { out.raw(template.render(action: "\(path)/\(TemplateForm.slug)", viewer: viewer)) }
            }
            out.raw("</section>\n")
        }

        out.raw("<div id=\"part-picture\" data-live-part>\n")
        PostmortemHTML.picture(report, into: &out)
        out.raw("</div>\n")

        // The timeline, with its filter outside the live part so a choice in progress survives an update.
        out.raw("<section id=\"timeline\">\n<h2>Timeline</h2>\n")
        out.raw("<form id=\"timeline-filter\" class=\"inline\" method=\"get\" action=\"\(e(path))\" data-autosubmit>\n<fieldset><legend>Show</legend>\n")
        for category in EventDescription.Category.allCases {
            let checked = categories?.contains(category) ?? true
            out.raw("<label for=\"kind-\(category.rawValue)\"><input id=\"kind-\(category.rawValue)\" type=\"checkbox\" name=\"kind\" value=\"\(category.rawValue)\"\(checked ? " checked" : "")> \(category.rawValue)</label>\n")
        }
        out.raw("</fieldset>\n<button type=\"submit\">Apply</button>\n</form>\n")
        out.raw("<div id=\"part-timeline\" data-live-part class=\"scroll\">\n")
        PostmortemHTML.timelineTable(report, categories: categories, anchored: true, into: &out)
        out.raw("</div>\n</section>\n")

        for (part, write) in [
            ("communications", PostmortemHTML.communications), ("hand-offs", PostmortemHTML.handOffs), ("escalations", PostmortemHTML.escalations),
            ("figures", PostmortemHTML.figures),
            ("satisfaction", PostmortemHTML.satisfaction), ("follow-up", PostmortemHTML.followUp),
        ] as [(String, (PostmortemReport, inout HTMLWriter) -> Void)] {
            out.raw("<div id=\"part-\(part)\" data-live-part>\n")
            write(report, &out)
            out.raw("</div>\n")
        }
        let live = "\(path)/live?from=\(report.source.headPosition + 1)"
        return WebPage.render(title: "\(incident) — \(summary.title ?? "untitled")", viewer: viewer, section: .incidents, main: out.text, live: live)
    }
}
