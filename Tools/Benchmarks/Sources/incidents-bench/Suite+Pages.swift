import Foundation
import IncidentEvents
import IncidentMetrics
import IncidentProjections
import IncidentReports
import IncidentServer
import IncidentService
import LedgerModel
import LedgerStore

/// Rows y0–y5 and z0–z5: the web pages of issue #16, each timed render by render against the plain
/// report renderer of the same data in the same run: the incident page of an incident of 400
/// events, and the review page of a quarter over a generated history's facts. Each is timed three
/// ways: the renderer alone, given the value it presents; server-side, the service's reads and the
/// render as the route does them; and over HTTP.
extension Suite {
    /// The crafted incident of the y rows.
    static let pageIncident = "PAGE-400"
    /// Events of the crafted incident.
    static let pageIncidentEvents = 400
    /// Untimed renders (or requests) before the timed ones, so that caches and memory maps are warm on either side.
    static let pageWarmUp = 3

    mutating func runPageRows() async throws {
        progress("generating \(sizes.pageIncidents) incidents for the page rows")
        let generated = try await Self.generatedLedger(incidents: sizes.pageIncidents, seed: 20_261_207, at: path("pages-ledger"), holdBack: 0)
        let service = LedgerService(ledger: generated.ledger, defaults: RecordingDefaults.system.recorded(by: HTTPWorkload.admin))
        progress("recording \(Self.pageIncident), \(Self.pageIncidentEvents) events")
        for draft in Self.pageIncidentDrafts() { _ = try await service.record(draft) }
        let now = Timestamp.now()
        let context = MetricContext(asOf: now.microsecondsSinceEpoch)
        let loaded = try service.metricFacts()
        let facts = loaded.facts
        guard let period = LedgerService.defaultReviewPeriod(facts) else { throw BenchFailure("the page rows' ledger holds no declared incident") }
        let incident = Self.pageIncident
        guard let report = try service.postmortem(of: incident, asOf: now) else { throw BenchFailure("(y) no \(incident) in the ledger") }
        guard let review = try service.review(of: period, context: context) else { throw BenchFailure("(z) no review of \(period.name)") }
        let viewer = PageViewer(
            holder: "person:\(HTTPWorkload.responder.id)", role: "responder", mayRecordIncidentEvents: true, mayRecordPostmortemEvents: false,
            mayAudit: false, csrf: String(repeating: "c", count: 43))
        // The responder's forms, as the incident page offers them.
        let forms = [
            ("update", "status_update.published"), ("status", "incident.status_changed"), ("message", "customer.message_received"),
            ("reply", "customer.reply_sent"), ("escalate", "escalation.raised"), ("note", "incident.note_added"),
        ].map { RecordingForm(slug: $0.0, title: $0.0, eventType: $0.1) }
        let renders = sizes.pageRenders
        progress("(y, z) \(renders) renders of each page and report, in process")

        // y: the incident page against the postmortem report's HTML of the same incident; z: the
        // review page against the review's HTML of the same quarter. Renderer alone, then server-side.
        let y0 = try Self.timedRenders(renders) { PostmortemHTML.render(report) }
        let y1 = try Self.timedRenders(renders) { PostmortemHTML.render(try service.postmortem(of: incident, asOf: now)!) }
        let responses = PlaybookPolicy.standard.responses
        let y3 = try Self.timedRenders(renders) { IncidentPage.render(report, categories: nil, forms: forms, now: now, responses: responses, viewer: viewer) }
        let y4 = try Self.timedRenders(renders) {
            // As the page's route does: the policy in force (its due deadlines), then the report.
            let inForce = try service.policy().responses
            return IncidentPage.render(try service.postmortem(of: incident, asOf: now)!, categories: nil, forms: forms, now: now, responses: inForce, viewer: viewer)
        }
        let z0 = try Self.timedRenders(renders) { ReviewHTML.render(review) }
        let z1 = try Self.timedRenders(renders) { ReviewHTML.render(try service.review(of: period, context: context)!) }
        let z3 = try Self.timedRenders(renders) { ReviewPage.render(review, viewer: viewer) }
        let z4 = try Self.timedRenders(renders) { ReviewPage.render(try service.review(of: period, context: context)!, viewer: viewer) }
        // Where z1 and z4 spend their time: loading every incident's stored facts, then building the review.
        let loads = try Self.timed(renders) { _ in _ = try service.metricFacts() }
        let builds = try Self.timed(renders) { _ in _ = QuarterlyReview.build(period: period, facts: facts, head: loaded.head, context: context) }

        // Over HTTP: the server in this process, one keep-alive connection, each request awaited; the
        // API with a reviewer's bearer token, the pages with a responder's session cookie.
        progress("(y, z) \(renders) requests of each page and report over HTTP")
        let server = try await BenchServer.start(LedgerServer(service: service, configuration: Self.serverConfiguration, logger: Self.quietLogger).application)
        let reviewer = try await service.createToken(holder: Actor(kind: .person, id: "bench-reviewer@example.com"), role: .reviewer, expiresAt: nil).secret
        let responder = try await service.createToken(holder: HTTPWorkload.responder, role: .responder, expiresAt: nil).secret
        let connection = try LoadConnection(port: server.port)
        let session = try Self.signIn(connection, token: responder)
        let y2 = try Self.timedRequests(renders, connection, "/v1/incidents/\(incident)/postmortem?format=html", token: reviewer)
        let y5 = try Self.timedRequests(renders, connection, "/incidents/\(incident)", cookie: session)
        let z2 = try Self.timedRequests(renders, connection, "/v1/review/\(period.name)?format=html", token: reviewer)
        let z5 = try Self.timedRequests(renders, connection, "/review?period=\(period.name)", cookie: session)
        try await server.stop()

        let target: [Requirement] = [.p99(atMostMilliseconds: 100)]
        let rows: [(String, String, [Double], [Requirement])] = [
            ("y0", "Plain renderer alone: `PostmortemHTML.render` of \(incident)'s report", y0.samples, []),
            ("y1", "Plain, server-side: `LedgerService.postmortem`, then `PostmortemHTML.render`", y1.samples, []),
            ("y2", "Plain over HTTP: `GET /v1/incidents/\(incident)/postmortem?format=html`", y2, []),
            ("y3", "Incident page, renderer alone: `IncidentPage.render` of the same report", y3.samples, target),
            ("y4", "Incident page, server-side: `LedgerService.postmortem`, then `IncidentPage.render`", y4.samples, target),
            ("y5", "Incident page over HTTP: `GET /incidents/\(incident)`", y5, target),
            ("z0", "Plain renderer alone: `ReviewHTML.render` of \(period.name)'s review", z0.samples, []),
            ("z1", "Plain, server-side: `LedgerService.review`, then `ReviewHTML.render`", z1.samples, []),
            ("z2", "Plain over HTTP: `GET /v1/review/\(period.name)?format=html`", z2, []),
            ("z3", "Review page, renderer alone: `ReviewPage.render` of the same review", z3.samples, target),
            ("z4", "Review page, server-side: `LedgerService.review`, then `ReviewPage.render`", z4.samples, target),
            ("z5", "Review page over HTTP: `GET /review?period=\(period.name)`", z5, target),
        ]
        for (label, name, samples, requirements) in rows {
            record(Measurement(
                label: label, name: name, events: samples.count, seconds: samples.reduce(0, +), latency: Latency(samples), table: .pages,
                requirements: requirements))
        }
        func ratio(_ page: [Double], _ plain: [Double]) -> String { Format.factor(Latency(page).p50 / max(Latency(plain).p50, 1e-9)) }
        notes.append(
            "(y, z) \(renders) renders or requests each, one after the other, after \(Self.pageWarmUp) untimed; p50 is the median. "
                + "Page against plain at the median: alone \(ratio(y3.samples, y0.samples)) (y3/y0) and \(ratio(z3.samples, z0.samples)) (z3/z0); "
                + "server-side \(ratio(y4.samples, y1.samples)) (y4/y1) and \(ratio(z4.samples, z1.samples)) (z4/z1); "
                + "over HTTP \(ratio(y5, y2)) (y5/y2) and \(ratio(z5, z2)) (z5/z2). "
                + "Of z1 and z4, `LedgerService.metricFacts()` (every incident's stored facts read and decoded) takes "
                + "\(Format.milliseconds(Latency(loads).p50)) ms at the median and `QuarterlyReview.build` over them \(Format.milliseconds(Latency(builds).p50)) ms.")
        notes.append(
            "(y) \(incident): \(Self.pageIncidentEvents) events crafted for the rows (declared, acknowledged, four status changes, resolved; "
                + "in every ten a public update promising the next, a customer message and its reply, an escalation raised, acknowledged and closed, "
                + "stakeholders told, internal notes), \(report.timeline.entries.count) timeline entries; the report's HTML is "
                + "\(Format.integer(Double(y0.bytes))) bytes, the page's \(Format.integer(Double(y3.bytes))) bytes (with the responder's six forms). "
                + "(z) the review of \(period.name) (the quarter before the latest declaration, as `incidents review` picks it) over "
                + "\(Format.integer(Double(facts.count))) incidents' facts (a `HistoryGenerator` history of \(Format.integer(Double(sizes.pageIncidents))) "
                + "incidents, seed 20261207, and \(incident)), \(review.incidents) of them declared in the quarter; the report's HTML is "
                + "\(Format.integer(Double(z0.bytes))) bytes, the page's \(Format.integer(Double(z3.bytes))) bytes. Server-side rows include "
                + "the service's read (the projections are caught up); the HTTP rows add the routes, sessions or tokens, and the loopback connection.")
    }

