public import IncidentMetrics

/// The quarterly review: a period picker, the figures beside the previous period's, the charts and
/// breakdowns, each figure linked to the incidents behind it, and the CSV download.
public enum ReviewPage {
    public static func render(_ review: QuarterlyReview, viewer: PageViewer) -> String {
        let e = HTML.escape
        let period = review.period.name
        var out = "<form id=\"period\" class=\"inline\" method=\"get\" action=\"/review\">\n<label for=\"period-name\">Period<input id=\"period-name\" type=\"text\" name=\"period\" value=\"\(e(period))\" placeholder=\"2026-Q3, 2026-07 or 2026-07-01..2026-10-01\"></label>\n<button type=\"submit\">Show</button>\n"
        out += "<a href=\"/review?period=\(e(WebPage.segment(review.previousPeriod.name)))\">← \(e(review.previousPeriod.name))</a>\n</form>\n"
        out += "<p class=\"downloads\"><a class=\"download\" data-format=\"csv\" href=\"/v1/review/\(e(WebPage.segment(period)))?format=csv\" download>Download CSV</a>"
        out += "<a class=\"download\" data-format=\"json\" href=\"/v1/review/\(e(WebPage.segment(period)))?format=json\" download>Download JSON</a></p>\n"
        let links = ReviewHTML.Links(
            metric: { "/review/metric/\(WebPage.segment($0))?period=\(WebPage.segment(period))" }, incident: { WebPage.incidentPath($0) })
        out += ReviewHTML.body(review, links: links)
        return WebPage.render(title: "Review \(period)", viewer: viewer, section: .review, main: out)
    }

    /// The incidents behind one metric's figure in a period: the figure per incident.
    public static func drill(_ result: MetricResult, period: String, viewer: PageViewer) -> String {
        let e = HTML.escape
        var out = "<header>\n<p class=\"eyebrow\"><a href=\"/review?period=\(e(WebPage.segment(period)))\">Review \(e(period))</a></p>\n<h1>\(e(result.title))</h1>\n"
        out += "<p class=\"note\">\(e(result.metric)) v\(result.version), \(e(period)): \(e(MetricFormatting.headline(result.overall))) over \(result.overall.count) sample\(result.overall.count == 1 ? "" : "s") from \(result.incidents) incident\(result.incidents == 1 ? "" : "s").</p>\n</header>\n"
        if result.groups.isEmpty {
            out += "<p class=\"muted\">No incident in the period has this figure.</p>\n"
        } else {
            out += "<div class=\"scroll\">\n<table id=\"drill\">\n<thead><tr><th scope=\"col\">Incident</th><th scope=\"col\" class=\"num\">Figure</th><th scope=\"col\" class=\"num\">n</th><th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n"
            for group in result.groups {
                out += "<tr data-incident=\"\(e(group.name))\"><th scope=\"row\"><a href=\"\(e(WebPage.incidentPath(group.name)))\">\(HTML.isolated(group.name))</a></th>"
                out += "<td class=\"num\">\(e(MetricFormatting.headline(group.value)))</td><td class=\"num\">\(group.value.count)</td><td>\(e(MetricFormatting.detail(group.value)))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n</div>\n"
        }
        return WebPage.render(title: "\(result.title) \(period)", viewer: viewer, section: .review, main: out)
    }
}
