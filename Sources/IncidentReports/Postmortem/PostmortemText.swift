import Foundation
public import IncidentEvents
public import LedgerModel
public import IncidentProjections

/// The postmortem's wording: every sentence and number format built once, so Markdown, HTML and JSON
/// say the same and each format only renders it (values from events stay apart in a ``MixedText``;
/// `code` and `flag` let a format mark a vocabulary value or a bad figure its own way).
public enum PostmortemText {
    /// A duration for people: `45s`, `14m`, `14m 30s`, `1h 14m`, `2d 3h 5m`; negative ones with a minus sign.
    public static func duration(_ seconds: Int64) -> String {
        if seconds < 0 { return "−" + duration(-seconds) }
        if seconds < 60 { return "\(seconds)s" }
        let days = seconds / 86_400
        let hours = seconds % 86_400 / 3600
        let minutes = seconds % 3600 / 60
        let rest = seconds % 60
        if days > 0 { return ["\(days)d", hours > 0 ? "\(hours)h" : nil, minutes > 0 ? "\(minutes)m" : nil].compactMap { $0 }.joined(separator: " ") }
        if hours > 0 { return minutes > 0 ? "\(hours)h \(minutes)m" : "\(hours)h" }
        return rest > 0 ? "\(minutes)m \(rest)s" : "\(minutes)m"
    }

    public static let notRecorded = "not recorded"

    /// The warning above the figures of an incident whose source never recorded its times.
    public static func unknownTimesNote(_ unknown: UnknownTimes) -> String {
        switch unknown {
        case .all: "The source never recorded this incident's times (\(unknown.reason)): the figures below measure when it was posted, not the response, and the metrics leave them out."
        case .start: "The source's start conflicts with its end (\(unknown.reason)): the figures from the declaration below are not the response's, and the metrics leave them out."
        }
    }

    /// The footer's sentence on where the report came from and when it was made, for Markdown and HTML
    /// (`code` wraps the chain head).
    public static func provenance(_ source: PostmortemReport.Source, code: (String) -> String) -> String {
        "Built from ledger position \(source.headPosition), chain head \(code(source.headHash.hex)) (last recorded \(source.lastRecorded.rfc3339)); "
            + "promises and action items judged as of \(source.asOf.rfc3339), the time the report was made. The incident's last event is at position "
            + "\(source.incidentLastPosition); it has \(source.incidentEventCount) events, \(source.correctionCount) correction\(source.correctionCount == 1 ? "" : "s") "
            + "and \(source.retractionCount) retraction\(source.retractionCount == 1 ? "" : "s")."
    }

    /// A moment's name in a sentence.
    public static func label(_ kind: ResponseFigures.MomentKind) -> String {
        switch kind {
        case .impactStarted: "impact started"
        case .detected: "detected"
        case .declared: "declared"
        case .acknowledged: "acknowledged"
        case .firstPublicUpdate: "first public update"
        case .firstEscalation: "first escalation"
        case .mitigated: "mitigated"
        case .resolved: "resolved"
        case .messageReceived: "message received"
        case .firstReply: "first reply"
        case .threatToLeave: "threat to leave"
        case .executiveContact: "executive contact"
        }
    }

    /// "#12" or "#12, corrected by #30, #31": the events behind a moment.
    public static func provenance(_ moment: ResponseFigures.Moment) -> String {
        provenance(position: moment.position, correctedBy: moment.correctedBy)
    }

    /// "#12" or "#12, corrected by #30, #31": the event that recorded something and its corrections.
    public static func provenance(position: UInt64, correctedBy: [UInt64]) -> String {
        "#\(position)" + (correctedBy.isEmpty ? "" : ", corrected by \(positions(correctedBy))")
    }

    public static func positions(_ positions: [UInt64]) -> String {
        positions.map { "#\($0)" }.joined(separator: ", ")
    }

