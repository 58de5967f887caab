import ArgumentParser
import Foundation
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore

struct TemplatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "List, show, add or retire the prepared status updates of the template library.",
        discussion: """
            The library is kept in the ledger, in the stream ledger.templates (template.defined, \
            template.revised, template.retired): every version stays, so an update made with \
            `incidents update INC --template NAME` names the template and version it came from. A \
            template has a text per channel, with placeholders such as {service}, {regions}, \
            {next_update} and {eta} (docs/playbook-rules.md).

            Examples:
              incidents templates add docs/examples/templates-en.json
              incidents templates list
              incidents templates show investigating-workaround-en
              incidents templates retire acknowledge-en --reason "Replaced by acknowledge-short-en"
            """,
        subcommands: [List.self, Show.self, Add.self, Retire.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the templates, retired ones too.")

        @OptionGroup var options: LedgerOptions

        @Flag(help: "Print JSON Lines, one template per line.")
        var json = false

        func run() async throws {
            let templates = try await options.service().templateLibrary().all
            let output = Output.standard
            if json {
                for template in templates { output.line(template.json().canonicalText) }
                return
            }
            guard !templates.isEmpty else {
                output.line("no templates — `incidents templates add docs/examples/templates-en.json` adds the starter library")
                return
            }
            let width = max(4, templates.map { DisplayWidth.of($0.current.templateId) }.max() ?? 4)
            let kindWidth = max(4, templates.map { DisplayWidth.of($0.current.kind) }.max() ?? 4)
            func column(_ text: String, _ width: Int) -> String { DisplayWidth.padded(text, to: width) }
            output.line("\(column("NAME", width))  VERSION  \(column("KIND", kindWidth))  LANGUAGE  \(column("STATUS", 13))  STATE    CHANNELS")
            for template in templates {
                let content = template.current
                output.line(
                    "\(column(content.templateId, width))  \(column(String(template.version), 7))  \(column(content.kind, kindWidth))  \(column(content.language, 8))  \(column(content.status.rawValue, 13))  \(column(template.isRetired ? "retired" : "offered", 7))  \(content.texts.map(\.channel.rawValue).joined(separator: ","))"
                )
            }
            output.line("\(templates.count) template\(templates.count == 1 ? "" : "s")")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a template's texts, with their lengths and placeholders.")

        @OptionGroup var options: LedgerOptions

        @Argument(help: ArgumentHelp("The template's name.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("Show this version instead of the current one.", valueName: "n"))
        var version: Int?

        @Flag(help: "Print the template as JSON.")
        var json = false

        func run() async throws {
            let template = try await options.service().template(name)
            let number = version ?? Int(template.version)
            guard (1...template.versions.count).contains(number) else {
                throw CommandFailure(.invalidInput, "template \(name) has versions 1 to \(template.versions.count), not \(number)")
            }
            let content = template.versions[number - 1]
            let output = Output.standard
            if json {
                output.line(template.json(version: number).canonicalText)
                return
            }
            output.line("\(content.templateId), version \(number) of \(template.versions.count)\(template.isRetired ? " (retired: \(template.retired!.reason))" : "")")
            output.line("kind: \(content.kind); language: \(content.language); status: \(content.status.rawValue)")
            for text in content.texts {
                let placeholders = (try? TemplatePlaceholders.names(in: text.text)) ?? []
                output.line("")
                output.line("\(text.channel.rawValue) (\(text.text.count) characters before filling; placeholders: \(placeholders.isEmpty ? "none" : placeholders.map { "{\($0)}" }.joined(separator: " "))):")
                output.line(text.text)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add the templates of a JSON file to the library: new names are defined, changed ones revised, the same left as they are.",
            discussion: "The file holds one template or an array of them, each with templateId, kind, language, status and texts (the fields of template.defined; docs/events.md).")

        @OptionGroup var options: LedgerOptions

        @Argument(help: ArgumentHelp("The JSON file, or - for standard input.", valueName: "file"))
        var file: String

        @Option(help: ArgumentHelp("Who records it, as kind:id (person, tool or system). Default: person:$USER (or $LOGNAME, or the login name).", valueName: "actor"))
        var actor: String?

        func validate() throws { try PathOption.require(file, "FILE") }

        func run() async throws {
            let bytes = try ImportInput.mapping(file)
            let templates: [TemplateContent]
            do {
                templates = try TemplateContent.library(fromJSON: String(decoding: bytes, as: UTF8.self))
            } catch {
                throw CommandFailure(.invalidInput, "\(file): \(error); nothing was written")
            }
            let service = try await options.writingService(actor: try ActorOption.parse(actor) ?? LedgerOptions.userActor)
            for content in templates {
                let change = try await service.addTemplate(content)
                let version = try service.template(content.templateId).version
                Output.standard.line("\(change.rawValue) \(content.templateId) (version \(version))")
            }
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retire", abstract: "Retire a template: its versions stay in the log, no new update is made from it.")

        @OptionGroup var options: LedgerOptions

        @Argument(help: ArgumentHelp("The template's name.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("Why it is no longer used.", valueName: "text"))
        var reason: String

        @Option(help: ArgumentHelp("Who records it, as kind:id (person, tool or system). Default: person:$USER (or $LOGNAME, or the login name).", valueName: "actor"))
        var actor: String?

        func run() async throws {
            let service = try await options.writingService(actor: try ActorOption.parse(actor) ?? LedgerOptions.userActor)
            try await service.retireTemplate(name, reason: reason)
            Output.standard.line("retired \(name)")
        }
    }
}

/// The `--template` flags of `incidents update`.
enum TemplateOutput {
    /// The part of `incidents update --help` about templates.
    static let help = """


        From a template (`incidents templates list`):
          --template <name>     Fill the template's texts for the incident and record them: one update per
                                distinct text, on the channels that share it (--channels picks some; --status
                                and --audience default to the template's status and public). Placeholders come
                                from the incident ({service}, {regions}, {next_update} from --next-update-by,
                                {eta} from --eta-at, {window_start}, …) and from --set.
          --set <name=value>    A placeholder's value, such as --set workaround="pay by bank transfer"; repeatable.
        """

    /// Takes `--template NAME` and every `--set name=value` out of a recording command's field
    /// arguments; nil when no template is named.
    static func flags(from arguments: inout [String]) throws -> (name: String, values: [String: String])? {
        var name: String?
        var values = [String: String]()
        var rest = [String]()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let (flag, inline) = argument.firstIndex(of: "=").map { (String(argument[..<$0]), String(argument[argument.index(after: $0)...])) } ?? (argument, nil)
            guard flag == "--template" || flag == "--set" else {
                rest.append(argument)
                index += 1
                continue
            }
            var value = inline
            if value == nil {
                guard index + 1 < arguments.count else { throw ValidationError("\(flag) needs a value") }
                index += 1
                value = arguments[index]
            }
            if flag == "--template" {
                guard name == nil else { throw ValidationError("--template is given twice; give it once") }
                name = value
            } else {
                guard let equals = value!.firstIndex(of: "="), equals != value!.startIndex else {
                    throw ValidationError("--set takes name=value (--set workaround=\"Pay by bank transfer\"), not \(MessageText.quoted(value!))")
                }
                values[String(value![..<equals])] = String(value![value!.index(after: equals)...])
            }
            index += 1
        }
        guard let name else {
            if !values.isEmpty { throw ValidationError("--set fills a template's placeholders; name the template with --template") }
            return nil
        }
        arguments = rest
        return (name, values)
    }
}

extension TemplateOutput {
    /// `incidents update INC --template NAME`: fills the template, shows each text with its channels, records the updates.
    static func record(
        _ template: (name: String, values: [String: String]), fields: [String: JSONValue], draft: EventDraft, expectedVersion: ExpectedVersion?,
        strict: Bool?, service: LedgerService, json: Bool
    ) async throws {
        guard expectedVersion == nil else {
            throw ValidationError("--expected-version applies to one event; a templated update may record several (one per distinct text)")
        }
        let filled = try service.fillTemplate(template.name, for: draft.stream, fields: fields, values: template.values, at: draft.occurredAt)
        if !json {
            for update in filled.updates {
                Output.standard.line("\(update.channels.map(\.rawValue).joined(separator: ", ")) (\(update.text.count) characters):")
                Output.standard.line(update.text)
            }
        }
        // One update per channel's text: a rule each breaks alike is said once.
        var said = Set<PlaybookFinding>()
        for var recorded in try await service.recordTemplatedUpdate(filled, draft: draft, strict: strict) {
            recorded.warnings = recorded.warnings.filter { said.insert($0).inserted }
            RecordOutput.print(recorded, json: json)
        }
    }
}
