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

    /// The members a manifest has, each always present (`null` where a count does not apply).
    static let shape: BundleJSON.Shape = .object([
        "eventCount": .count, "files": .map(.object(["bytes": .count, "sha256": .string])), "firstPosition": .optionalCount,
        "format": .string, "kind": .string, "lastPosition": .optionalCount, "origin": .string, "previousTreeSize": .optionalCount,
        "query": .object(["incident": .optionalString, "since": .optionalString, "types": .strings, "until": .optionalString]),
        "rootHash": .string, "treeSize": .count,
    ])

    /// Reads `manifest.json` strictly (see ``BundleJSON``): its members, their values, that the kind
    /// and the query and counts agree, and that the bytes are exactly what the exporter writes.
    init(bytes: [UInt8]) throws(AuditError) {
        let json = try BundleJSON.read(bytes, file: ExportBundle.manifest, shape: Self.shape)
        try self.init(json: json)
        try BundleJSON.checkExactForm(bytes, json, file: ExportBundle.manifest)
    }

    /// Reads a manifest whose members have the types of ``shape``.
    private init(json: JSONValue) throws(AuditError) {
        guard case .object(let fields) = json, case .object(let fileFields)? = fields["files"] else {
            throw AuditError.failed("\(ExportBundle.manifest): must be a JSON object")
        }
        guard fields["format"] == .string(ExportBundle.format) else {
            throw AuditError.failed("the manifest's format is not \(ExportBundle.format)")
        }
        func count(_ key: String) -> UInt64? {
            if case .integer(let value)? = fields[key] { UInt64(value) } else { nil }
        }
        guard case .string(let kindName)? = fields["kind"], let kind = Kind(rawValue: kindName) else {
            throw AuditError.failed("the manifest's kind must be full, incremental or filtered")
        }
        guard case .string(let origin)? = fields["origin"] else { throw AuditError.failed("the manifest has no origin") }
        guard case .string(let rootHex)? = fields["rootHash"], let root = BundleJSON.hash(rootHex) else {
            throw AuditError.failed("the manifest's rootHash is not 64 lower-case hexadecimal digits")
        }
        var files = [String: FileDigest]()
        for name in fileFields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard case .integer(let bytes)? = fileFields[name]?["bytes"], case .string(let hex)? = fileFields[name]?["sha256"],
                let hash = BundleJSON.hash(hex)
            else {
                throw AuditError.failed("the manifest's entry for \(name): sha256 is not 64 lower-case hexadecimal digits")
            }
            files[name] = FileDigest(bytes: Int(bytes), sha256: hash)
        }
        let query = try EventQuery(json: fields["query"])
        let previousTreeSize = count("previousTreeSize")
        guard (kind == .incremental) == (previousTreeSize != nil) else {
            throw AuditError.failed(
                kind == .incremental
                    ? "the manifest says incremental but states no previousTreeSize"
                    : "the manifest says \(kind.rawValue) but states a previousTreeSize")
        }
        guard (kind == .filtered) == query.isFiltered else {
            throw AuditError.failed("the manifest says \(kind.rawValue) but \(kind == .filtered ? "states no" : "states a") filter")
        }
        self.init(
            kind: kind, origin: origin, treeHead: TreeHead(size: count("treeSize")!, root: root), query: query,
            previousTreeSize: previousTreeSize, eventCount: Int(count("eventCount")!), firstPosition: count("firstPosition"),
            lastPosition: count("lastPosition"), files: files)
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

    static let shape: BundleJSON.Shape = .object([
        "newRoot": .string, "newSize": .count, "oldRoot": .string, "oldSize": .count, "oldSubtrees": .strings, "proof": .strings,
    ])

    /// Reads `consistency.json` strictly (see ``BundleJSON``), as the manifest is read.
    init(bytes: [UInt8]) throws(AuditError) {
        let json = try BundleJSON.read(bytes, file: ExportBundle.consistency, shape: Self.shape)
        func size(_ key: String) -> UInt64 {
            if case .integer(let value)? = json[key] { UInt64(value) } else { 0 }
        }
        func hashes(_ key: String) throws(AuditError) -> [Hash256] {
            let items: [JSONValue]
            switch json[key] {
            case .array(let list)?: items = list
            case let value?: items = [value]
            case nil: items = []
            }
            var out = [Hash256]()
            for item in items {
                guard case .string(let hex) = item, let hash = BundleJSON.hash(hex) else {
                    throw AuditError.failed("\(ExportBundle.consistency): \(key) must hold 64-digit lower-case hexadecimal hashes")
                }
                out.append(hash)
            }
            return out
        }
        let (oldRoot, newRoot) = (try hashes("oldRoot"), try hashes("newRoot"))
        self.init(
            oldSize: size("oldSize"), oldRoot: oldRoot[0], newSize: size("newSize"), newRoot: newRoot[0], proof: try hashes("proof"),
            oldSubtrees: try hashes("oldSubtrees"))
        try BundleJSON.checkExactForm(bytes, json, file: ExportBundle.consistency)
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

    /// Reads one line strictly: exactly the two members, a position from 1, lower-case hashes, and
    /// the line exactly as the exporter writes it (canonical JSON).
    init(line: ArraySlice<UInt8>) throws(AuditError) {
        guard let value = try? JSONParser.parse(line), case .object(let fields) = value, fields.count == 2,
            case .integer(let position)? = fields["position"], position > 0, case .array(let items)? = fields["path"]
        else { throw AuditError.failed("not an inclusion proof line {\"path\": [...], \"position\": N}") }
        var path = [Hash256]()
        for item in items {
            guard case .string(let hex) = item, let hash = BundleJSON.hash(hex) else {
                throw AuditError.failed("an inclusion proof's path must hold 64-digit lower-case hexadecimal hashes")
            }
            path.append(hash)
        }
        self.init(position: UInt64(position), path: path)
        guard json.canonicalBytes.elementsEqual(line) else { throw AuditError.failed("not in the exact form the exporter writes") }
    }
}
