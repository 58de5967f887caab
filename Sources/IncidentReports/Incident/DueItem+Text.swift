public import IncidentProjections
public import LedgerModel

extension DueItem {
    /// What is to be done, as a sentence without its deadline: the words of `incidents due` and of
    /// the pages' "due now" alike.
    public var what: MixedText {
        let since = self.since?.rfc3339 ?? "—"
        switch kind {
        case .update:
            return "the next public update, promised in the update of \(since)"
        case .firstReply:
            let tier = self.tier.map { (tier: String) -> MixedText in " (\(tier))" } ?? MixedText()
            return "a first reply to \(subject ?? "a customer")\(tier), message \(reference ?? "—"), received \(since)"
        case .escalationAcknowledgement:
            return "an acknowledgement of the escalation \(reference ?? "—") to \(MixedText(stringLiteral: PostmortemText.words(subject ?? ""))), raised \(since)"
        case .survey:
            return "a satisfaction survey to the customers who wrote in, resolved \(since)"
        case .postmortem:
            return "the postmortem's start, resolved \(since)"
        case .resolutionAnnouncement:
            return "a public update that the incident is resolved (the last one says otherwise), resolved \(since)"
        }
    }

    /// The deadline in words: `overdue since T` or `due by T`.
    public var deadline: String { overdue ? "overdue since \(dueAt.rfc3339)" : "due by \(dueAt.rfc3339)" }
}
