extension CSVTable {
    /// Records of this table as one source record, beginning at the first one's line (see ``SourceRecord/content``).
    public func sourceRecord(_ records: [Record]) -> SourceRecord {
        SourceRecord(index: records.first?.line ?? 0, unit: .line, body: .csv(header: header, records: records))
    }
}
