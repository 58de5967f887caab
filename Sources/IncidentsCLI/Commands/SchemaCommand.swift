import ArgumentParser
import Foundation
import IncidentEvents
import LedgerModel

struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "List the event types the ledger accepts, and print their JSON Schemas.",
        subcommands: [List.self, Show.self, Export.self, Docs.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List every event type by family.")

        func run() async throws {
            var family = ""
            for entry in Catalog.entries {
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

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write every event schema as files (how Schemas/events/ is made).")

        @Argument(help: ArgumentHelp("The folder to write into.", valueName: "folder"))
        var folder: String

        func validate() throws {
            try PathOption.require(folder, "FOLDER")
        }

        func run() async throws {
            for document in EventSchemas.all {
                let path = (folder as NSString).appendingPathComponent((document.path as NSString).lastPathComponent)
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    try Data(document.json.prettyText.utf8).write(to: URL(fileURLWithPath: path))
                } catch {
                    throw CommandFailure(SystemFailure(error) ?? SystemFailure(errno: 0), "cannot write \(path)")
                }
            }
            Output.standard.line("wrote \(EventSchemas.all.count) schemas to \(folder)")
        }
    }
}
