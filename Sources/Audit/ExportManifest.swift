public import LedgerModel
public import LedgerStore

/// The file names of an export bundle (see docs/audit.md).
public enum ExportBundle {
    public static let format = "incident-ledger-export/1"
    /// The events, one `log --json` line each, in position order.
    public static let events = "events.jsonl"
    /// With `--csv`: the same events as CSV, for spreadsheets (see `EventCSV`).
    public static let csv = "events.csv"
    /// Filtered exports: one inclusion proof per event, line for line with `events.jsonl`.
    public static let proofs = "proofs.jsonl"
    /// Incremental exports: the consistency proof from the earlier checkpoint, and its subtree roots.
    public static let consistency = "consistency.json"
    /// The signed checkpoint the export was taken against.
    public static let checkpoint = "checkpoint.txt"
    /// Incremental exports: the earlier checkpoint the export continues.
    public static let previousCheckpoint = "previous-checkpoint.txt"
    public static let manifest = "manifest.json"
}

/// What a bundle says about itself: what was asked for, what it holds, and its files' hashes.
public struct ExportManifest: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Every event from position 1 to the checkpoint's tree size.
        case full
        /// Every event after an earlier checkpoint, up to this one.
        case incremental
        /// The events matching a query, each with an inclusion proof.
        case filtered
    }

    public var kind: Kind
    public var origin: String
    public var treeHead: TreeHead
    public var query: EventQuery
    /// Incremental exports: the tree size of the earlier checkpoint.
    public var previousTreeSize: UInt64?
    public var eventCount: Int
    public var firstPosition: UInt64?
    public var lastPosition: UInt64?
    /// Every file of the bundle but the manifest, by name.
    public var files: [String: FileDigest]

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "format": .string(ExportBundle.format), "kind": .string(kind.rawValue), "origin": .string(origin),
            "treeSize": .integer(Int64(treeHead.size)), "rootHash": .string(treeHead.root.hex), "query": query.json,
            "eventCount": .integer(Int64(eventCount)),
        ]
        object["previousTreeSize"] = previousTreeSize.map { .integer(Int64($0)) } ?? .null
        object["firstPosition"] = firstPosition.map { .integer(Int64($0)) } ?? .null
        object["lastPosition"] = lastPosition.map { .integer(Int64($0)) } ?? .null
        object["files"] = .object(files.mapValues { ["bytes": .integer(Int64($0.bytes)), "sha256": .string($0.sha256.hex)] })
        return .object(object)
    }

    init(
        kind: Kind, origin: String, treeHead: TreeHead, query: EventQuery, previousTreeSize: UInt64?, eventCount: Int,
        firstPosition: UInt64?, lastPosition: UInt64?, files: [String: FileDigest]
    ) {
        self.kind = kind
        self.origin = origin
        self.treeHead = treeHead
        self.query = query
        self.previousTreeSize = previousTreeSize
        self.eventCount = eventCount
        self.firstPosition = firstPosition
        self.lastPosition = lastPosition
        self.files = files
    }

    init(json: JSONValue) throws(AuditError) {
        guard case .object(let fields) = json else { throw AuditError.failed("the manifest is not a JSON object") }
        guard fields["format"] == .string(ExportBundle.format) else {
            throw AuditError.failed("the manifest's format is not \(ExportBundle.format)")
        }
        func count(_ key: String, optional: Bool = false) throws(AuditError) -> UInt64? {
            switch fields[key] {
            case .integer(let value)? where value >= 0: return UInt64(value)
            case .null? where optional, nil where optional: return nil
            default: throw AuditError.failed("the manifest's \(key) must be a whole number")
            }
        }
        guard case .string(let kindName)? = fields["kind"], let kind = Kind(rawValue: kindName) else {
            throw AuditError.failed("the manifest's kind must be full, incremental or filtered")
        }
        guard case .string(let origin)? = fields["origin"] else { throw AuditError.failed("the manifest has no origin") }
        guard case .string(let rootHex)? = fields["rootHash"], let root = Hash256(hex: rootHex) else {
            throw AuditError.failed("the manifest's rootHash is not 64 hexadecimal digits")
        }
        guard case .object(let fileFields)? = fields["files"] else { throw AuditError.failed("the manifest has no files list") }
        var files = [String: FileDigest]()
        for (name, value) in fileFields {
            guard case .integer(let bytes)? = value["bytes"], case .string(let hex)? = value["sha256"], let hash = Hash256(hex: hex) else {
                throw AuditError.failed("the manifest's entry for \(name) needs bytes and sha256")
            }
            files[name] = FileDigest(bytes: Int(bytes), sha256: hash)
        }
        self.init(
            kind: kind, origin: origin, treeHead: TreeHead(size: try count("treeSize")!, root: root), query: try EventQuery(json: fields["query"]),
            previousTreeSize: try count("previousTreeSize", optional: true), eventCount: Int(try count("eventCount")!),
            firstPosition: try count("firstPosition", optional: true), lastPosition: try count("lastPosition", optional: true), files: files)
    }
}

