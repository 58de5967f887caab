import ArgumentParser
import IncidentService

// The recording commands: each is a verb of the service's table (`RecordingVerb`, which the server's
// routes use too). Fields, flags and help come from the catalog (see RecordCommand).

enum Declare: RecordingVerbCommand { static let verb = RecordingVerb.declare }
enum Acknowledge: RecordingVerbCommand { static let verb = RecordingVerb.acknowledge }
enum Status: RecordingVerbCommand { static let verb = RecordingVerb.status }
enum SeverityVerb: RecordingVerbCommand { static let verb = RecordingVerb.severity }
enum Scope: RecordingVerbCommand { static let verb = RecordingVerb.scope }
enum Assign: RecordingVerbCommand { static let verb = RecordingVerb.assign }
enum Release: RecordingVerbCommand { static let verb = RecordingVerb.release }
enum HandOff: RecordingVerbCommand { static let verb = RecordingVerb.handOff }
enum Resolve: RecordingVerbCommand { static let verb = RecordingVerb.resolve }
enum Reopen: RecordingVerbCommand { static let verb = RecordingVerb.reopen }
enum Close: RecordingVerbCommand { static let verb = RecordingVerb.close }
enum Link: RecordingVerbCommand { static let verb = RecordingVerb.link }
enum Merge: RecordingVerbCommand { static let verb = RecordingVerb.merge }
enum Message: RecordingVerbCommand { static let verb = RecordingVerb.message }
enum Reply: RecordingVerbCommand { static let verb = RecordingVerb.reply }
enum Update: RecordingVerbCommand { static let verb = RecordingVerb.update }
enum Note: RecordingVerbCommand { static let verb = RecordingVerb.note }
enum Notify: RecordingVerbCommand { static let verb = RecordingVerb.notify }
enum Escalate: RecordingVerbCommand { static let verb = RecordingVerb.escalate }
enum Correct: RecordingVerbCommand { static let verb = RecordingVerb.correct }
enum Retract: RecordingVerbCommand { static let verb = RecordingVerb.retract }
enum EscalationRaise: RecordingVerbCommand { static let verb = RecordingVerb.escalationRaise }
enum EscalationAck: RecordingVerbCommand { static let verb = RecordingVerb.escalationAcknowledge }
enum EscalationDown: RecordingVerbCommand { static let verb = RecordingVerb.escalationDeescalate }
enum EscalationClose: RecordingVerbCommand { static let verb = RecordingVerb.escalationClose }
enum SponsorEnroll: RecordingVerbCommand { static let verb = RecordingVerb.sponsorshipEnroll }
enum SponsorEnd: RecordingVerbCommand { static let verb = RecordingVerb.sponsorshipEnd }
enum SLAAttach: RecordingVerbCommand { static let verb = RecordingVerb.slaAttach }
enum SurveySend: RecordingVerbCommand { static let verb = RecordingVerb.surveySend }
enum SurveyAnswer: RecordingVerbCommand { static let verb = RecordingVerb.surveyAnswer }
enum SurveyExpire: RecordingVerbCommand { static let verb = RecordingVerb.surveyExpire }
enum PostmortemStart: RecordingVerbCommand { static let verb = RecordingVerb.postmortemStart }
enum PostmortemRootCause: RecordingVerbCommand { static let verb = RecordingVerb.postmortemRootCause }
enum PostmortemFactor: RecordingVerbCommand { static let verb = RecordingVerb.postmortemFactor }
enum PostmortemAction: RecordingVerbCommand { static let verb = RecordingVerb.postmortemAction }
enum PostmortemActionDone: RecordingVerbCommand { static let verb = RecordingVerb.postmortemActionDone }
enum PostmortemPublish: RecordingVerbCommand { static let verb = RecordingVerb.postmortemPublish }
enum PostmortemFinding: RecordingVerbCommand { static let verb = RecordingVerb.postmortemFinding }

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
        abstract: "Write an incident's postmortem report, or record the postmortem: start, root cause, factors, findings, action items, publication.",
        discussion: "`incidents postmortem INCIDENT` writes the report (the `report` subcommand); the other subcommands record events.",
        subcommands: [
            PostmortemReportCommand.self,
            RecordCommand<PostmortemStart>.self, RecordCommand<PostmortemRootCause>.self, RecordCommand<PostmortemFactor>.self,
            RecordCommand<PostmortemFinding>.self, RecordCommand<PostmortemAction>.self, RecordCommand<PostmortemActionDone>.self, RecordCommand<PostmortemPublish>.self,
        ],
        defaultSubcommand: PostmortemReportCommand.self)
}

/// Every recording command at the top level.
let recordingCommands: [any ParsableCommand.Type] = [
    RecordCommand<Declare>.self, RecordCommand<Acknowledge>.self, RecordCommand<Status>.self, RecordCommand<SeverityVerb>.self,
    RecordCommand<Scope>.self, RecordCommand<Assign>.self, RecordCommand<Release>.self, RecordCommand<HandOff>.self, RecordCommand<Resolve>.self,
    RecordCommand<Reopen>.self, RecordCommand<Close>.self, RecordCommand<Link>.self, RecordCommand<Merge>.self,
    RecordCommand<Message>.self, RecordCommand<Reply>.self, RecordCommand<Update>.self, RecordCommand<Note>.self,
    RecordCommand<Notify>.self, RecordCommand<Escalate>.self, EscalationCommand.self, SponsorshipCommand.self, SLACommand.self,
    SurveyCommand.self, PostmortemCommand.self, RecordCommand<Correct>.self, RecordCommand<Retract>.self,
]
