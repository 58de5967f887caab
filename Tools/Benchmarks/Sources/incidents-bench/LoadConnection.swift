import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One keep-alive HTTP/1.1 connection to a loopback port on a blocking socket, for the load
/// client: a thread per connection sends a request, reads the whole answer, and sends the next.
/// It knows just enough HTTP for the server's answers: `Content-Length` and chunked bodies.
final class LoadConnection {
    private let socket: Int32
    private var buffer = [UInt8]()
    /// Where the unread bytes of `buffer` start.
    private var start = 0

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw BenchFailure("socket: \(String(cString: strerror(errno)))") }
        var noDelay: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw BenchFailure("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(socket) }

    /// Sends one request and reads its answer: the status, the headers (names in lower case) and the body.
    func request(
        _ method: String, _ path: String, token: String?, cookie: String? = nil, body: [UInt8]? = nil, contentType: String = "application/json",
        accept: String = "application/json"
    ) throws -> (status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        try send(method, path, token: token, cookie: cookie, body: body, contentType: contentType, accept: accept)
        return try readResponse()
    }

    /// Sends a request without reading the answer (the live tail reads it as it comes).
    func send(
        _ method: String, _ path: String, token: String?, cookie: String? = nil, body: [UInt8]? = nil, contentType: String = "application/json",
        accept: String = "application/json"
    ) throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: \(accept)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if let cookie { head += "Cookie: \(cookie)\r\n" }
        if let body { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if let body { bytes += body }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw BenchFailure("send: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    /// Reads the status line, headers and body of one answer.
    private func readResponse() throws -> (status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        let head = try readLine()
        let parts = head.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw BenchFailure("not an HTTP status line: \(head)") }
        var length: Int?
        var chunked = false
        var headers = [(name: String, value: String)]()
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            if let colon = line.firstIndex(of: ":") {
                headers.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            let field = line.lowercased()
            if field.hasPrefix("content-length:") { length = Int(field.dropFirst(15).trimmingCharacters(in: .whitespaces)) }
            if field.hasPrefix("transfer-encoding:"), field.contains("chunked") { chunked = true }
        }
        if chunked {
            var body = [UInt8]()
            while true {
                let size = try readLine()
                guard let count = Int(size.split(separator: ";")[0].trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw BenchFailure("bad chunk size \(size)")
                }
                body += try readBytes(count)
                _ = try readLine()
                if count == 0 { return (status, headers, body) }
            }
        }
        return (status, headers, try readBytes(length ?? 0))
    }

    /// Reads whatever arrives next (at least one byte), for a stream that never ends.
    func readAvailable() throws -> ArraySlice<UInt8> {
        if start == buffer.count { try fill() }
        defer { start = buffer.count }
        return buffer[start...]
    }

    private func readLine() throws -> String {
        while true {
            if let end = buffer[start...].firstIndex(of: 0x0A) {
                var line = buffer[start..<end]
                if line.last == 0x0D { line = line.dropLast() }
                start = end + 1
                return String(decoding: line, as: UTF8.self)
            }
            try fill()
        }
    }

    private func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count - start < count { try fill() }
        defer { start += count }
        return Array(buffer[start..<(start + count)])
    }

    /// Reads more bytes from the socket into the buffer, first dropping what was consumed.
    private func fill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw BenchFailure(count == 0 ? "the server closed the connection" : "recv: \(String(cString: strerror(errno)))") }
        buffer += chunk[..<count]
    }
}

/// Runs `body` on `count` threads of its own at once (the load client's connections block on their
/// sockets, so they must not take Swift's cooperative threads from the server), and waits for all.
func onThreads<Result: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Result) async throws -> [Result] {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        for index in 0..<count {
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    let thread = Thread { continuation.resume(with: Swift.Result { (index, try body(index)) }) }
                    thread.stackSize = 1 << 20
                    thread.start()
                }
            }
        }
        var results = [(Int, Result)]()
        for try await result in group { results.append(result) }
        return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
