public import IncidentProjections
public import LedgerModel

/// An incident replayed to a moment: the state as it was known then ("as known") or as it stood then
/// with everything learned since ("as occurred"), and the events up to it. A range input steps event by
/// event; the address holds the moment, so a reviewer can send a link to "what we knew at 23:40".
public enum ReplayPage {
    public enum Mode: String, Sendable, CaseIterable {
        case known, occurred
    }

    /// One step: an event and the moment it was known (or happened).
    public struct Step: Sendable {
        public var position: UInt64
        public var moment: Timestamp
        public var text: String

        public init(position: UInt64, moment: Timestamp, text: String) {
            self.position = position
            self.moment = moment
            self.text = text
        }
    }

    /// The steps of an incident's events in the mode's order: by when each was known, or happened.
    /// From the timeline, one pass over the events: the page needs each step's moment and words, not
    /// the state after every step (which ``Replay/steps(_:events:)`` folds, in time growing with the
    /// square of the events).
    public static func steps(_ timeline: Timeline, mode: Mode) -> [Step] {
        timeline.entries.map { entry in
            Step(position: entry.position, moment: mode == .known ? entry.knownAt : entry.occurredAt, text: entry.text)
        }
        .sorted { ($0.moment, $0.position) < ($1.moment, $1.position) }
    }

    /// The page at `moment`, where `step` (1-based) is the last step at or before it. `state` is nil when
    /// nothing of the incident was known (or had happened) by then.
    public static func render(
        incident: String, title: String?, steps: [Step], mode: Mode, moment: Timestamp, step: Int, state: IncidentSummary?, viewer: PageViewer
    ) -> String {
        let e = HTML.escape
        let path = WebPage.incidentPath(incident)
        var out = "<header>\n<p class=\"eyebrow\">Replay · <a href=\"\(e(path))\">\(HTML.isolated(incident))</a></p>\n<h1 dir=\"auto\">\(e(title ?? "untitled"))</h1>\n"
        let how = mode == .known ? "as the ledger knew it at" : "as it stood at, with every later correction applied,"
        out += "<p id=\"replay-moment\" data-at=\"\(e(moment.rfc3339))\">The incident \(how) <strong class=\"time\">\(e(moment.rfc3339))</strong>\(step > 0 ? " — step \(step) of \(steps.count)" : "").</p>\n</header>\n"

        out += "<form id=\"replay\" class=\"inline replay-control\" method=\"get\" action=\"\(e(path))/replay\">\n"
        out += "<fieldset><legend>Replay</legend>\n"
        for (value, label) in [(Mode.known, "as known then"), (.occurred, "as it occurred")] {
            out += "<label for=\"mode-\(value.rawValue)\"><input id=\"mode-\(value.rawValue)\" type=\"radio\" name=\"mode\" value=\"\(value.rawValue)\"\(mode == value ? " checked" : "")> \(label)</label>\n"
        }
        out += "</fieldset>\n"
        let moments = steps.map(\.moment.rfc3339).joined(separator: " ")
        out += "<label for=\"replay-step\">Step<span id=\"replay-step-moment\" class=\"hint\">\(step > 0 ? "Step \(step): \(e(steps[step - 1].moment.rfc3339))" : "")</span></label>\n"
        out += "<input id=\"replay-step\" type=\"range\" name=\"step\" min=\"1\" max=\"\(max(1, steps.count))\" value=\"\(max(1, step))\" data-moments=\"\(e(moments))\">\n"
        out += "<button type=\"submit\">Show step</button>\n</form>\n"

        out += "<form id=\"replay-time\" class=\"inline\" method=\"get\" action=\"\(e(path))/replay\">\n<input type=\"hidden\" name=\"mode\" value=\"\(mode.rawValue)\">\n"
        out += "<label for=\"replay-at\">Moment (UTC)<input id=\"replay-at\" type=\"text\" name=\"at\" value=\"\(e(moment.rfc3339))\" placeholder=\"2026-03-14 23:40\"></label>\n<button type=\"submit\">Show moment</button>\n</form>\n"

        out += "<nav class=\"pagination\" aria-label=\"Steps\">"
        if step > 1 { out += "<a id=\"step-prev\" href=\"\(e(path))/replay\(e(WebPage.query([("mode", mode.rawValue), ("step", String(step - 1))])))\">← Previous event</a>" }
        if step < steps.count { out += "<a id=\"step-next\" href=\"\(e(path))/replay\(e(WebPage.query([("mode", mode.rawValue), ("step", String(step + 1))])))\">Next event →</a>" }
        out += "</nav>\n"

        out += "<section id=\"replay-state\">\n<h2>State at that moment</h2>\n"
        if let state {
            var extra: [(String, String)] = [
                ("Next update promised by", e(state.nextUpdatePromisedBy?.rfc3339 ?? "—")), ("ETA given", e(state.etaAt?.rfc3339 ?? "—")),
            ]
            extra.append(("Awaiting a reply", state.awaitingReply.isEmpty ? "—" : state.awaitingReply.map { HTML.isolated($0.customer) }.joined(separator: ", ")))
            out += IncidentPage.stateFacts(state, extra: extra)
        } else {
            out += "<p class=\"muted\">Nothing of this incident was \(mode == .known ? "known" : "recorded as having happened") by then.</p>\n"
        }
        out += "</section>\n<section id=\"replay-steps\">\n<h2>Events up to that moment</h2>\n<ol class=\"steps\">\n"
        for (index, item) in steps.enumerated() where index < step {
            out += "<li\(index + 1 == step ? " aria-current=\"step\"" : "")><span class=\"time\">\(e(item.moment.rfc3339))</span> <span class=\"muted\">#\(item.position)</span> \(HTML.isolated(item.text))</li>\n"
        }
        out += "</ol>\n</section>\n"
        return WebPage.render(title: "Replay \(incident)", viewer: viewer, section: .incidents, main: out)
    }
}