    /// A vocabulary value for people: `escalation_manager` → `escalation manager`.
    public static func words(_ raw: String) -> String {
        raw.replacing("_", with: " ")
    }

    /// A count with thousands separators: 1,200.
    public static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// Customers affected and where the number comes from: "1,200 (#12)", or "172, the distinct
    /// customers who wrote in (no scope change gave a number)".
    public static func customersAffected(_ affected: ResponseFigures.CustomersAffected?) -> String {
        guard let affected else { return notRecorded }
        guard let position = affected.recordedIn else { return "\(count(affected.count)), the distinct customers who wrote in (no scope change gave a number)" }
        return "\(count(affected.count)) (#\(position))"
    }

    /// A list for a sentence, or "not recorded" when empty.
    public static func list(_ items: [String]) -> String {
        items.isEmpty ? notRecorded : items.joined(separator: ", ")
    }

    /// The severity as the summary gives it: "sev2 (declared sev3)".
    public static func severity(_ report: PostmortemReport, code: (String) -> String) -> String {
        var severity = report.figures.scope.severity.map { code($0.rawValue) } ?? notRecorded
        if let declared = report.declaredSeverity, declared != report.figures.scope.severity { severity += " (declared \(code(declared.rawValue)))" }
        return severity
    }

    /// The status as the summary gives it: "resolved; last public status resolved; reopened 1×; postmortem started".
    public static func status(_ report: PostmortemReport, code: (String) -> String) -> String {
        let summary = report.summary
        var status = code(report.phase.rawValue)
        if let last = summary.lastPublicStatus { status += "; last public status \(code(last.rawValue))" }
        if summary.reopenCount > 0 { status += "; reopened \(summary.reopenCount)×" }
        return status + "; postmortem \(summary.postmortem == .none ? "not started" : summary.postmortem.rawValue)"
    }

    /// What a duration ran between: "impact started 2026-… → resolved 2026-…".
    public static func span(_ start: ResponseFigures.Moment, _ stop: ResponseFigures.Moment) -> String {
        "\(label(start.kind)) \(start.at.rfc3339) → \(label(stop.kind)) \(stop.at.rfc3339)"
    }

    /// The announced window of a scheduled maintenance, or nil for any other incident.
    public static func plannedWindow(_ summary: IncidentSummary) -> String? {
        guard summary.kind == .scheduledMaintenance, let start = summary.plannedStart, let end = summary.plannedEnd else { return nil }
        return "\(start.rfc3339) – \(end.rfc3339)"
    }

    /// The longest gap between public updates while open, and after which update and until when it ran;
    /// nil when there was no public update while open.
    public static func longestGap(_ report: PostmortemReport) -> (seconds: Int64, rest: String)? {
        guard let gap = report.figures.longestUpdateGap, let update = report.updates.first(where: { $0.position == gap.afterPosition }) else { return nil }
        return (gap.seconds, ", after U\(update.number) (#\(update.position)) at \(gap.from.rfc3339), until \(gapEnd(gap))")
    }

    /// "4 made — 2 kept, 1 missed, 1 not yet due"; `flag` marks a missed count above zero.
    public static func promises(_ promises: ResponseFigures.UpdatePromises, flag: (String) -> String) -> String {
        "\(promises.made) made — \(promises.kept) kept, " + (promises.missed.isEmpty ? "0 missed" : flag("\(promises.missed.count) missed"))
            + (promises.pending > 0 ? ", \(promises.pending) not yet due" : "")
    }

    /// One line per missed promise of a next update: "U2 (#9): next update promised by …".
    public static func missedPromises(_ report: PostmortemReport) -> [String] {
        report.figures.updatePromises.missed.map { missed in
            let number = report.updates.first { $0.position == missed.promisedIn }.map { "U\($0.number) " } ?? ""
            return "\(number)(#\(missed.promisedIn)): \(Self.missed(missed))"
        }
    }