    /// Signs in through the sign-in form as a browser does (its double-submit cookie, then the
    /// token) and returns the session's cookie.
    static func signIn(_ connection: LoadConnection, token: String) throws -> String {
        let form = try connection.request("GET", "/sign-in", token: nil, accept: "text/html")
        guard let signIn = cookie("incidents_signin", in: form.headers) else { throw BenchFailure("GET /sign-in set no incidents_signin cookie") }
        let encoded = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text }
        let body = "csrf=\(encoded(signIn))&token=\(encoded(token))"
        let answer = try connection.request(
            "POST", "/sign-in", token: nil, cookie: "incidents_signin=\(signIn)", body: Array(body.utf8), contentType: "application/x-www-form-urlencoded",
            accept: "text/html")
        guard answer.status == 303, let session = cookie("incidents_session", in: answer.headers) else {
            throw BenchFailure("POST /sign-in answered \(answer.status) without a session: \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
        return "incidents_session=\(session)"
    }

    /// The value a `Set-Cookie` header gives the cookie `name`.
    static func cookie(_ name: String, in headers: [(name: String, value: String)]) -> String? {
        for (field, value) in headers where field == "set-cookie" && value.hasPrefix(name + "=") {
            return String(value.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    /// The crafted incident: declared, acknowledged, then in every ten events a public update with
    /// the next one promised, a customer message and its reply, an escalation raised, acknowledged
    /// and closed, stakeholders told and notes; four status changes, a resolution at the end.
    static func pageIncidentDrafts() -> [EventDraft] {
        let start = try! Timestamp(rfc3339: "2026-05-04T08:00:00Z")
        let count = pageIncidentEvents
        return (0..<count).map { index in
            let at = start.adding(seconds: Int64(index) * 60)
            let (type, body): (String, String) =
                switch index {
                case 0:
                    ("incident.declared", #"{"title": "Checkout API returning errors in eu-west-1", "kind": "unplanned", "severity": "sev1", "services": ["checkout-api", "payments"], "regions": ["eu-west-1"], "impactStartedAt": "2026-05-04T07:52:00Z", "detectedAt": "2026-05-04T07:57:00Z"}"#)
                case 1: ("incident.acknowledged", #"{"by": "oncall@example.com"}"#)
                case 2: ("incident.status_changed", #"{"status": "investigating"}"#)
                case 100: ("incident.status_changed", #"{"status": "identified", "note": "A bad gateway pool config"}"#)
                case 200: ("incident.status_changed", #"{"status": "mitigated", "note": "Traffic moved to eu-central-1"}"#)
                case 300: ("incident.status_changed", #"{"status": "monitoring"}"#)
                case count - 1: ("incident.resolved", #"{"summary": "The gateway pool config was rolled back and traffic returned to eu-west-1."}"#)
                default:
                    switch index % 10 {
                    case 0:
                        ("status_update.published", #"{"status": "investigating", "audience": "public", "channels": ["status_page", "email"], "text": "We are still working on errors when paying for orders in Europe (\#(index)).", "nextUpdateBy": "\#(at.adding(seconds: 1800).rfc3339)"}"#)
                    case 1: ("customer.message_received", #"{"messageId": "m-\#(index)", "channel": "email", "customer": "customer-\#(index % 37)", "tier": "enterprise", "subject": "Payments failing (\#(index))"}"#)
                    case 2: ("customer.reply_sent", #"{"inReplyTo": "m-\#(index - 1)", "channel": "email", "customer": "customer-\#((index - 1) % 37)"}"#)
                    case 3: ("escalation.raised", #"{"escalationId": "esc-\#(index)", "fromLevel": "support", "toLevel": "escalation_manager", "reason": "customer_request", "customer": "customer-\#(index % 37)"}"#)
                    case 4: ("escalation.acknowledged", #"{"escalationId": "esc-\#(index - 1)", "by": "escalations@example.com"}"#)
                    case 5: ("escalation.closed", #"{"escalationId": "esc-\#(index - 2)", "resolution": "Workaround given"}"#)
                    case 6: ("stakeholders.notified", #"{"groups": ["account_managers", "customer_success"]}"#)
                    default: ("incident.note_added", #"{"text": "Rolling back gateway pool config; ETA 15 minutes (\#(index))"}"#)
                    }
                }
            let entry = Catalog.entry(for: type)!
            guard case .object(let fields)? = try? JSONParser.parse(Array(body.utf8)) else { fatalError("a crafted body is not a JSON object: \(body)") }
            return EventDraft(
                stream: pageIncident, type: entry.type, schemaVersion: entry.schemaVersion, payload: Payload(fields), occurredAt: at,
                actor: HTTPWorkload.responder, source: "bench")
        }
    }

    /// Renders `count` times after a few untimed renders; the seconds of each and the bytes of the last page.
    static func timedRenders(_ count: Int, _ render: () throws -> String) throws -> (samples: [Double], bytes: Int) {
        for _ in 0..<pageWarmUp { _ = try render() }
        var bytes = 0
        let samples = try timed(count) { _ in
            let page = try render()
            guard !page.isEmpty else { throw BenchFailure("a render gave nothing") }
            bytes = page.utf8.count
        }
        return (samples, bytes)
    }

    /// GETs `path` `count` times on one keep-alive connection after a few untimed requests; the
    /// seconds of each.
    static func timedRequests(_ count: Int, _ connection: LoadConnection, _ path: String, token: String? = nil, cookie: String? = nil) throws -> [Double] {
        let get = {
            let answer = try connection.request("GET", path, token: token, cookie: cookie, accept: "text/html")
            guard answer.status == 200, !answer.body.isEmpty else {
                throw BenchFailure("GET \(path) answered \(answer.status): \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
            }
        }
        for _ in 0..<pageWarmUp { try get() }
        return try timed(count) { _ in try get() }
    }
}