/// The consistency proof of an incremental export, with the subtree roots of the earlier tree
/// from which a verifier continues it over the exported events.
struct ConsistencyFile: Equatable {
    var oldSize: UInt64
    var oldRoot: Hash256
    var newSize: UInt64
    var newRoot: Hash256
    var proof: [Hash256]
    var oldSubtrees: [Hash256]

    var json: JSONValue {
        [
            "oldSize": .integer(Int64(oldSize)), "oldRoot": .string(oldRoot.hex), "newSize": .integer(Int64(newSize)),
            "newRoot": .string(newRoot.hex), "proof": .array(proof.map { .string($0.hex) }),
            "oldSubtrees": .array(oldSubtrees.map { .string($0.hex) }),
        ]
    }

    init(oldSize: UInt64, oldRoot: Hash256, newSize: UInt64, newRoot: Hash256, proof: [Hash256], oldSubtrees: [Hash256]) {
        self.oldSize = oldSize
        self.oldRoot = oldRoot
        self.newSize = newSize
        self.newRoot = newRoot
        self.proof = proof
        self.oldSubtrees = oldSubtrees
    }

    init(json: JSONValue) throws(AuditError) {
        func size(_ key: String) throws(AuditError) -> UInt64 {
            guard case .integer(let value)? = json[key], value >= 0 else { throw AuditError.failed("\(ExportBundle.consistency): \(key) must be a whole number") }
            return UInt64(value)
        }
        func hash(_ value: JSONValue?, _ key: String) throws(AuditError) -> Hash256 {
            guard case .string(let hex)? = value, let hash = Hash256(hex: hex) else {
                throw AuditError.failed("\(ExportBundle.consistency): \(key) must hold 64-digit hexadecimal hashes")
            }
            return hash
        }
        func hashes(_ key: String) throws(AuditError) -> [Hash256] {
            guard case .array(let items)? = json[key] else { throw AuditError.failed("\(ExportBundle.consistency): \(key) must be a list") }
            var out = [Hash256]()
            for item in items { out.append(try hash(item, key)) }
            return out
        }
        self.init(
            oldSize: try size("oldSize"), oldRoot: try hash(json["oldRoot"], "oldRoot"), newSize: try size("newSize"),
            newRoot: try hash(json["newRoot"], "newRoot"), proof: try hashes("proof"), oldSubtrees: try hashes("oldSubtrees"))
    }
}

/// One line of `proofs.jsonl`: `{"path":[hex, …],"position":N}`, the path from the leaf's sibling up.
struct InclusionProofLine {
    var position: UInt64
    var path: [Hash256]

    var json: JSONValue {
        ["position": .integer(Int64(position)), "path": .array(path.map { .string($0.hex) })]
    }

    init(position: UInt64, path: [Hash256]) {
        self.position = position
        self.path = path
    }

    init(line: ArraySlice<UInt8>) throws(AuditError) {
        guard let value = try? JSONParser.parse(line), case .integer(let position)? = value["position"], position > 0,
            case .array(let items)? = value["path"]
        else { throw AuditError.failed("not an inclusion proof line {\"path\": [...], \"position\": N}") }
        var path = [Hash256]()
        for item in items {
            guard case .string(let hex) = item, let hash = Hash256(hex: hex) else {
                throw AuditError.failed("an inclusion proof's path must hold 64-digit hexadecimal hashes")
            }
            path.append(hash)
        }
        self.init(position: UInt64(position), path: path)
    }
}
