#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A one-line progress bar on standard error, for imports and other long work.
///
/// It is drawn only when standard error is a terminal (`isatty`) and the work has lasted more than
/// `delay`, so quick runs, pipes, files and tests see nothing. A background task redraws it a few
/// times a second, so callers may report progress as often as they like, and a phase with no known
/// total (one atomic batch being recorded) still shows that time passes. `finish()` erases it.
final class ProgressBar: Sendable {
    /// Nothing is drawn before the work has lasted this long.
    static let delay = Duration.milliseconds(400)
    static let redrawInterval = Duration.milliseconds(100)
    static let barWidth = 30

    private struct State {
        var label = ""
        var done = 0
        var total: Int?
        var phaseStarted = ContinuousClock.now
        var drawn = false
        var finished = false
        /// What is on the terminal now, so an unchanged bar is not written again.
        var shown = ""
    }

    /// The state the caller and the redrawing task share.
    private final class Shared: Sendable {
        let state = Mutex(State())
        let started = ContinuousClock.now
    }

    private let shared = Shared()
    private let ticker: Task<Void, Never>?

    /// A bar on standard error when it is a terminal; otherwise one that draws nothing.
    convenience init() {
        self.init(enabled: isatty(STDERR_FILENO) == 1)
    }

    init(enabled: Bool) {
        guard enabled else {
            ticker = nil
            return
        }
        let shared = shared
        ticker = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.redrawInterval)
                guard ContinuousClock.now - shared.started >= Self.delay else { continue }
                shared.state.withLock { current in
                    guard !current.finished else { return }
                    let elapsed = ContinuousClock.now - current.phaseStarted
                    let text = Self.render(label: current.label, done: current.done, total: current.total, elapsed: elapsed)
                    guard text != current.shown else { return }
                    Self.write("\r" + text + "\u{1B}[K")
                    current.shown = text
                    current.drawn = true
                }
            }
        }
    }

    deinit { ticker?.cancel() }

    /// Starts a phase of the work: `total` steps, or nil when its progress cannot be counted.
    func phase(_ label: String, total: Int?) {
        shared.state.withLock {
            $0.label = label
            $0.total = total
            $0.done = 0
            $0.phaseStarted = .now
        }
    }

    /// Reports how many steps of the phase are done.
    func update(_ done: Int) {
        shared.state.withLock { $0.done = done }
    }

    /// Stops drawing and erases the bar, so that what follows starts on a clean line.
    func finish() {
        ticker?.cancel()
        shared.state.withLock {
            if $0.drawn { Self.write("\r\u{1B}[K") }
            $0.drawn = false
            $0.finished = true
        }
    }

    /// The bar's text: `label [#######.......]  45%  2,304/5,120` or, without a total,
    /// `label … 3s`.
    static func render(label: String, done: Int, total: Int?, elapsed: Duration) -> String {
        guard let total, total > 0 else {
            return "\(label) … \(elapsed.components.seconds)s"
        }
        let fraction = min(1, max(0, Double(done) / Double(total)))
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
        let percent = Int((fraction * 100).rounded(.down))
        let percentText = String(repeating: " ", count: 3 - String(percent).count) + "\(percent)%"
        return "\(label) [\(bar)] \(percentText)  \(done)/\(total)"
    }

    private static func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(STDERR_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if written < 0, errno == EINTR { continue }
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
