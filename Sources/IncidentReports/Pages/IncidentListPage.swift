public import IncidentEvents
public import IncidentProjections
public import LedgerModel

/// The incidents, with `incidents list`'s filters, sortable and paged; open incidents first, each
/// with what is due on it now.
public enum IncidentListPage {
    /// The filters as the form and the links carry them (names as the API's query parameters).
    public struct Filters: Sendable {
        public var status: String?
        public var severity: String?
        public var kind: String?
        public var service: String?
        public var text: String?
        public var period: String?
        public var sort: Sort
        public var descending: Bool
        public var page: Int

        public init(
            status: String? = nil, severity: String? = nil, kind: String? = nil, service: String? = nil, text: String? = nil,
            period: String? = nil, sort: Sort = .declared, descending: Bool = true, page: Int = 1
        ) {
            self.status = status
            self.severity = severity
            self.kind = kind
            self.service = service
            self.text = text
            self.period = period
            self.sort = sort
            self.descending = descending
            self.page = page
        }

        /// The query string of these filters, with another sort or page.
        func query(sort: Sort? = nil, descending: Bool? = nil, page: Int? = nil) -> String {
            let sort = sort ?? self.sort
            return WebPage.query([
                ("status", status), ("severity", severity), ("kind", kind), ("service", service), ("text", text), ("period", period),
                ("sort", sort == .declared ? nil : sort.rawValue), ("order", (descending ?? self.descending) ? nil : "asc"),
                ("page", (page ?? self.page) == 1 ? nil : String(page ?? self.page)),
            ])
        }
    }

    /// The columns the list sorts by.
    public enum Sort: String, Sendable, CaseIterable {
        case declared, severity, status, title, incident
    }

    public static let pageSize = 50

    /// Sorts open incidents first, then by the chosen column.
    public static func sorted(_ incidents: [IncidentSummary], by filters: Filters) -> [IncidentSummary] {
        func key(_ summary: IncidentSummary) -> String {
            switch filters.sort {
            case .declared: summary.declaredAt?.rfc3339 ?? ""
            case .severity: summary.severity?.rawValue ?? "~"
            case .status: String(IncidentPhase.allCases.firstIndex(of: summary.phase) ?? 0)
            case .title: (summary.title ?? "").lowercased()
            case .incident: summary.incident
            }
        }
        return incidents.sorted { left, right in
            if left.isOpen != right.isOpen { return left.isOpen }
            let (a, b) = (key(left), key(right))
            if a != b { return filters.descending ? a > b : a < b }
            return left.incident < right.incident
        }
    }

