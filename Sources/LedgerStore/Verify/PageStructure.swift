#if canImport(Glibc)
import Glibc
#endif

/// A check of LMDB's B-trees in `data.mdb`, read with `pread` so that no damage can fault: what
/// `verify` runs before LMDB follows a single pointer.
///
/// From the current meta page it walks the main database, every named database it lists and the
/// free database, and checks each page: its number is inside the file and matches where it was
/// read; its flags fit its place (branch above, leaf at the database's depth, overflow where a
/// node points); its free-space bounds and node offsets lie inside the page and every node (key,
/// data, overflow run) fits; keys ascend under the database's comparison and stay between the
/// separators above them; the page counts, depth and entry count match the database's record; no
/// page is reached twice, and no page in use is also listed as free.
struct PageStructure {
    /// Who holds a page, for reports and for the corruption tests.
    enum Owner: Equatable, Sendable {
        case meta
        case main
        case free
        /// A page listed in the free database (free space).
        case freeSpace
        case database(String)
        /// Not reached from the current meta at all (free space that was never listed, or slack).
        case unreached
    }

    /// The first damage found.
    struct Damage: Error {
        var detail: String
        /// In a database of derived data (projections), outside the hash chain: the log is intact.
        var inDerivedData = false
        var ledgerError: LedgerError {
            inDerivedData
                ? LedgerError(
                    .corrupt,
                    "data.mdb is damaged: \(detail); the log is intact, the damage is in derived data", detail: .damagedDerivedData)
                : DataFile.damaged(detail)
        }
    }

    /// What a successful walk found.
    struct Map: Sendable {
        var pageSize: Int
        var pageCount: UInt64
        /// The meta transaction the walk started from.
        var transactionID: UInt64
        /// The owner of each page, by page number.
        var owners: [Owner]
    }

    /// The names of the databases a ledger keeps (`Environment`); no other may be in the main database.
    static let ledgerDatabaseNames: Set<String> = {
        let core = Environment.databaseNames
        return Set([core.log, core.streams, core.ids, core.meta] + Environment.addedDatabaseNames)
    }()

    /// Walks the ledger in `directory`.
    ///
    /// Another process may commit during the walk, after which pages the walk started from may be
    /// reused; damage is only reported when the current meta page was the same before and after the
    /// walk, and the walk is repeated otherwise.
    /// `keyOrder` false leaves out the order of keys (damage LMDB reads and writes through without
    /// touching memory outside its pages: it only finds the wrong entry), keeping every check of a
    /// page's own layout.
    static func check(directory: String, keyOrder: Bool = true) throws(LedgerError) -> Map? {
        var attempts = 0
        while true {
            guard let header = try DataFile.readHeader(inDirectory: directory),
                let file = DataFile(path: directory + "/data.mdb")
            else { return nil }
            do {
                var walker = Walker(file: file, header: header)
                walker.checksKeyOrder = keyOrder
                return try walker.run()
            } catch {
                attempts += 1
                let now = try DataFile.readHeader(inDirectory: directory)
                if now?.meta.transactionID == header.meta.transactionID || attempts == 5 {
                    throw error.ledgerError
                }
            }
        }
    }

    /// The comparison LMDB uses for a database's keys.
    enum KeyOrder {
        /// The default: `memcmp`, a shorter key first when one is a prefix of the other.
        case bytes
        /// `MDB_INTEGERKEY`: native unsigned integers of one size.
        case integer
    }

    /// The walk itself.
    private struct Walker {
        let file: DataFile
        let header: DataFile.Header
        var owners: [Owner]
        /// The pages, entries and depth found in the database being walked.
        var found = Tally()
        /// Whether keys must ascend within pages and between separators.
        var checksKeyOrder = true

        struct Tally {
            var branchPages: UInt64 = 0
            var leafPages: UInt64 = 0
            var overflowPages: UInt64 = 0
            var entries: UInt64 = 0
        }

        /// What one database's walk needs to know.
        struct Tree {
            var name: String
            var owner: Owner
            var record: DataFile.DatabaseRecord
            var order: KeyOrder
            /// Whether leaf nodes are named sub-databases (the main database).
            var holdsDatabases: Bool
        }

        init(file: DataFile, header: DataFile.Header) {
            self.file = file
            self.header = header
            owners = Array(repeating: .unreached, count: Int(header.pageCount))
            owners[0] = .meta
            owners[1] = .meta
        }

        var pageSize: Int { header.pageSize }

