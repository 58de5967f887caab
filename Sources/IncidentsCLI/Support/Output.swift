import LedgerModel

#if canImport(Glibc)
import Glibc
#endif

/// Buffered standard output, so printing a million events costs a few thousand writes.
final class Output {
    nonisolated(unsafe) static let standard = Output()

    private var buffer = [UInt8]()
    /// Why standard output could not be written (a full disk under `> file`); nil while it can.
    /// Once set, output is dropped, and `incidents` reports it as a storage failure at the end.
    private(set) var failure: SystemFailure?

    private init() {
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func line(_ text: String = "") {
        write(text)
        write("\n")
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        guard failure == nil else { return buffer.removeAll(keepingCapacity: true) }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 {
                    if written < 0, errno == EINTR { continue }
                    failure = written < 0 ? .last : SystemFailure(errno: ENOSPC)
                    break
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
