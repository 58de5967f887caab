import ArgumentParser

// The recording commands: each names the words a user types and the event type it records.
// Fields, flags and help come from the catalog (see RecordCommand).

enum Declare: RecordingVerb { static let commandName = "declare"; static let eventType = "incident.declared" }
enum Acknowledge: RecordingVerb {
    static let commandName = "acknowledge"; static let eventType = "incident.acknowledged"; static let aliases = ["ack"]
}
enum Status: RecordingVerb { static let commandName = "status"; static let eventType = "incident.status_changed" }
enum SeverityVerb: RecordingVerb { static let commandName = "severity"; static let eventType = "incident.severity_changed" }
enum Scope: RecordingVerb { static let commandName = "scope"; static let eventType = "incident.scope_changed" }
enum Assign: RecordingVerb { static let commandName = "assign"; static let eventType = "incident.responder_assigned" }
enum Release: RecordingVerb { static let commandName = "release"; static let eventType = "incident.responder_released" }
enum Resolve: RecordingVerb { static let commandName = "resolve"; static let eventType = "incident.resolved" }
enum Reopen: RecordingVerb { static let commandName = "reopen"; static let eventType = "incident.reopened" }
enum Close: RecordingVerb { static let commandName = "close"; static let eventType = "incident.closed" }
enum Link: RecordingVerb { static let commandName = "link"; static let eventType = "incident.linked" }
enum Merge: RecordingVerb { static let commandName = "merge"; static let eventType = "incident.merged" }
enum Message: RecordingVerb { static let commandName = "message"; static let eventType = "customer.message_received" }
enum Reply: RecordingVerb { static let commandName = "reply"; static let eventType = "customer.reply_sent" }
enum Update: RecordingVerb { static let commandName = "update"; static let eventType = "status_update.published" }
enum Note: RecordingVerb { static let commandName = "note"; static let eventType = "incident.note_added" }
enum Notify: RecordingVerb { static let commandName = "notify"; static let eventType = "stakeholders.notified" }
enum Escalate: RecordingVerb { static let commandName = "escalate"; static let eventType = "escalation.raised" }
enum Correct: RecordingVerb { static let commandName = "correct"; static let eventType = "event.corrected" }
enum Retract: RecordingVerb { static let commandName = "retract"; static let eventType = "event.retracted" }

enum EscalationRaise: RecordingVerb { static let commandName = "raise"; static let eventType = "escalation.raised" }
enum EscalationAck: RecordingVerb {
    static let commandName = "acknowledge"; static let eventType = "escalation.acknowledged"; static let aliases = ["ack"]
}
enum EscalationDown: RecordingVerb { static let commandName = "deescalate"; static let eventType = "escalation.deescalated" }
enum EscalationClose: RecordingVerb { static let commandName = "close"; static let eventType = "escalation.closed" }
enum SponsorEnroll: RecordingVerb { static let commandName = "enroll"; static let eventType = "customer.sponsorship_enrolled" }
enum SponsorEnd: RecordingVerb { static let commandName = "end"; static let eventType = "customer.sponsorship_ended" }
enum SLAAttach: RecordingVerb { static let commandName = "attach"; static let eventType = "sla.policy_attached" }
enum SurveySend: RecordingVerb { static let commandName = "send"; static let eventType = "survey.sent" }
enum SurveyAnswer: RecordingVerb { static let commandName = "answer"; static let eventType = "survey.answered" }
enum SurveyExpire: RecordingVerb { static let commandName = "expire"; static let eventType = "survey.expired" }
enum PostmortemStart: RecordingVerb { static let commandName = "start"; static let eventType = "postmortem.started" }
enum PostmortemRootCause: RecordingVerb { static let commandName = "root-cause"; static let eventType = "postmortem.root_cause_recorded" }
enum PostmortemFactor: RecordingVerb { static let commandName = "factor"; static let eventType = "postmortem.contributing_factor_recorded" }
enum PostmortemAction: RecordingVerb { static let commandName = "action"; static let eventType = "postmortem.action_item_opened" }
enum PostmortemActionDone: RecordingVerb { static let commandName = "action-done"; static let eventType = "postmortem.action_item_completed" }
enum PostmortemPublish: RecordingVerb { static let commandName = "publish"; static let eventType = "postmortem.published" }

struct EscalationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalation", abstract: "Raise, acknowledge, de-escalate or close an escalation.",
        subcommands: [
            RecordCommand<EscalationRaise>.self, RecordCommand<EscalationAck>.self, RecordCommand<EscalationDown>.self,
            RecordCommand<EscalationClose>.self,
        ])
}

struct SponsorshipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sponsorship", abstract: "Enroll a customer in, or end, executive sponsorship.",
        subcommands: [RecordCommand<SponsorEnroll>.self, RecordCommand<SponsorEnd>.self])
}

struct SLACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla", abstract: "Attach a service-level policy to an incident or a customer in it.",
        subcommands: [RecordCommand<SLAAttach>.self])
}

struct SurveyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey", abstract: "Send a satisfaction survey, record its answer, or its expiry.",
        subcommands: [RecordCommand<SurveySend>.self, RecordCommand<SurveyAnswer>.self, RecordCommand<SurveyExpire>.self])
}

struct PostmortemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postmortem",
        abstract: "Write an incident's postmortem report, or record the postmortem: start, root cause, factors, action items, publication.",
        discussion: "`incidents postmortem INCIDENT` writes the report (the `report` subcommand); the other subcommands record events.",
        subcommands: [
            PostmortemReportCommand.self,
            RecordCommand<PostmortemStart>.self, RecordCommand<PostmortemRootCause>.self, RecordCommand<PostmortemFactor>.self,
            RecordCommand<PostmortemAction>.self, RecordCommand<PostmortemActionDone>.self, RecordCommand<PostmortemPublish>.self,
        ],
        defaultSubcommand: PostmortemReportCommand.self)
}

/// Every recording command at the top level.
let recordingCommands: [any ParsableCommand.Type] = [
    RecordCommand<Declare>.self, RecordCommand<Acknowledge>.self, RecordCommand<Status>.self, RecordCommand<SeverityVerb>.self,
    RecordCommand<Scope>.self, RecordCommand<Assign>.self, RecordCommand<Release>.self, RecordCommand<Resolve>.self,
    RecordCommand<Reopen>.self, RecordCommand<Close>.self, RecordCommand<Link>.self, RecordCommand<Merge>.self,
    RecordCommand<Message>.self, RecordCommand<Reply>.self, RecordCommand<Update>.self, RecordCommand<Note>.self,
    RecordCommand<Notify>.self, RecordCommand<Escalate>.self, EscalationCommand.self, SponsorshipCommand.self, SLACommand.self,
    SurveyCommand.self, PostmortemCommand.self, RecordCommand<Correct>.self, RecordCommand<Retract>.self,
]
