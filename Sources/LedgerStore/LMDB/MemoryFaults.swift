import CLMDB
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a memory fault means "LMDB read a damaged data file", for a process's SIGBUS/SIGSEGV
/// handler (the `incidents` tool installs one; see docs/architecture.md, "Verification").
///
/// Commands other than `verify` do not walk the whole file before reading it, so a damaged page
/// can make LMDB, or code reading a value LMDB returned, touch memory it should not: past the end
/// of the file inside the map (SIGBUS), or through a garbage offset or size (SIGSEGV). A fault
/// counts as the ledger's when its address lies in an open environment's map or within 4 GiB and
/// 64 KiB after it — the reach of a damaged node's 32-bit data size or 16-bit offset read from
/// inside the map (a large copy may touch its last byte first, as glibc's memcpy does, so the fault
/// can lie that far past the map) — or when the faulting instruction is inside liblmdb's code. Any
/// other fault is a bug, and the handler must let it take its normal course.
public enum LedgerMemoryFaults {
    /// Map slots: more than any process holds open environments at once. A test process runs
    /// hundreds of tests concurrently, each with its ledgers open (256 slots could fill up there,
    /// leaving a new map uncovered); a handler scanning 4096 pairs on a fault costs nothing.
    static let slotCount = 4096
    /// How far past a map's end a fault still counts as a read of the map: a 32-bit size plus a
    /// 16-bit offset from inside it.
    static let reachPastMap: UInt = (1 << 32) + (1 << 16)

    /// Pairs of [start, end) addresses: the maps of open environments (slots 0..<slotCount), then
    /// liblmdb's executable segments. Written under `lock`; read with plain loads by a signal
    /// handler, which may interrupt a write at any instruction: a word-sized aligned store is seen
    /// either before or after, and a slot is cleared (end first) before its start changes.
    nonisolated(unsafe) private static let ranges: UnsafeMutablePointer<UInt> = {
        let pointer = UnsafeMutablePointer<UInt>.allocate(capacity: 4 * slotCount)
        pointer.initialize(repeating: 0, count: 4 * slotCount)
        return pointer
    }()
    /// The environment each map slot belongs to (its handle's address); never read by the handler.
    nonisolated(unsafe) private static let owners: UnsafeMutablePointer<UInt> = {
        let pointer = UnsafeMutablePointer<UInt>.allocate(capacity: slotCount)
        pointer.initialize(repeating: 0, count: slotCount)
        return pointer
    }()
    private static let lock = NSLock()

    /// Gets everything ready that ``isLedgerFault(address:programCounter:)`` reads, so that the
    /// handler itself allocates nothing and initializes nothing. Call once, before installing it.
    public static func prepare() {
        lock.lock()
        defer { lock.unlock() }
        for (index, range) in lmdbCodeRanges().prefix(slotCount).enumerated() {
            ranges[2 * (slotCount + index)] = range.lowerBound
            ranges[2 * (slotCount + index) + 1] = range.upperBound
        }
    }

    /// Whether a fault at `address` with the instruction pointer at `programCounter` comes from
    /// reading a damaged ledger file. Async-signal-safe: plain loads and comparisons only.
    public static func isLedgerFault(address: UInt, programCounter: UInt) -> Bool {
        for slot in 0..<slotCount {
            let start = ranges[2 * slot]
            let end = ranges[2 * slot + 1]
            if end != 0, address >= start, address - start < end - start + reachPastMap { return true }
        }
        for slot in slotCount..<2 * slotCount {
            let start = ranges[2 * slot]
            let end = ranges[2 * slot + 1]
            if end != 0, programCounter >= start, programCounter < end { return true }
        }
        return false
    }

    /// Records the map of the environment `owner` (its LMDB handle) over `dataFile`, replacing what
    /// that environment recorded before (after a resize). (LMDB does not say where its map is:
    /// `me_mapaddr` is only set for a fixed map; the map is the mapping of the data file.)
    ///
    /// Slots belong to their environment, not to an address: a map that one environment gives up
    /// may be reused by another's at the same address, and two environments on one file in one
    /// process each take a mapping the other has not recorded.
    static func record(mapOf dataFile: String, owner: OpaquePointer) {
        let key = UInt(bitPattern: owner)
        guard let resolved = realpath(dataFile, nil) else { return forget(owner: owner) }
        let path = String(cString: resolved)
        free(resolved)
        let candidates = mappings().filter { $0.path == path && !$0.permissions.contains("w") }.map(\.range)
        lock.lock()
        defer { lock.unlock() }
        clear(key)
        let taken = Set((0..<slotCount).compactMap { ranges[2 * $0 + 1] != 0 ? ranges[2 * $0] : nil })
        // More than slotCount open environments in one process: the extra ones are not covered.
        guard let map = candidates.last(where: { !taken.contains($0.lowerBound) }) ?? candidates.last,
            let slot = (0..<slotCount).first(where: { ranges[2 * $0 + 1] == 0 })
        else { return }
        owners[slot] = key
        ranges[2 * slot] = map.lowerBound
        ranges[2 * slot + 1] = map.upperBound
    }

    /// Forgets the map of the environment `owner`, before it is closed.
    static func forget(owner: OpaquePointer) {
        lock.lock()
        defer { lock.unlock() }
        clear(UInt(bitPattern: owner))
    }

    /// Clears the slots of `owner`, end first, so a handler never sees a slot half cleared.
    private static func clear(_ owner: UInt) {
        for slot in 0..<slotCount where owners[slot] == owner && ranges[2 * slot + 1] != 0 {
            ranges[2 * slot + 1] = 0
            ranges[2 * slot] = 0
            owners[slot] = 0
        }
    }

    /// The executable segments of the loaded liblmdb (liblmdb.so.*).
    private static func lmdbCodeRanges() -> [Range<UInt>] {
        mappings().filter { $0.permissions.contains("x") && $0.path.split(separator: "/").last?.hasPrefix("liblmdb.so") == true }.map(\.range)
    }

    /// The process's memory mappings, from /proc/self/maps (read to its end: its size reads as 0).
    private static func mappings() -> [(range: Range<UInt>, permissions: Substring, path: String)] {
        let descriptor = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            bytes += chunk[0..<got]
        }
        var result = [(range: Range<UInt>, permissions: Substring, path: String)]()
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            // start-end perms offset dev inode path (the path may hold spaces)
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), start < end else { continue }
            result.append((start..<end, fields[1], String(fields[5].drop(while: { $0 == " " }))))
        }
        return result
    }
}
