public import LedgerModel
import Foundation

extension PlaybookRule {
    /// An update on social media longer than the policy's limit.
    public static let updateSocialMediaTooLong = PlaybookRule(
        "update-social-media-too-long", summary: "An update published on social media is longer than the policy allows (280 characters by default).",
        refusesAlways: true)
    /// An update by SMS longer than the policy's limit.
    public static let updateSMSTooLong = PlaybookRule(
        "update-sms-too-long", summary: "An update sent by SMS is longer than the policy allows (160 characters by default).", refusesAlways: true)
    /// An update for customers that promises no next update.
    public static let updateNoNextUpdate = PlaybookRule(
        "update-no-next-update", summary: "An update for customers on an open incident does not promise when the next update will come.")
    /// A next update promised further ahead than the cadence for the severity.
    public static let updateNextUpdateTooLate = PlaybookRule(
        "update-next-update-too-late", summary: "The next update is promised further ahead than the policy's cadence for the incident's severity.")
    /// An ETA promised while the cause is not known.
    public static let updateETABeforeIdentified = PlaybookRule(
        "update-eta-before-identified", summary: "An ETA is promised before the incident is identified (its working status is still investigating).")
    /// An ETA later than the last one promised: counted, never refused (telling customers it moved is the honest update).
    public static let updateETASlipped = PlaybookRule(
        "update-eta-slipped", summary: "An ETA is later than the last one promised to customers: a slipped ETA.", warnsOnly: true)
    /// A public status behind the working status.
    public static let updateStatusBehind = PlaybookRule(
        "update-status-behind", summary: "The status announced is behind the incident's working status (a public investigating after it was mitigated).")
    /// Blame or jargon in the text.
    public static let updateFlaggedWords = PlaybookRule(
        "update-flagged-words", summary: "The text uses a word or phrase from the policy's blame and jargon list; describe the impact as a customer sees it.")
    /// Services or regions named that disagree with the recorded scope.
    public static let updateScopeMismatch = PlaybookRule(
        "update-scope-mismatch",
        summary: "The text names a service or region of the incident that is no longer in its recorded scope, or names some of the scope's and leaves out others.")

    /// The update rules, in the order ``UpdateChecks`` checks them.
    public static let updateRules: [PlaybookRule] = [
        .updateSocialMediaTooLong, .updateSMSTooLong, .updateNoNextUpdate, .updateNextUpdateTooLate, .updateETABeforeIdentified,
        .updateETASlipped, .updateStatusBehind, .updateFlaggedWords, .updateScopeMismatch,
    ]
}

/// The playbook's rules of a good status update, checked against the incident before the update
/// (docs/playbook-rules.md).
///
/// The channel limits apply to every update; the other rules to updates for customers (every
/// audience but internal). Characters are counted as a person sees them (grapheme clusters).
public enum UpdateChecks {
    /// Every rule `update` breaks, given the incident before it.
    public static func findings(for update: StatusUpdatePublished, occurredAt: Timestamp, facts: IncidentFacts, policy: PlaybookPolicy) -> [PlaybookFinding] {
        var findings = channelLimits(update, policy: policy)
        guard update.audience != .internal else { return findings }
        let incident = facts.updates
        let posted = update.postedTime(shownAt: occurredAt)
        if let finding = nextUpdate(update, posted: posted, severity: incident.severity, policy: policy) { findings.append(finding) }
        if let eta = update.etaAt {
            if !incident.isIdentified {
                findings.append(
                    PlaybookFinding(
                        rule: .updateETABeforeIdentified, field: "payload.etaAt",
                        message: "an ETA (\(eta.rfc3339)) is promised while the incident is still being investigated; promise one once the cause is identified"))
            }
            if let last = incident.lastETA, eta > last {
                findings.append(
                    PlaybookFinding(
                        rule: .updateETASlipped, field: "payload.etaAt",
                        message: "the ETA \(eta.rfc3339) is later than the one promised before (\(last.rfc3339)): a slipped ETA; say why it moved"))
            }
        }
        if let finding = statusBehind(update, incident) { findings.append(finding) }
        let flagged = matches(of: policy.updates.flaggedWords, in: update.text)
        if !flagged.isEmpty {
            findings.append(
                PlaybookFinding(
                    rule: .updateFlaggedWords, field: "payload.text",
                    message: "the text says \(flagged.map { MessageText.quoted($0) }.joined(separator: ", ")), on the policy's blame and jargon list; describe the impact as a customer sees it"))
        }
        if let finding = scope(update, incident) { findings.append(finding) }
        return findings
    }

