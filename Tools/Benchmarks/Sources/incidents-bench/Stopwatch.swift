#if canImport(Glibc)
import Glibc
#endif

/// Times work on the monotonic clock (`ContinuousClock`, `CLOCK_MONOTONIC` underneath on Linux).
enum Stopwatch {
    /// Runs `body` and returns its result with the seconds it took.
    static func time<Result>(_ body: () throws -> Result) rethrows -> (result: Result, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        return (result, seconds(start.duration(to: clock.now)))
    }

    /// Runs `body` and returns its result with the seconds it took.
    static func time<Result>(_ body: () async throws -> Result) async rethrows -> (result: Result, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await body()
        return (result, seconds(start.duration(to: clock.now)))
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// CPU time and bytes written to storage, from `getrusage`: whether a row waited on the disk or
/// worked the processor, and how much it wrote for its records.
struct ResourceUsage {
    /// User plus system CPU seconds, summed over all threads.
    var cpuSeconds: Double
    /// Bytes the process sent to storage (`ru_oublock`, counted in 512-byte blocks).
    var writtenBytes: Int

    /// This process's usage so far.
    static func ofThisProcess() -> ResourceUsage { read(RUSAGE_SELF.rawValue) }

    /// The usage of the child processes that have ended and been waited for.
    static func ofChildren() -> ResourceUsage { read(RUSAGE_CHILDREN.rawValue) }

    private static func read(_ who: __rusage_who_t) -> ResourceUsage {
        var usage = rusage()
        guard getrusage(who, &usage) == 0 else { return ResourceUsage(cpuSeconds: 0, writtenBytes: 0) }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return ResourceUsage(cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), writtenBytes: usage.ru_oublock * 512)
    }

    static func - (after: ResourceUsage, before: ResourceUsage) -> ResourceUsage {
        ResourceUsage(cpuSeconds: after.cpuSeconds - before.cpuSeconds, writtenBytes: after.writtenBytes - before.writtenBytes)
    }
}