    /// The page: `incidents` already filtered and sorted (all of them: the page picks its slice).
    public static func render(
        _ incidents: [IncidentSummary], filters: Filters, now: Timestamp, responses: PlaybookPolicy.Responses, viewer: PageViewer, error: String? = nil
    ) -> String {
        let e = HTML.escape
        var out = "<header>\n<h1>Incidents</h1>\n<p id=\"count\" class=\"note\">\(incidents.count) incident\(incidents.count == 1 ? " matches" : "s match"); open ones first, with what is due on each at \(e(WebPage.minutes(now))).</p>\n</header>\n"
        if let error { out += "<p class=\"error\" role=\"alert\">\(e(error))</p>\n" }
        out += filterForm(filters)
        let pages = max(1, (incidents.count + pageSize - 1) / pageSize)
        let page = min(max(1, filters.page), pages)
        let slice = incidents.dropFirst((page - 1) * pageSize).prefix(pageSize)
        if slice.isEmpty {
            out += "<p class=\"muted\">No incident matches these filters.</p>\n"
        } else {
            out += "<div class=\"scroll\">\n<table id=\"incidents\" class=\"incidents\">\n<caption class=\"note\">Page \(page) of \(pages)</caption>\n<thead><tr>"
            for (sort, label) in [(Sort.incident, "Incident"), (.title, "Title"), (.severity, "Severity"), (.status, "Status"), (.declared, "Declared (UTC)")] {
                let active = filters.sort == sort
                let next = active ? !filters.descending : sort == .declared
                let marker = active ? (filters.descending ? " ↓" : " ↑") : ""
                let sortState = active ? " aria-sort=\"\(filters.descending ? "descending" : "ascending")\"" : ""
                out += "<th scope=\"col\"\(sortState)><a href=\"/incidents\(e(filters.query(sort: sort, descending: next, page: 1)))\">\(label)\(marker)</a></th>"
            }
            out += "<th scope=\"col\">Due now</th></tr></thead>\n<tbody>\n"
            for summary in slice {
                out += "<tr data-incident=\"\(e(summary.incident))\"><td><a href=\"\(e(WebPage.incidentPath(summary.incident)))\">\(HTML.isolated(summary.incident))</a></td>"
                out += "<td dir=\"auto\">\(e(summary.title ?? "untitled"))</td>"
                out += "<td>\(summary.severity.map { "<span class=\"chip sev-\($0.rawValue)\">\($0.rawValue)</span>" } ?? "—")</td>"
                out += "<td><span class=\"chip phase-\(summary.phase.rawValue)\">\(summary.phase.rawValue)</span></td>"
                out += "<td class=\"time\">\(e(summary.declaredAt?.rfc3339 ?? "—"))</td><td class=\"due\">\(dueList(summary.due(at: now, responses: responses)))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n</div>\n"
        }
        if pages > 1 {
            out += "<nav class=\"pagination\" aria-label=\"Pages\">"
            if page > 1 { out += "<a rel=\"prev\" href=\"/incidents\(e(filters.query(page: page - 1)))\">← Previous</a>" }
            out += "<span>Page \(page) of \(pages)</span>"
            if page < pages { out += "<a rel=\"next\" href=\"/incidents\(e(filters.query(page: page + 1)))\">Next →</a>" }
            out += "</nav>\n"
        }
        return WebPage.render(title: "Incidents", viewer: viewer, section: .incidents, main: out)
    }

    static func filterForm(_ filters: Filters) -> String {
        let e = HTML.escape
        func select(_ name: String, _ label: String, _ options: [String], _ chosen: String?) -> String {
            var out = "<label for=\"filter-\(name)\">\(label)<select id=\"filter-\(name)\" name=\"\(name)\"><option value=\"\">any</option>"
            for option in options { out += "<option\(option == chosen ? " selected" : "")>\(e(option))</option>" }
            return out + "</select></label>\n"
        }
        func text(_ name: String, _ label: String, _ value: String?, placeholder: String) -> String {
            "<label for=\"filter-\(name)\">\(label)<input id=\"filter-\(name)\" type=\"search\" name=\"\(name)\" value=\"\(e(value ?? ""))\" placeholder=\"\(e(placeholder))\"></label>\n"
        }
        var out = "<form id=\"filters\" class=\"filters\" method=\"get\" action=\"/incidents\" data-autosubmit>\n"
        out += text("text", "Text", filters.text, placeholder: "title or id")
        out += select("status", "Status", ["open"] + IncidentPhase.allCases.map(\.rawValue), filters.status)
        out += select("severity", "Severity", ["sev1", "sev2", "sev3", "sev4"], filters.severity)
        out += select("kind", "Kind", ["unplanned", "scheduled_maintenance"], filters.kind)
        out += text("service", "Service", filters.service, placeholder: "checkout")
        out += text("period", "Declared in", filters.period, placeholder: "2026-Q3, 2026-07")
        if filters.sort != .declared { out += "<input type=\"hidden\" name=\"sort\" value=\"\(filters.sort.rawValue)\">" }
        if !filters.descending { out += "<input type=\"hidden\" name=\"order\" value=\"asc\">" }
        out += "<button type=\"submit\">Filter</button> <a href=\"/incidents\">Clear</a>\n</form>\n"
        return out
    }

    /// What is due, as a short list; a dash when nothing is.
    public static func dueList(_ items: [DueItem]) -> String {
        guard !items.isEmpty else { return "<span class=\"muted\">—</span>" }
        var out = "<ul class=\"due\">"
        for item in items {
            let deadline = item.deadline.prefix(1).uppercased() + item.deadline.dropFirst()
            out += "<li class=\"due-item\" data-kind=\"\(item.kind.rawValue)\"\(item.overdue ? " data-overdue" : "")>"
                + "\(HTML.escape(deadline)): \(HTML.html(item.what))</li>"
        }
        return out + "</ul>"
    }
}