        mutating func run() throws(Damage) -> Map {
            let meta = header.meta
            guard meta.main.flags == 0 else { throw Damage(detail: "the main database has flags \(meta.main.flags), which the ledger never sets") }
            guard meta.free.flags == 0x08 else { throw Damage(detail: "the free database has flags \(meta.free.flags) where LMDB sets MDB_INTEGERKEY") }
            var databases = [(String, DataFile.DatabaseRecord)]()
            try walk(Tree(name: "main", owner: .main, record: meta.main, order: .bytes, holdsDatabases: true)) { name, record in
                databases.append((name, record))
            }
            for (name, record) in databases {
                guard record.flags == 0 else {
                    throw Damage(detail: "database \(name) has flags \(record.flags), which the ledger never sets")
                }
                do {
                    try walk(Tree(name: name, owner: .database(name), record: record, order: .bytes, holdsDatabases: false)) { _, _ in }
                } catch where Environment.derivedDatabaseNames.contains(name) {
                    throw Damage(detail: error.detail, inDerivedData: true)
                }
            }
            var freePages = [UInt64]()
            try walk(Tree(name: "free", owner: .free, record: meta.free, order: .integer, holdsDatabases: false)) { _, _ in } freeList: {
                freePages.append(contentsOf: $0)
            }
            for page in freePages {
                guard page >= 2, page <= meta.lastPage else {
                    throw Damage(detail: "the free list names page \(page), outside pages 2…\(meta.lastPage)")
                }
                switch owners[Int(page)] {
                case .unreached: owners[Int(page)] = .freeSpace
                case .freeSpace: throw Damage(detail: "the free list names page \(page) twice")
                case let owner: throw Damage(detail: "page \(page) is in use by \(Self.describe(owner)) but also listed as free")
                }
            }
            return Map(pageSize: pageSize, pageCount: header.pageCount, transactionID: meta.transactionID, owners: owners)
        }

        static func describe(_ owner: Owner) -> String {
            switch owner {
            case .meta: "the meta pages"
            case .main: "the main database"
            case .free: "the free database"
            case .freeSpace: "free space"
            case .database(let name): "database \(name)"
            case .unreached: "nothing"
            }
        }

        /// Walks one tree; `subDatabase` receives each named database of the main one, `freeList`
        /// the page numbers of each free-database entry.
        mutating func walk(
            _ tree: Tree, subDatabase: (String, DataFile.DatabaseRecord) throws(Damage) -> Void,
            freeList: ([UInt64]) -> Void = { _ in }
        ) throws(Damage) {
            let record = tree.record
            found = Tally()
            if record.root == DataFile.invalidPage {
                guard record.depth == 0, record.entries == 0, record.branchPages == 0, record.leafPages == 0, record.overflowPages == 0 else {
                    throw Damage(detail: "database \(tree.name) has no root page but its record counts pages or entries")
                }
                return
            }
            guard record.depth >= 1, record.depth <= 32 else {
                throw Damage(detail: "database \(tree.name) has a depth of \(record.depth)")
            }
            try page(record.root, level: 1, lower: nil, upper: nil, tree, subDatabase, freeList)
            let counted = (found.branchPages, found.leafPages, found.overflowPages, found.entries)
            let recorded = (record.branchPages, record.leafPages, record.overflowPages, record.entries)
            guard counted == recorded else {
                throw Damage(detail: "database \(tree.name)'s record counts \(recorded.0) branch, \(recorded.1) leaf and \(recorded.2) overflow pages and \(recorded.3) entries, but its pages hold \(counted.0), \(counted.1), \(counted.2) and \(counted.3)")
            }
        }

        /// Reads page `number` and claims it for `tree`.
        mutating func read(_ number: UInt64, for tree: Tree, from parent: String) throws(Damage) -> [UInt8] {
            guard number >= 2, number <= header.meta.lastPage else {
                throw Damage(detail: "\(parent) points at page \(number), outside pages 2…\(header.meta.lastPage) of the file")
            }
            guard owners[Int(number)] == .unreached else {
                throw Damage(detail: "\(parent) points at page \(number), which is reached twice (it already belongs to \(Self.describe(owners[Int(number)])))")
            }
            guard let bytes = file.read(at: number * UInt64(pageSize), count: pageSize) else {
                throw Damage(detail: "page \(number) of database \(tree.name) lies beyond the end of the file")
            }
            guard bytes.load(0, as: UInt64.self) == number else {
                throw Damage(detail: "page \(number) of database \(tree.name) has the page number \(bytes.load(0, as: UInt64.self)) in its header")
            }
            owners[Int(number)] = tree.owner
            return bytes
        }

        /// A node's key: where it starts in the page and how long it is.
        struct Key {
            var start: Int
            var count: Int
        }

