import Foundation
import IncidentImporters

/// The bundled Volvo IT incident log and its mapping (docs/data-sources.md).
enum VolvoData {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data")

    static func compressed() throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent("volvo_it_bpi2013_incidents_VINST.csv.gz")))
    }

    static func table() throws -> CSVTable { try CSVTable(parsing: try Gzip.decompress(try compressed())) }

    static func mapping() throws -> EventLogMapping {
        try EventLogMapping(json: Array(try Data(contentsOf: folder.appendingPathComponent("volvo-it-mapping.json"))))
    }
}
