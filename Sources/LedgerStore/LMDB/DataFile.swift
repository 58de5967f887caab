#if canImport(Glibc)
import Glibc
#endif

/// LMDB's data file, `data.mdb`, read with `pread` and never through the memory map, so that a
/// damaged or truncated file gives an error instead of a memory fault.
///
/// The layout is liblmdb 0.9's (`mdb.c`, 64-bit): every page starts with a 16-byte header
/// (`MDB_page`: page number, pad, flags, then lower/upper free-space bounds or, on an overflow
/// page, its page count); pages 0 and 1 are meta pages (`MDB_meta`), and the one with the larger
/// transaction id is current. Integers are in the machine's byte order, as LMDB writes them.
final class DataFile {
    /// `PAGEHDRSZ`.
    static let pageHeaderSize = 16
    /// `offsetof(MDB_node, mn_data)`.
    static let nodeHeaderSize = 8
    /// `sizeof(MDB_db)`.
    static let databaseRecordSize = 48
    /// `MDB_MAGIC`.
    static let magic: UInt32 = 0xBEEF_C0DE
    /// `MDB_DATA_VERSION`.
    static let dataVersion: UInt32 = 1
    /// `P_INVALID`: the root of an empty database.
    static let invalidPage = UInt64.max

    /// `MDB_page.mp_flags` bits.
    enum PageFlags {
        static let branch: UInt16 = 0x01
        static let leaf: UInt16 = 0x02
        static let overflow: UInt16 = 0x04
        static let meta: UInt16 = 0x08
        static let dirty: UInt16 = 0x10
        static let leaf2: UInt16 = 0x20
        static let subpage: UInt16 = 0x40
    }

    /// `MDB_node.mn_flags` bits of a leaf node.
    enum NodeFlags {
        static let bigData: UInt16 = 0x01
        static let subData: UInt16 = 0x02
        static let dupData: UInt16 = 0x04
    }

    /// `MDB_db`: one database's record, in a meta page or in a main-database node.
    struct DatabaseRecord: Equatable {
        /// In the free database's record of a meta page: the page size.
        var pad: UInt32
        var flags: UInt16
        var depth: UInt16
        var branchPages: UInt64
        var leafPages: UInt64
        var overflowPages: UInt64
        var entries: UInt64
        var root: UInt64

        init(_ bytes: [UInt8], at offset: Int) {
            pad = bytes.load(offset)
            flags = bytes.load(offset + 4)
            depth = bytes.load(offset + 6)
            branchPages = bytes.load(offset + 8)
            leafPages = bytes.load(offset + 16)
            overflowPages = bytes.load(offset + 24)
            entries = bytes.load(offset + 32)
            root = bytes.load(offset + 40)
        }
    }

    /// `MDB_meta`, with the header of the page it was read from.
    struct Meta {
        var pageNumber: UInt64
        var pageFlags: UInt16
        var magic: UInt32
        var version: UInt32
        var mapSize: UInt64
        var free: DatabaseRecord
        var main: DatabaseRecord
        var lastPage: UInt64
        var transactionID: UInt64

        /// `mm_psize`, kept in the free database's pad.
        var pageSize: Int { Int(free.pad) }

        /// `sizeof(MDB_page header) + sizeof(MDB_meta)`: what LMDB reads of a meta page.
        static let byteCount = DataFile.pageHeaderSize + 136

        init(_ bytes: [UInt8]) {
            pageNumber = bytes.load(0)
            pageFlags = bytes.load(10)
            let base = DataFile.pageHeaderSize
            magic = bytes.load(base)
            version = bytes.load(base + 4)
            mapSize = bytes.load(base + 16)
            free = DatabaseRecord(bytes, at: base + 24)
            main = DatabaseRecord(bytes, at: base + 24 + DataFile.databaseRecordSize)
            lastPage = bytes.load(base + 120)
            transactionID = bytes.load(base + 128)
        }
    }

    let path: String
    private let descriptor: Int32
    /// The file's size when it was opened.
    let size: Int

    /// Opens `path` for reading; nil when it cannot be opened (LMDB will then say why).
    init?(path: String) {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            Glibc.close(descriptor)
            return nil
        }
        self.path = path
        self.descriptor = descriptor
        self.size = Int(status.st_size)
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// `count` bytes from `offset`, or nil when the file ends first or cannot be read.
    func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard offset <= UInt64(Int.max - count) else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, count - done, off_t(Int(offset) + done))
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { return nil }
            done += got
        }
        return bytes
    }

    /// The two meta pages as LMDB reads them: meta 0 at offset 0, meta 1 one page (meta 0's page
    /// size) later. nil for a page that is cut short.
    func metas() -> (Meta?, Meta?) {
        let first = read(at: 0, count: Meta.byteCount).map(Meta.init)
        let pageSize = first.map { UInt64($0.pageSize) } ?? 4096
        let second = read(at: pageSize, count: Meta.byteCount).map(Meta.init)
        return (first, second)
    }
}

extension [UInt8] {
    /// The integer stored at `offset` in the machine's byte order (how LMDB stores its integers).
    @inline(__always)
    func load<Value: FixedWidthInteger>(_ offset: Int, as type: Value.Type = Value.self) -> Value {
        withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Value.self) }
    }
}