        mutating func page(
            _ number: UInt64, level: Int, lower: [UInt8]?, upper: [UInt8]?, _ tree: Tree,
            _ subDatabase: (String, DataFile.DatabaseRecord) throws(Damage) -> Void, _ freeList: ([UInt64]) -> Void
        ) throws(Damage) {
            let parent = level == 1 ? "the record of database \(tree.name)" : "a branch page of database \(tree.name)"
            let bytes = try read(number, for: tree, from: parent)
            let here = "page \(number) of database \(tree.name)"
            let flags = bytes.load(10, as: UInt16.self) & ~DataFile.PageFlags.dirty
            let isLeaf = level == Int(tree.record.depth)
            let expected = isLeaf ? DataFile.PageFlags.leaf : DataFile.PageFlags.branch
            guard flags == expected else {
                throw Damage(detail: "\(here) has page flags \(flags) where a \(isLeaf ? "leaf" : "branch") page (\(expected)) belongs at depth \(level)")
            }
            let lowerBound = Int(bytes.load(12, as: UInt16.self))
            let upperBound = Int(bytes.load(14, as: UInt16.self))
            guard lowerBound >= DataFile.pageHeaderSize, lowerBound <= upperBound, upperBound <= pageSize, (lowerBound - DataFile.pageHeaderSize) % 2 == 0 else {
                throw Damage(detail: "\(here) has free-space bounds (\(lowerBound), \(upperBound)) that do not fit a page of \(pageSize) bytes")
            }
            let count = (lowerBound - DataFile.pageHeaderSize) / 2
            guard count > 0 else { throw Damage(detail: "\(here) holds no nodes") }
            if isLeaf { found.leafPages += 1 } else { found.branchPages += 1 }

            var keys = [Key]()
            keys.reserveCapacity(count)
            var children = [UInt64]()
            for index in 0..<count {
                let offset = Int(bytes.load(DataFile.pageHeaderSize + 2 * index, as: UInt16.self))
                guard offset >= upperBound, offset + DataFile.nodeHeaderSize <= pageSize else {
                    throw Damage(detail: "\(here) has a node offset (\(offset)) outside its node area \(upperBound)…\(pageSize)")
                }
                let low = UInt64(bytes.load(offset, as: UInt16.self))
                let high = UInt64(bytes.load(offset + 2, as: UInt16.self))
                let nodeFlags = bytes.load(offset + 4, as: UInt16.self)
                let keySize = Int(bytes.load(offset + 6, as: UInt16.self))
                let keyStart = offset + DataFile.nodeHeaderSize
                guard keyStart + keySize <= pageSize else {
                    throw Damage(detail: "\(here) has a node whose key (\(keySize) bytes) runs past the end of the page")
                }
                guard tree.order == .bytes || keySize == 8 || (!isLeaf && index == 0) else {
                    throw Damage(detail: "\(here) has a key of \(keySize) bytes where this database's keys are 8-byte integers")
                }
                keys.append(Key(start: keyStart, count: keySize))
                if !isLeaf {
                    children.append(low | high << 16 | UInt64(nodeFlags) << 32)
                    continue
                }
                found.entries += 1
                let dataSize = Int(low | high << 16)
                let dataStart = keyStart + keySize
                guard nodeFlags & ~(DataFile.NodeFlags.bigData | DataFile.NodeFlags.subData) == 0,
                    nodeFlags & DataFile.NodeFlags.subData == 0 || tree.holdsDatabases
                else {
                    throw Damage(detail: "\(here) has a node with flags \(nodeFlags), which this database never holds")
                }
                let data: [UInt8]
                if nodeFlags & DataFile.NodeFlags.bigData != 0 {
                    guard dataStart + 8 <= pageSize else {
                        throw Damage(detail: "\(here) has a node whose overflow page number runs past the end of the page")
                    }
                    let first = bytes.load(dataStart, as: UInt64.self)
                    data = try overflow(first, bytes: dataSize, tree, from: here, readingData: tree.holdsDatabases || tree.order == .integer)
                } else {
                    guard dataStart + dataSize <= pageSize else {
                        throw Damage(detail: "\(here) has a node whose data (\(dataSize) bytes) runs past the end of the page")
                    }
                    data = tree.holdsDatabases || tree.order == .integer ? Array(bytes[dataStart..<dataStart + dataSize]) : []
                }
                if tree.holdsDatabases {
                    let name = String(decoding: bytes[keyStart..<keyStart + keySize], as: UTF8.self)
                    guard PageStructure.ledgerDatabaseNames.contains(name) else {
                        throw Damage(detail: "the main database names a database the ledger does not keep (page \(number))")
                    }
                    guard nodeFlags == DataFile.NodeFlags.subData, data.count == DataFile.databaseRecordSize else {
                        throw Damage(detail: "\(here) holds the entry of database \(name) in a form that is not a database record")
                    }
                    try subDatabase(name, DataFile.DatabaseRecord(data, at: 0))
                } else if tree.order == .integer {
                    try freeList(Self.pageList(data, here))
                }
            }
            // Keys ascend, and stay within the separators the parent gave (a branch's first key is not used).
            let checked = !checksKeyOrder ? [][...] : isLeaf ? keys[...] : keys.dropFirst()
            var previous: Key? = nil
            for key in checked {
                if let previous {
                    guard compare(bytes, previous, bytes, key, tree.order) < 0 else {
                        throw Damage(detail: "\(here) has keys out of order")
                    }
                } else if let lower {
                    guard compare(lower, Key(start: 0, count: lower.count), bytes, key, tree.order) <= 0 else {
                        throw Damage(detail: "\(here) has a key below the separator in the branch page above it")
                    }
                }
                previous = key
            }
            if let last = checked.last, let upper {
                guard compare(bytes, last, upper, Key(start: 0, count: upper.count), tree.order) < 0 else {
                    throw Damage(detail: "\(here) has a key above the next separator in the branch page above it")
                }
            }
            for (index, child) in children.enumerated() {
                let childLower = index == 0 ? lower : Array(bytes[keys[index].start..<keys[index].start + keys[index].count])
                let childUpper = index + 1 < children.count ? Array(bytes[keys[index + 1].start..<keys[index + 1].start + keys[index + 1].count]) : upper
                try page(child, level: level + 1, lower: childLower, upper: childUpper, tree, subDatabase, freeList)
            }
        }

