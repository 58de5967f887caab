import LedgerModel

/// The two keys every CSV mapping has: `source`, which names the system the file comes from (the
/// events' `source` field and the namespace of their derived ids), and `streamPrefix`, which is put
/// before the file's incident ids to name incidents in the ledger.
public struct SourceNaming: Sendable, Hashable {
    public let source: String
    public let streamPrefix: String

    init(_ object: MappingObject) throws(MappingError) {
        let source = try object.string("source")
        guard source.utf8.count <= 64,
              source.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." || $0 == "_" })
        else {
            throw MappingError("source \(MessageText.quoted(source)) must be 1 to 64 lower-case letters, digits, '-', '.' or '_'")
        }
        self.source = source
        streamPrefix = try object.optionalString("streamPrefix") ?? ""
    }

    /// The incident's stream in the ledger.
    public func stream(_ incidentID: String) -> String { streamPrefix + incidentID }
}
