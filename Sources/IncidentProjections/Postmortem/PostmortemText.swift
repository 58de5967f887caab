import Foundation
public import IncidentEvents
import LedgerModel

/// The words and number formats the postmortem renderers share, so Markdown and HTML say the same.
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
        }
    }

    /// "#12" or "#12, corrected by #30, #31": the events behind a moment.
    public static func provenance(_ moment: ResponseFigures.Moment) -> String {
        let corrected = moment.correctedBy.isEmpty ? "" : ", corrected by \(positions(moment.correctedBy))"
        return "#\(moment.position)\(corrected)"
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