        /// Checks the run of overflow pages at `first` that holds `byteCount` bytes of a node's data
        /// and claims it; returns the data when `readingData`.
        mutating func overflow(_ first: UInt64, bytes byteCount: Int, _ tree: Tree, from node: String, readingData: Bool) throws(Damage) -> [UInt8] {
            let head = try read(first, for: tree, from: node)
            let here = "overflow page \(first) of database \(tree.name)"
            guard head.load(10, as: UInt16.self) & ~DataFile.PageFlags.dirty == DataFile.PageFlags.overflow else {
                throw Damage(detail: "\(here) is not marked as an overflow page")
            }
            let pages = UInt64(head.load(12, as: UInt32.self))
            let needed = UInt64((DataFile.pageHeaderSize - 1 + byteCount) / pageSize + 1)  // OVPAGES
            guard pages >= needed, first + pages - 1 <= header.meta.lastPage else {
                throw Damage(detail: "\(here) starts a run of \(pages) pages that does not fit the \(byteCount) bytes it holds inside the file")
            }
            for page in first + 1..<first + pages {
                guard owners[Int(page)] == .unreached else {
                    throw Damage(detail: "\(here) starts a run that overlaps page \(page) of \(Self.describe(owners[Int(page)]))")
                }
                owners[Int(page)] = tree.owner
            }
            found.overflowPages += pages
            guard readingData else { return [] }
            guard let data = file.read(at: first * UInt64(pageSize) + UInt64(DataFile.pageHeaderSize), count: byteCount) else {
                throw Damage(detail: "\(here) lies beyond the end of the file")
            }
            return data
        }

        /// The page numbers of one free-database entry (an `MDB_IDL`: a count, then the pages).
        static func pageList(_ data: [UInt8], _ here: String) throws(Damage) -> [UInt64] {
            guard data.count >= 8, data.count % 8 == 0, data.load(0, as: UInt64.self) == UInt64(data.count / 8 - 1) else {
                throw Damage(detail: "\(here) holds a free-list entry whose count does not match its size")
            }
            return (1..<data.count / 8).map { data.load($0 * 8, as: UInt64.self) }
        }

        /// LMDB's comparison of two keys (`mdb_cmp_memn`, or `mdb_cmp_long`/`mdb_cmp_int`).
        func compare(_ a: [UInt8], _ keyA: Key, _ b: [UInt8], _ keyB: Key, _ order: KeyOrder) -> Int {
            switch order {
            case .integer:
                func value(_ bytes: [UInt8], _ key: Key) -> UInt64 {
                    key.count == 8 ? bytes.load(key.start, as: UInt64.self) : key.count == 4 ? UInt64(bytes.load(key.start, as: UInt32.self)) : 0
                }
                let (x, y) = (value(a, keyA), value(b, keyB))
                return x < y ? -1 : x > y ? 1 : 0
            case .bytes:
                let common = min(keyA.count, keyB.count)
                guard common > 0 else { return keyA.count - keyB.count }
                let result = a.withUnsafeBytes { pa in
                    b.withUnsafeBytes { pb in memcmp(pa.baseAddress! + keyA.start, pb.baseAddress! + keyB.start, common) }
                }
                if result != 0 { return Int(result) }
                return keyA.count - keyB.count
            }
        }
    }
}