    /// A status update's heading: "U2 · 2026-… · identified".
    public static func heading(_ update: PostmortemReport.PublicUpdate) -> String {
        "U\(update.number) · \(update.at.rfc3339) · \(words(update.status.rawValue))"
    }

    /// Who a status update went to, where, and who wrote it: "public · status page, email · #9 · by <actor>".
    public static func byline(_ update: PostmortemReport.PublicUpdate) -> MixedText {
        "\(words: words(update.audience.rawValue)) · \(words: update.channels.map { words($0.rawValue) }.joined(separator: ", ")) · #\(update.position) · by \(update.actor)"
    }

    /// The promise a status update made of the next one and whether it was kept; nil when it made none
    /// (a missed one is ``missed(_:)``).
    public static func nextUpdate(_ update: PostmortemReport.PublicUpdate) -> String? {
        update.nextUpdateBy.map { "Next update promised by \($0.rfc3339) — \(update.promise == .pending ? "not yet due" : "kept")." }
    }

    /// "ETA given: 2026-…."
    public static func etaGiven(_ eta: Timestamp) -> String { "ETA given: \(eta.rfc3339)." }

    /// Why an escalation was raised, with its note.
    public static func reason(_ escalation: PostmortemReport.Escalation) -> MixedText {
        let reason: MixedText = "\(words: words(escalation.reason.rawValue))"
        return escalation.note.map { reason + ": \($0)" } ?? reason
    }

    /// What happened to an escalation after it was raised, one step.
    public static func step(_ step: PostmortemReport.Escalation.Step) -> MixedText {
        switch step.kind {
        case .acknowledged: "taken on by \(step.text) at \(step.at) (#\(step.position))"
        case .deescalated: "down to \(words: words(step.level?.rawValue ?? "")) at \(step.at) (#\(step.position)): \(step.text)"
        case .closed: "closed at \(step.at) (#\(step.position)): \(step.text)"
        }
    }

    /// Where the postmortem stands: "started 2026-… by <owner>, due 2026-…; published 2026-…", and the
    /// document's address when it was published with one (each format shows an address its own way).
    public static func reviewState(_ review: PostmortemReport.Review) -> (state: MixedText, url: String?) {
        var state: MixedText = review.startedAt.map { "started \($0)" } ?? "not started"
        if let owner = review.owner { state += " by \(owner)" }
        if let due = review.dueAt { state += ", due \(due)" }
        guard let published = review.publishedAt else { return (state + "; not published", nil) }
        return (state + "; published \(published)", review.documentUrl)
    }

    /// What the impact moments are called, in the order the impact section lists them.
    public static func impactMoments(_ report: PostmortemReport) -> [(label: String, moment: ResponseFigures.Moment?, note: String?)] {
        let figures = report.figures
        let mitigated = figures.timeToMitigateFromDeclaration.stop
        let mitigationNote = mitigated?.kind == .resolved ? "no mitigated status recorded: the resolution stops the clock" : nil
        return [
            ("Impact started", figures.timeToDetect.start, nil),
            ("Detected", figures.timeToDetect.stop, report.detectedBy.map { "by \(words($0.rawValue))" }),
            ("Declared", figures.timeToEscalate.start, nil),
            ("Acknowledged", figures.timeToAcknowledge.stop, nil),
            ("Mitigated", mitigated, mitigationNote),
            ("Resolved", figures.timeToResolveFromDeclaration.stop, report.isOpen ? "still open" : nil),
        ]
    }

    /// The sentence for a missed update promise.
    public static func missed(_ missed: Timeline.MissedUpdate) -> String {
        if let fulfilled = missed.fulfilledAt {
            return "next update promised by \(missed.promisedBy.rfc3339); the next came at \(fulfilled.rfc3339), \(duration(missed.lateBySeconds)) late"
        }
        return "next update promised by \(missed.promisedBy.rfc3339); none had come by the report time, \(duration(missed.lateBySeconds)) late"
    }

