/// A recording verb: the words a person or a tool uses for one event type, for every entry point.
/// The CLI makes a command of each (`incidents escalation raise INC …`), the server a route
/// (`POST /v1/incidents/INC/escalation/raise`); both take the event type's payload fields.
public struct RecordingVerb: Sendable, Hashable {
    /// The words, the group's first: `["declare"]`, `["escalation", "raise"]`.
    public let words: [String]
    /// The catalog event type it records.
    public let eventType: String
    /// Other names of the last word (`ack` for `acknowledge`).
    public let aliases: [String]

    init(_ words: String..., records eventType: String, aliases: [String] = []) {
        self.words = words
        self.eventType = eventType
        self.aliases = aliases
    }

    /// The last word: the command's name.
    public var name: String { words[words.count - 1] }

    public static let declare = RecordingVerb("declare", records: "incident.declared")
    public static let acknowledge = RecordingVerb("acknowledge", records: "incident.acknowledged", aliases: ["ack"])
    public static let status = RecordingVerb("status", records: "incident.status_changed")
    public static let severity = RecordingVerb("severity", records: "incident.severity_changed")
    public static let scope = RecordingVerb("scope", records: "incident.scope_changed")
    public static let assign = RecordingVerb("assign", records: "incident.responder_assigned")
    public static let release = RecordingVerb("release", records: "incident.responder_released")
    public static let resolve = RecordingVerb("resolve", records: "incident.resolved")
    public static let reopen = RecordingVerb("reopen", records: "incident.reopened")
    public static let close = RecordingVerb("close", records: "incident.closed")
    public static let link = RecordingVerb("link", records: "incident.linked")
    public static let merge = RecordingVerb("merge", records: "incident.merged")
    public static let handOff = RecordingVerb("handoff", records: "incident.handed_off", aliases: ["hand-off"])
    public static let message = RecordingVerb("message", records: "customer.message_received")
    public static let reply = RecordingVerb("reply", records: "customer.reply_sent")
    public static let update = RecordingVerb("update", records: "status_update.published")
    public static let note = RecordingVerb("note", records: "incident.note_added")
    public static let notify = RecordingVerb("notify", records: "stakeholders.notified")
    public static let escalate = RecordingVerb("escalate", records: "escalation.raised")
    public static let correct = RecordingVerb("correct", records: "event.corrected")
    public static let retract = RecordingVerb("retract", records: "event.retracted")

    public static let escalationRaise = RecordingVerb("escalation", "raise", records: "escalation.raised")
    public static let escalationAcknowledge = RecordingVerb("escalation", "acknowledge", records: "escalation.acknowledged", aliases: ["ack"])
    public static let escalationDeescalate = RecordingVerb("escalation", "deescalate", records: "escalation.deescalated")
    public static let escalationClose = RecordingVerb("escalation", "close", records: "escalation.closed")
    public static let sponsorshipEnroll = RecordingVerb("sponsorship", "enroll", records: "customer.sponsorship_enrolled")
    public static let sponsorshipEnd = RecordingVerb("sponsorship", "end", records: "customer.sponsorship_ended")
    public static let slaAttach = RecordingVerb("sla", "attach", records: "sla.policy_attached")
    public static let surveySend = RecordingVerb("survey", "send", records: "survey.sent")
    public static let surveyAnswer = RecordingVerb("survey", "answer", records: "survey.answered")
    public static let surveyExpire = RecordingVerb("survey", "expire", records: "survey.expired")
    public static let postmortemStart = RecordingVerb("postmortem", "start", records: "postmortem.started")
    public static let postmortemRootCause = RecordingVerb("postmortem", "root-cause", records: "postmortem.root_cause_recorded")
    public static let postmortemFactor = RecordingVerb("postmortem", "factor", records: "postmortem.contributing_factor_recorded")
    public static let postmortemAction = RecordingVerb("postmortem", "action", records: "postmortem.action_item_opened")
    public static let postmortemActionDone = RecordingVerb("postmortem", "action-done", records: "postmortem.action_item_completed")
    public static let postmortemPublish = RecordingVerb("postmortem", "publish", records: "postmortem.published")
    public static let postmortemFinding = RecordingVerb("postmortem", "finding", records: "postmortem.finding_recorded")

    /// Every verb, in the order the CLI's help lists them.
    public static let all: [RecordingVerb] = [
        declare, acknowledge, status, severity, scope, assign, release, handOff, resolve, reopen, close, link, merge, message, reply, update,
        note, notify, escalate, escalationRaise, escalationAcknowledge, escalationDeescalate, escalationClose, sponsorshipEnroll,
        sponsorshipEnd, slaAttach, surveySend, surveyAnswer, surveyExpire, postmortemStart, postmortemRootCause, postmortemFactor,
        postmortemFinding, postmortemAction, postmortemActionDone, postmortemPublish, correct, retract,
    ]
}
