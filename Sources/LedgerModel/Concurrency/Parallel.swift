import Dispatch

/// Work spread over every core, for steps whose items are independent: folding each incident's
/// events, checking each line of an export.
public enum Parallel {
    /// `body(index)` for every index in `0..<count`, run on all cores; the results in index order.
    public static func map<Result>(count: Int, _ body: @Sendable (Int) -> Result) -> [Result] {
        let slots = Slots<Result>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in slots[index] = body(index) }
        return (0..<count).map { slots[$0]! }
    }

    /// Result slots written by `DispatchQueue.concurrentPerform`, each index by exactly one iteration.
    /// A raw buffer, not an array property: concurrent writes to distinct elements of one array would
    /// trip Swift's exclusivity checks on the property.
    private final class Slots<Value>: @unchecked Sendable {
        private let values: UnsafeMutablePointer<Value?>
        private let count: Int

        init(count: Int) {
            self.count = count
            values = .allocate(capacity: max(count, 1))
            values.initialize(repeating: nil, count: count)
        }

        deinit {
            values.deinitialize(count: count)
            values.deallocate()
        }

        subscript(index: Int) -> Value? {
            get { values[index] }
            set { values[index] = newValue }
        }
    }
}