    /// How a gap between public updates ended, as a phrase.
    public static func gapEnd(_ gap: ResponseFigures.UpdateGap) -> String {
        switch gap.endedBy {
        case .nextUpdate: "the next public update at \(gap.to.rfc3339)"
        case .resolution: "the resolution at \(gap.to.rfc3339)"
        case .ledgerEnd: "the report time, \(gap.to.rfc3339) (still open)"
        }
    }

    /// The ETA sentence, or nil when no ETA was given.
    public static func eta(_ eta: ResponseFigures.ETAComparison?) -> String {
        guard let eta else { return "\(notRecorded): no public update gave an ETA" }
        let given = eta.etasGiven == 1 ? "1 ETA given" : "\(eta.etasGiven) ETAs given"
        let promised = "last ETA \(eta.eta.rfc3339), given at \(eta.promisedAt.rfc3339) (#\(eta.promisedIn); \(given))"
        guard let late = eta.lateBySeconds, let resolved = eta.resolved else { return "\(promised); not resolved yet" }
        let verdict = late > 0 ? "\(duration(late)) after the ETA" : late < 0 ? "\(duration(-late)) before the ETA" : "exactly at the ETA"
        return "\(promised); resolved at \(resolved.at.rfc3339), \(verdict)"
    }

    /// How many of the playbook's rules the incident's events broke, in one sentence.
    public static func playbookSummary(_ report: PostmortemReport) -> String {
        let findings = report.playbookFindings
        guard !findings.isEmpty else { return "Every update kept the playbook's rules (docs/playbook-rules.md)." }
        let events = Set(findings.map(\.position)).count
        let rules = Set(findings.map(\.finding.rule)).count
        return "\(findings.count) check\(findings.count == 1 ? "" : "s") broken by \(events) event\(events == 1 ? "" : "s"), \(rules) rule\(rules == 1 ? "" : "s") in all (docs/playbook-rules.md):"
    }

    /// An action item's state as a word.
    public static func state(_ item: PostmortemReport.ActionItem) -> String {
        switch item.state {
        case .open: "open"
        case .overdue: "overdue"
        case .done: "done \(item.completedAt?.rfc3339 ?? "")"
        }
    }

    /// A survey's scale as people read it.
    public static func scale(_ scale: SurveyScale) -> String {
        switch scale {
        case .csat: "CSAT (1–5)"
        case .nps: "NPS (0–10)"
        }
    }

    /// One line per scale: how many were sent and answered, and the mean or NPS.
    public static func surveyScore(_ score: PostmortemReport.SurveyScore) -> String {
        var text = "\(scale(score.scale)): \(score.sent) sent, \(score.answered) answered"
        if score.expired > 0 { text += ", \(score.expired) expired" }
        // As the quarterly review writes the same figures: a mean to two decimals, an NPS signed and whole.
        if let mean = score.mean { text += "; mean \(String(format: "%.2f", mean))" }
        if let nps = score.netPromoterScore { text += "; NPS \(String(format: "%+.0f", nps))" }
        return text
    }
}

extension PostmortemText {
    /// The review's headings, in report order, each with the kind of finding it holds and its HTML anchor.
    public static let findingHeadings: [(kind: PostmortemFindingKind, id: String, heading: String)] = [
        (.wentWell, "went-well", "What went well"), (.couldBeBetter, "could-be-better", "What could be better"),
        (.gotLucky, "got-lucky", "Where we got lucky"),
    ]

    /// What a heading of the review says while no finding stands under it.
    public static let noFindings = "To be written by the review."

    /// Who raised a finding and where it is recorded: "dana@example.com (#41)".
    public static func findingSource(_ finding: PostmortemReport.ReviewFinding) -> MixedText {
        "\(finding.author) (\(words: provenance(position: finding.finding.position, correctedBy: finding.finding.correctedBy)))"
    }

