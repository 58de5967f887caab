import ArgumentParser
import IncidentService
import Foundation
import LedgerModel
import LedgerPostgres
import LedgerStore

struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the ledger's size, head and map usage.")

    @OptionGroup var options: LedgerOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let info = try await options.service().info()
        // A ledger in PostgreSQL: the database it is, and the mirror this machine reads.
        let database = options.isPostgres ? try await OpenMirror.mirror(url: options.location, directory: options.path).store.location : nil
        if json {
            var members: [String: JSONValue] = [
                "path": .string(info.path), "formatVersion": .integer(Int64(info.formatVersion)),
                "ledgerId": info.ledgerID.map { .string($0.lowercasedString) } ?? .null,
                "createdAt": info.createdAt.map { .string($0.rfc3339) } ?? .null,
                "events": .integer(Int64(info.eventCount)), "headPosition": .integer(Int64(info.head.position)),
                "headHash": .string(info.head.hash.hex), "fileBytes": .integer(Int64(info.fileBytes)),
                "mapBytes": .integer(Int64(info.mapBytes)), "usedBytes": .integer(Int64(info.usedBytes)),
            ]
            if let database {
                members["database"] = .string(database)
                members["mirror"] = .string(info.path)
            }
            Output.standard.line(JSONValue.object(members).canonicalText)
            return
        }
        let usedPercent = info.mapBytes > 0 ? Double(info.usedBytes) * 100 / Double(info.mapBytes) : 0
        let place: [(String, String)] = database.map { [("ledger", $0), ("mirror", info.path)] } ?? [("ledger", info.path)]
        let rows: [(String, String)] = place + [
            ("format", String(info.formatVersion)),
            (database == nil ? "ledger id" : "mirror id", info.ledgerID?.lowercasedString ?? "unknown"),
            ("created", info.createdAt?.rfc3339 ?? "unknown"),
            ("events", String(info.eventCount)),
            ("head position", String(info.head.position)),
            ("head hash", info.head.hash.hex),
            ("last recorded", info.head.position > 0 ? info.head.recordedAt.rfc3339 : "never"),
            ("size on disk", Self.bytes(info.fileBytes)),
            ("map", "\(Self.bytes(info.mapBytes)), \(String(format: "%.1f", usedPercent))% used (grows by itself)"),
        ]
        for (name, value) in rows {
            Output.standard.line(name.padding(toLength: 15, withPad: " ", startingAt: 0) + value)
        }
    }

    static func bytes(_ count: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) bytes" : String(format: "%.1f %@", value, units[unit])
    }
}
