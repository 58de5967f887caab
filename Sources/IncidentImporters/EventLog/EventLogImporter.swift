public import LedgerModel

/// The result of mapping one CSV event log.
public struct EventLogImport: Sendable {
    public var incidents: [ImportedIncident]
    public var warnings: [ImportWarning]
    /// Incidents in the file that could not be mapped at all.
    public var skippedIncidents: Int
    /// Data records read (the header not counted).
    public var rows: Int
    /// Every event, incident by incident, in order.
    public var events: [StreamEvent] { incidents.flatMap(\.events) }
}

/// Maps a CSV event log (one row per status change of a ticket) to catalog events through an
/// `EventLogMapping`. Pure: a parsed table in, events and warnings out.
///
/// Rows are grouped by incident id in the order incidents first appear; within an incident they
/// are taken in time order (stable on file order). Event ids are version 8 UUIDs from SHA-256 of
/// `event-log/<source>/<incident id>/<row key>/<role>`, where the row key is the row's time in UTC
/// (with `#2`, `#3`… for further rows of the incident at the same instant, in file order): they
/// depend on what the rows say, not on where they stand in the file, so a re-import adds nothing.
public enum EventLogImporter {
    public static let actor = Actor(kind: .tool, id: "event-log-import")

    /// Maps a table. `progress` is told the incidents mapped so far and their total.
    public static func map(
        _ table: CSVTable, mapping: EventLogMapping, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws(MappingError) -> EventLogImport {
        let columns = try EventLogIncidentMapper.Columns(mapping: mapping, table: table)
        var warnings = [ImportWarning]()
        // Group rows by incident, in order of first appearance.
        var order = [String]()
        var rowsByIncident = [String: [Int]]()
        for (index, record) in table.records.enumerated() {
            let id = columns.incident.value(in: record)
            guard !id.isEmpty else {
                warnings.append(ImportWarning(.missingField, incidentID: nil, row: record.line, "no incident id in \(mapping.columns.incident.names.joined(separator: ", ")); row skipped"))
                continue
            }
            if rowsByIncident[id] == nil {
                order.append(id)
                rowsByIncident[id] = [index]
            } else {
                rowsByIncident[id]!.append(index)
            }
        }
        var result = EventLogImport(incidents: [], warnings: [], skippedIncidents: 0, rows: table.records.count)
        result.incidents.reserveCapacity(order.count)
        for (number, id) in order.enumerated() {
            var mapper = EventLogIncidentMapper(id: id, mapping: mapping, columns: columns)
            let rows = rowsByIncident[id]!.map { table.records[$0] }
            mapper.origin = table.sourceRecord(rows)
            if let incident = mapper.map(rows) {
                result.incidents.append(incident)
            } else {
                result.skippedIncidents += 1
            }
            warnings.append(contentsOf: mapper.warnings)
            if number % 256 == 255 { progress(number + 1, order.count) }
        }
        progress(order.count, order.count)
        result.warnings = warnings
        return result
    }
}