    private static func channelLimits(_ update: StatusUpdatePublished, policy: PlaybookPolicy) -> [PlaybookFinding] {
        let length = update.text.count
        return update.channels.compactMap { channel in
            guard let limit = policy.updates.characterLimit(of: channel), length > limit else { return nil }
            let (rule, name, key) = channel == .sms ? (PlaybookRule.updateSMSTooLong, "an SMS", "smsCharacters") : (.updateSocialMediaTooLong, "social media", "socialMediaCharacters")
            return PlaybookFinding(
                rule: rule, field: "payload.text",
                message: "the text is \(length) characters and \(name) takes at most \(limit) (policy updates.\(key)); publish a shorter text there, or leave \(channel.rawValue) out of the channels")
        }
    }

    /// The statuses after which no next update is due: the incident or the maintenance is over, or not begun.
    private static let closingStatuses: Set<PublicStatus> = [.resolved, .postmortem, .completed, .scheduled]

    private static func nextUpdate(_ update: StatusUpdatePublished, posted: Timestamp, severity: Severity?, policy: PlaybookPolicy) -> PlaybookFinding? {
        guard !closingStatuses.contains(update.status) else { return nil }
        guard let next = update.nextUpdateBy else {
            return PlaybookFinding(
                rule: .updateNoNextUpdate, field: "payload.nextUpdateBy",
                message: "the update does not say when the next one will come; promise a time (nextUpdateBy)")
        }
        guard let severity else { return nil }
        let cadence = policy.updates.cadence(for: severity)
        guard next.microsecondsSinceEpoch - posted.microsecondsSinceEpoch > cadence else { return nil }
        return PlaybookFinding(
            rule: .updateNextUpdateTooLate, field: "payload.nextUpdateBy",
            message: "the next update is promised by \(next.rfc3339), more than \(cadence / 60_000_000) minutes after this one, the policy's cadence for \(severity.rawValue); promise one sooner")
    }

    /// Where each status stands in an incident's course; the maintenance statuses have no place in it.
    private static func rank(_ status: PublicStatus) -> Int? {
        switch status {
        case .investigating: 0
        case .identified: 1
        case .mitigated: 2
        case .monitoring: 3
        case .resolved: 4
        case .postmortem: 5
        case .scheduled, .inProgress, .verifying, .completed: nil
        }
    }

    private static func statusBehind(_ update: StatusUpdatePublished, _ incident: UpdateFacts) -> PlaybookFinding? {
        let working: PublicStatus = incident.isResolved ? .resolved : incident.status.flatMap { PublicStatus(rawValue: $0.rawValue) } ?? .investigating
        guard let announced = rank(update.status), let actual = rank(working), announced < actual else { return nil }
        return PlaybookFinding(
            rule: .updateStatusBehind, field: "payload.status",
            message: "the update announces \(update.status.rawValue) but the incident is \(working.rawValue); tell customers where it stands")
    }

    private static func scope(_ update: StatusUpdatePublished, _ incident: UpdateFacts) -> PlaybookFinding? {
        var problems = [String]()
        let kinds = [("services", incident.services, incident.servicesEverInScope), ("regions", incident.regions, incident.regionsEverInScope)]
        for (kind, current, ever) in kinds {
            let named = Set(matches(of: ever.union(current).sorted(), in: update.text).map { $0.lowercased() })
            guard !named.isEmpty else { continue }  // named in the customer's words, or not at all: nothing a program can judge
            let stale = ever.filter { named.contains($0.lowercased()) && !current.contains($0) }.sorted()
            let missing = current.filter { !named.contains($0.lowercased()) }
            if !stale.isEmpty {
                problems.append("names \(stale.joined(separator: ", ")), no longer in the incident's recorded \(kind) (\(current.joined(separator: ", ")))")
            }
            if !missing.isEmpty { problems.append("leaves out \(missing.joined(separator: ", ")), also in its recorded \(kind)") }
        }
        guard !problems.isEmpty else { return nil }
        return PlaybookFinding(
            rule: .updateScopeMismatch, field: "payload.text",
            message: "the text \(problems.joined(separator: "; and ")); name the scope as recorded, or record incident.scope_changed first")
    }

    /// The phrases of `phrases` found in `text`, case-insensitively, as whole words: the characters on
    /// either side are not letters, digits, hyphens or underscores.
    static func matches(of phrases: [String], in text: String) -> [String] {
        phrases.filter { phrase in
            guard !phrase.isEmpty else { return false }
            var searched = text.startIndex..<text.endIndex
            while let found = text.range(of: phrase, options: [.caseInsensitive], range: searched) {
                let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
                let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
                if !isWordCharacter(before), !isWordCharacter(after) { return true }
                searched = text.index(after: found.lowerBound)..<text.endIndex
            }
            return false
        }
    }

    private static func isWordCharacter(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isLetter || character.isNumber || character == "-" || character == "_"
    }
}
