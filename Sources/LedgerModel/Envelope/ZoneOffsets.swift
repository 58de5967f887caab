import Foundation
import Synchronization

/// A time zone's UTC offsets as a table of transitions, read once from Foundation's `TimeZone`, so
/// that turning instants into local wall-clock times and back is a binary search and an addition.
///
/// All values are microseconds. The table holds every offset change Foundation reports from
/// 1900-01-01 to 2200-01-01; before that range the offset of 1900 applies, after it the offset of
/// the last change before 2200.
public struct ZoneOffsets: Sendable {
    /// Instants at which the offset changes, ascending.
    package let transitions: [Int64]
    /// `offsets[i]` is the offset (local minus UTC) from `transitions[i - 1]` up to `transitions[i]`;
    /// one more entry than `transitions`.
    package let offsets: [Int64]
    /// `localEnds[i]` is the largest `transitions[j] + offsets[j]` for `j <= i`: the wall-clock time
    /// that segment `i` (or an earlier one) reaches; the last entry is `Int64.max`.
    package let localEnds: [Int64]

    private init(transitions: [Int64], offsets: [Int64]) {
        self.transitions = transitions
        self.offsets = offsets
        var ends: [Int64] = []
        ends.reserveCapacity(offsets.count)
        var highest = Int64.min
        for index in transitions.indices {
            highest = max(highest, transitions[index] + offsets[index])
            ends.append(highest)
        }
        ends.append(.max)
        localEnds = ends
    }

    /// The offsets of a zone with this IANA name, or nil when Foundation does not know it.
    /// Tables are built once per name and shared.
    public static func named(_ identifier: String) -> ZoneOffsets? {
        if let cached = cache.withLock({ $0[identifier] }) { return cached }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        let table = build(zone)
        cache.withLock { $0[identifier] = table }
        return table
    }

    /// UTC: no transitions, offset zero.
    public static let utc = ZoneOffsets(transitions: [], offsets: [0])

    private static let cache = Mutex<[String: ZoneOffsets]>([:])

    /// 1900-01-01T00:00:00Z and 2200-01-01T00:00:00Z in seconds.
    private static let tableStart: Int64 = -2_208_988_800
    private static let tableEnd: Int64 = 7_258_118_400

    private static func build(_ zone: TimeZone) -> ZoneOffsets {
        var transitions: [Int64] = []
        var offsets: [Int64] = [Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(tableStart)))) * 1_000_000]
        var cursor = Date(timeIntervalSince1970: TimeInterval(tableStart))
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next > cursor {
            let seconds = Int64(next.timeIntervalSince1970.rounded())
            guard seconds < tableEnd else { break }
            let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))) * 1_000_000
            // A change of abbreviation or of the DST flag alone moves no clock.
            if offset != offsets[offsets.count - 1] {
                transitions.append(seconds * 1_000_000)
                offsets.append(offset)
            }
            cursor = next
        }
        return ZoneOffsets(transitions: transitions, offsets: offsets)
    }

    /// The segment (index into `offsets`) that holds an instant.
    @inline(__always)
    package func segment(containingInstant instant: Int64) -> Int {
        // The number of transitions at or before the instant.
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The local wall-clock time of an instant, as microseconds since 1970-01-01T00:00 local.
    @inline(__always)
    package func localTime(ofInstant instant: Int64) -> Int64 {
        instant + offsets[segment(containingInstant: instant)]
    }

    /// The first segment whose wall-clock times reach past a local time.
    @inline(__always)
    package func segment(reachingLocal local: Int64) -> Int {
        var low = 0
        var high = localEnds.count - 1
        while low < high {
            let middle = (low + high) / 2
            if localEnds[middle] > local { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The instant a local wall-clock time stands for: the first instant at which the local clock
    /// shows that time or a later one.
    ///
    /// So a time that occurs once is that instant; a time repeated when the clocks go back is its
    /// first occurrence; a time skipped when the clocks go forward is the instant of the jump. The
    /// mapping never decreases, so wall-clock intervals that do not overlap give instants that do
    /// not overlap.
    @inline(__always)
    public func instant(forLocal local: Int64) -> Int64 {
        let index = segment(reachingLocal: local)
        let plain = local - offsets[index]
        return index == 0 ? plain : max(transitions[index - 1], plain)
    }

    /// Where segment `index` starts, as an instant (`Int64.min` for the first).
    @inline(__always)
    package func start(ofSegment index: Int) -> Int64 {
        index == 0 ? .min : transitions[index - 1]
    }
}
