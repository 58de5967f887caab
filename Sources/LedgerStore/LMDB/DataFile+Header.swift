/// The check made on every open, before LMDB maps the file: the meta pages are readable and agree
/// with each other and with the file's size. It costs two small reads.
extension DataFile {
    /// What the current meta page says, once it has been checked.
    struct Header {
        var meta: Meta
        var pageSize: Int
        /// The number of pages the current meta says the file holds (`mm_last_pg + 1`).
        var pageCount: UInt64
        /// The file's size when the meta pages were read.
        var fileSize: Int

        /// Whether the file ends before the last page the current meta counts.
        var isCutShort: Bool { fileSize < Int(pageCount) * pageSize }
    }

    /// The words that end every message about a damaged data file.
    static let restoreAdvice = "restore the ledger from a backup"

    /// A ``LedgerError/Code/corrupt`` error naming the damage to `data.mdb`.
    static func damaged(_ what: String) -> LedgerError {
        LedgerError(.corrupt, "data.mdb is damaged: \(what) — \(restoreAdvice)")
    }

    /// Checks the ledger's `data.mdb` in `directory` against its meta pages, reading with `pread`.
    ///
    /// Throws ``LedgerError/Code/corrupt`` for an empty file, a damaged meta page (magic, version,
    /// page header, page size, transaction ids that cannot both have been written by LMDB) and a
    /// file shorter than the pages the current meta counts, which LMDB would otherwise map and
    /// fault on. Returns nil when the file cannot be opened or carries no LMDB magic at all: LMDB
    /// then gives its own error (not an environment, permission denied), as before.
    ///
    /// LMDB does not write a page that a transaction allocated and freed again before it committed,
    /// so a healthy file can end before its last free page. A short file is therefore walked
    /// (``PageStructure``) and accepted when every page in use lies inside it; that costs a pass over
    /// the file, but only for a file that is short.
    static func checkHeader(inDirectory directory: String) throws(LedgerError) -> Header? {
        guard let header = try readHeader(inDirectory: directory) else { return nil }
        if header.isCutShort, (try? PageStructure.check(directory: directory)) == nil {
            let needed = Int(header.pageCount) * header.pageSize
            throw damaged("the file is \(header.fileSize) bytes but its meta page counts \(header.pageCount) pages of \(header.pageSize) bytes (\(needed) bytes), so it was cut short")
        }
        return header
    }

    /// Reads and checks the meta pages, as ``checkHeader(inDirectory:)`` does, but leaves the file's
    /// size to the caller.
    static func readHeader(inDirectory directory: String) throws(LedgerError) -> Header? {
        // A commit in another process may rewrite a meta page while it is read: look again.
        var attempt = 0
        while true {
            do {
                return try readHeaderOnce(path: directory + "/data.mdb")
            } catch {
                attempt += 1
                if attempt == 3 { throw error }
            }
        }
    }

    private static func readHeaderOnce(path: String) throws(LedgerError) -> Header? {
        guard let file = DataFile(path: path) else { return nil }
        guard file.size > 0 else {
            throw damaged("the file is empty (0 bytes)")
        }
        let (first, second) = file.metas()
        let magic = [first, second].map { $0?.magic == DataFile.magic }
        guard magic.contains(true) else { return nil }  // not LMDB's at all
        for (index, meta) in [first, second].enumerated() {
            guard let meta else {
                throw damaged("meta page \(index) is cut short (the file is \(file.size) bytes)")
            }
            guard meta.magic == DataFile.magic else { throw damaged("meta page \(index) has a wrong magic number") }
            guard meta.version == DataFile.dataVersion else {
                throw damaged("meta page \(index) has data format \(meta.version) where LMDB writes \(DataFile.dataVersion)")
            }
            guard meta.pageFlags & ~PageFlags.dirty == PageFlags.meta, meta.pageNumber == UInt64(index) else {
                throw damaged("meta page \(index) has a wrong page header")
            }
            let size = meta.pageSize
            guard size >= 512, size <= 65536, size & (size - 1) == 0 else {
                throw damaged("meta page \(index) gives a page size of \(size) bytes")
            }
            // LMDB writes the meta of transaction t into page t mod 2; a fresh file has 0 in both.
            guard meta.transactionID == 0 || meta.transactionID % 2 == UInt64(index) else {
                throw damaged("meta page \(index) holds transaction \(meta.transactionID), which LMDB never writes there")
            }
        }
        let metas = (first!, second!)
        guard metas.0.pageSize == metas.1.pageSize else {
            throw damaged("the meta pages disagree on the page size (\(metas.0.pageSize) and \(metas.1.pageSize) bytes)")
        }
        let ids = (metas.0.transactionID, metas.1.transactionID)
        guard max(ids.0, ids.1) - min(ids.0, ids.1) == 1 || (ids.0 == 0 && ids.1 == 0) else {
            throw damaged("the meta pages hold transactions \(ids.0) and \(ids.1), which are not consecutive")
        }
        // mdb_env_pick_meta: the larger transaction id; meta 0 when they are equal.
        let meta = ids.0 < ids.1 ? metas.1 : metas.0
        let pageSize = meta.pageSize
        guard meta.lastPage >= 1, meta.lastPage < UInt64(Int.max / pageSize) else {
            throw damaged("the current meta page gives \(meta.lastPage) as the last page")
        }
        let pageCount = meta.lastPage + 1
        let needed = Int(pageCount) * pageSize
        guard meta.mapSize >= UInt64(needed) else {
            throw damaged("the current meta page gives a map of \(meta.mapSize) bytes, smaller than the \(needed) bytes in use")
        }
        for (name, record) in [("free", meta.free), ("main", meta.main)] {
            guard record.root == DataFile.invalidPage || (record.root >= 2 && record.root <= meta.lastPage) else {
                throw damaged("the current meta page puts the \(name) database's root at page \(record.root), outside pages 2…\(meta.lastPage)")
            }
        }
        return Header(meta: meta, pageSize: pageSize, pageCount: pageCount, fileSize: file.size)
    }
}