    /// Who handed the incident to whom: "dana@example.com (emea) → kenji@example.com (apac)".
    public static func handOffParties(_ handOff: PostmortemReport.HandOff) -> MixedText {
        func party(_ person: String, _ shift: String?) -> MixedText { shift.map { "\(person) (\($0))" } ?? "\(person)" }
        return party(handOff.from, handOff.fromShift) + " → " + party(handOff.to, handOff.toShift)
    }
}

extension PostmortemText {
    /// Which of the incident's customers were in the executive sponsorship programme while it was open.
    public static func sponsoredCustomers(_ report: PostmortemReport) -> MixedText {
        guard !report.sponsoredCustomers.isEmpty else { return "No customer of this incident was in the executive sponsorship programme while it was open." }
        let list = report.sponsoredCustomers.enumerated().map { index, sponsored -> MixedText in
            (index == 0 ? "" : ", ") + "\(sponsored.customer) (sponsor \(sponsored.sponsor))"
        }.reduce(MixedText(), +)
        return "In the executive sponsorship programme while the incident was open: " + list + "."
    }

    /// One enrolment or departure: "acme enrolled, sponsor coo@example.com, at 2026-… (#12)".
    public static func sponsorshipChange(_ change: ResponseFigures.SponsorshipChange) -> MixedText {
        let what: MixedText = change.sponsor.map { "\(change.customer) enrolled, sponsor \($0)," } ?? "\(change.customer) left the programme"
        return what + " at \(change.at) (#\(change.position))"
    }

    /// How an executive's contact was recorded, as a phrase.
    public static func contactKind(_ kind: ResponseFigures.ExecutiveContactKind) -> String {
        switch kind {
        case .escalationAcknowledged: "an executive took the escalation on"
        case .sponsorshipEnrolled: "an executive sponsor was assigned"
        }
    }
}

extension PostmortemText {
    /// An incident with more customer messages than this is busy: its picture counts messages per
    /// interval and its reply table lists only the slowest (``replyListing(_:)``).
    public static let busyMessages = 50
    /// How many messages a busy incident's reply table lists.
    public static let repliesListed = 20

    /// The replies a report's table lists, and what it collapses.
    public struct ReplyListing: Sendable {
        /// The messages listed, in the order they were received.
        public var listed: [ResponseFigures.FirstReply]
        /// The sentence on the messages left out, nil when every one is listed.
        public var collapsed: String?
    }

    /// Every message, or for a busy incident the ``repliesListed`` slowest (the unanswered first, then
    /// the longest waits, earlier first among equals) with one sentence on the rest.
    public static func replyListing(_ report: PostmortemReport) -> ReplyListing {
        let all = report.figures.firstReplies
        guard all.count > busyMessages else { return ReplyListing(listed: all, collapsed: nil) }
        let ranked = all.indices.sorted { a, b in
            let (first, second) = (all[a].figure.seconds ?? .max, all[b].figure.seconds ?? .max)
            return first != second ? first > second : a < b
        }
        let listed = Set(ranked.prefix(repliesListed))
        let rest = all.indices.filter { !listed.contains($0) }.map { all[$0] }
        let waits = rest.compactMap(\.figure.seconds).sorted()
        var parts = [String]()
        if let longest = waits.last {
            let middle = waits.count / 2
            let median = waits.count % 2 == 1 ? Double(waits[middle]) : Double(waits[middle - 1] + waits[middle]) / 2
            parts.append("\(waits.count) were answered in a median of \(duration(Int64(median.rounded(.toNearestOrEven)))), the longest \(duration(longest))")
        }
        if rest.count > waits.count { parts.append("\(rest.count - waits.count) were not answered") }
        let sentence = "A busy incident: the \(repliesListed) slowest of \(all.count) messages are listed (unanswered first); of the other \(rest.count), "
            + parts.joined(separator: " and ") + ". The JSON form lists every one."
        return ReplyListing(listed: all.indices.filter(listed.contains).map { all[$0] }, collapsed: sentence)
    }
}
