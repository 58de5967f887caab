import ArgumentParser
import LedgerAudit
import Foundation
import IncidentEvents
import IncidentServer
import LedgerModel

struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "List the event types the ledger accepts, and print their JSON Schemas.",
        subcommands: [List.self, Show.self, Export.self, Docs.self, OpenAPI.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List every event type by family.")

        func run() async throws {
            var family = ""
            for entry in Catalog.allEntries {
                if entry.family != family {
                    if !family.isEmpty { Output.standard.line() }
                    family = entry.family
                    Output.standard.line(family)
                }
                let older = Catalog.legacyVersions.filter { $0.type == entry.type }.map { "v\($0.schemaVersion)" }
                let versions = older.isEmpty ? "" : " (also reads \(older.joined(separator: ", ")))"
                Output.standard.line("  \(entry.type.padding(toLength: 40, withPad: " ", startingAt: 0)) v\(entry.schemaVersion)\(versions)  \(entry.summary)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the JSON Schema of one event type.")

        @Argument(help: ArgumentHelp("The event type, or `envelope`.", valueName: "type"))
        var type: String

        @Option(help: ArgumentHelp("A schema version other than the current one.", valueName: "n"))
        var version: UInt16?

        func run() async throws {
            guard let document = EventSchemas.document(type: type, version: version) else {
                throw CommandFailure(.usage, "no schema for \(MessageText.quoted(type))\(version.map { " version \($0)" } ?? ""); `incidents schema list` shows every type")
            }
            Output.standard.write(document.json.prettyText)
        }
    }

    struct Docs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "docs", abstract: "Print the event catalog as Markdown (how docs/events.md is made).")

        func run() async throws {
            Output.standard.write(EventCatalogDocument.markdown)
        }
    }

    struct OpenAPI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "openapi", abstract: "Print the server's OpenAPI 3.1 document (how Schemas/openapi.json is made).")

        func run() async throws {
            Output.standard.write(APIDocument.json.prettyText)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write every event schema as files (how Schemas/events/ is made).")

        @Argument(help: ArgumentHelp("The folder to write into.", valueName: "folder"))
        var folder: String

        @OptionGroup var file: OutputFileOptions

        func validate() throws {
            try PathOption.require(folder, "FOLDER")
        }

        func run() async throws {
            let paths = EventSchemas.all.map { folder + "/" + AtomicFile.split($0.path).name }
            // Checked for every file before any is written, so a refusal writes nothing.
            try OutputFile.refuseInsideLedger(folder, ledger: LedgerOptions.path(given: nil))
            if !file.force, let existing = paths.first(where: OutputFile.exists) {
                throw CommandFailure(.invalidInput, "\(existing) exists already; nothing was written — give --force to replace the schemas in \(folder)")
            }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure(SystemFailure(error) ?? SystemFailure(errno: 0), "cannot create \(folder)")
            }
            for (document, path) in zip(EventSchemas.all, paths) {
                try OutputFile.write(Array(document.json.prettyText.utf8), to: path, force: file.force, ledger: LedgerOptions.path(given: nil))
            }
            Output.standard.line("wrote \(EventSchemas.all.count) schemas to \(folder)")
        }
    }
}
