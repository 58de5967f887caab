import Dispatch
import Foundation
import LedgerTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A small, real HTTP/1.1 client over a TCP socket to 127.0.0.1, for tests: one connection per
/// request (`Connection: close`), Content-Length and chunked bodies, and Server-Sent Events read as
/// they arrive. Its blocking socket calls run on their own threads, never on the test's task.
struct HTTPTestClient: Sendable {
    struct Reply: Sendable {
        var status: Int
        /// Header names in lower case.
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as JSON, for assertions.
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    var token: String?
    /// How long any one read may wait, in seconds.
    var timeout: Double

    /// A client of the server on `port`. Tests that load the machine with many durable writes give a
    /// longer `timeout`: a full run loads it far past its 2 cores.
    init(port: Int, token: String? = nil, timeout: Double = 30) {
        self.port = port
        self.token = token
        self.timeout = timeout
    }

    func with(token: String?) -> HTTPTestClient {
        var copy = self
        copy.token = token
        return copy
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> Reply {
        try await send("GET", path, headers: headers)
    }

    func post(_ path: String, json: String, headers: [(String, String)] = []) async throws -> Reply {
        try await send("POST", path, headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
    }

    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws -> Reply {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + body
        let (port, timeout) = (self.port, self.timeout)
        return try await onItsOwnThread {
            let socket = try Socket(port: port, timeout: timeout)
            try socket.write(request)
            return try socket.readReply()
        }
    }

    /// Sends `bytes` as they are and returns whatever comes back until the server closes the
    /// connection (`closedByServer`) or `timeout` passes without a byte: for requests no well-behaved
    /// client would send.
    func raw(_ bytes: [UInt8], timeout: Double = 10) async throws -> (bytes: [UInt8], closedByServer: Bool) {
        let port = self.port
        return try await onItsOwnThread {
            let socket = try Socket(port: port, timeout: timeout)
            try socket.write(bytes)
            return socket.readToEnd()
        }
    }

    /// Opens a live tail and returns it once the response head arrived.
    func stream(_ path: String, lastEventID: UInt64? = nil) async throws -> EventStream {
        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if let lastEventID { head += "Last-Event-ID: \(lastEventID)\r\n" }
        head += "\r\n"
        let (port, timeout, request) = (self.port, self.timeout, Array(head.utf8))
        return try await onItsOwnThread {
            let socket = try Socket(port: port, timeout: timeout)
            try socket.write(request)
            let (status, headers) = try socket.readHead()
            return EventStream(socket: socket, status: status, headers: headers)
        }
    }
}

/// One Server-Sent Events response, read event by event.
final class EventStream: @unchecked Sendable {
    struct Event: Sendable, Equatable {
        var id: String?
        var event: String?
        var data: String
    }

    let socket: Socket
    let status: Int
    let headers: [String: String]
    private var pending = [UInt8]()

    init(socket: Socket, status: Int, headers: [String: String]) {
        self.socket = socket
        self.status = status
        self.headers = headers
    }

    /// The next event (comments and `retry:` lines skipped); nil when the stream ended.
    func next() async throws -> Event? {
        try await onItsOwnThread { try self.readEvent() }
    }

    /// Closes the connection, as a client that goes away does.
    func close() { socket.close() }

    private func readEvent() throws -> Event? {
        while true {
            guard let block = try readBlock() else { return nil }
            var event = Event(id: nil, event: nil, data: "")
            var hasData = false
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") || line.isEmpty { continue }
                let parts = line.split(separator: ":", maxSplits: 1)
                let field = String(parts[0])
                var value = parts.count > 1 ? String(parts[1]) : ""
                if value.hasPrefix(" ") { value.removeFirst() }
                switch field {
                case "id": event.id = value
                case "event": event.event = value
                case "data":
                    event.data += (hasData ? "\n" : "") + value
                    hasData = true
                default: break
                }
            }
            if hasData { return event }
        }
    }

    /// The text up to the next blank line, from the de-chunked body.
    private func readBlock() throws -> String? {
        while true {
            if let range = pending.firstRange(of: [0x0A, 0x0A]) {
                let block = String(decoding: pending[..<range.lowerBound], as: UTF8.self)
                pending.removeSubrange(..<range.upperBound)
                return block
            }
            guard let chunk = try socket.readChunk() else { return nil }
            pending += chunk
        }
    }
}

/// A blocking TCP connection to 127.0.0.1 with a read timeout.
final class Socket: @unchecked Sendable {
    private let descriptor: Int32
    private var buffer = [UInt8]()
    private var closed = false

    init(port: Int, timeout: Double) throws {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HTTPTestClient.Failure(description: "socket: errno \(errno)") }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        // No close here: a class whose initializer throws once every property is set is deinitialised,
        // and deinit closes the descriptor; closing it twice would close another socket that reused it.
        guard connected == 0 else { throw HTTPTestClient.Failure(description: "connect to 127.0.0.1:\(port): errno \(errno)") }
    }

    deinit { close() }

    func close() {
        guard !closed, descriptor >= 0 else { return }
        closed = true
        Glibc.close(descriptor)
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw HTTPTestClient.Failure(description: "send: errno \(errno)") }
            offset += written
        }
    }

    /// More bytes into the buffer; false at the end of the stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 { throw HTTPTestClient.Failure(description: errno == EAGAIN ? "timed out waiting for the server" : "recv: errno \(errno)") }
        if count == 0 { return false }
        buffer += chunk[..<count]
        return true
    }

    private func line() throws -> String {
        while true {
            if let index = buffer.firstIndex(of: 0x0A) {
                var line = Array(buffer[..<index])
                buffer.removeSubrange(...index)
                if line.last == 0x0D { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard try fill() else { throw HTTPTestClient.Failure(description: "the connection closed mid-line") }
        }
    }

    private var chunked = false
    private var remaining: Int?

    func readHead() throws -> (Int, [String: String]) {
        let status = try line()
        let parts = status.split(separator: " ")
        guard parts.count >= 2, let code = Int(parts[1]) else { throw HTTPTestClient.Failure(description: "not an HTTP status line: \(status)") }
        var headers = [String: String]()
        while true {
            let header = try line()
            if header.isEmpty { break }
            guard let colon = header.firstIndex(of: ":") else { continue }
            // A repeated header (Set-Cookie) keeps every value, one per line.
            let (name, value) = (header[..<colon].lowercased(), header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            headers[name] = headers[name].map { $0 + "\n" + value } ?? value
        }
        chunked = headers["transfer-encoding"]?.lowercased() == "chunked"
        remaining = headers["content-length"].flatMap(Int.init)
        return (code, headers)
    }

    /// The next piece of the body, de-chunked; nil at its end.
    func readChunk() throws -> [UInt8]? {
        if chunked {
            let size = try line()
            guard let count = Int(size.split(separator: ";")[0], radix: 16) else { throw HTTPTestClient.Failure(description: "bad chunk size \(size)") }
            if count == 0 { return nil }
            while buffer.count < count + 2 { guard try fill() else { throw HTTPTestClient.Failure(description: "the connection closed mid-chunk") } }
            let chunk = Array(buffer[..<count])
            buffer.removeSubrange(..<(count + 2))
            return chunk
        }
        if let left = remaining {
            if left == 0 { return nil }
            if buffer.isEmpty { guard try fill() else { throw HTTPTestClient.Failure(description: "the connection closed mid-body") } }
            let take = min(left, buffer.count)
            let chunk = Array(buffer[..<take])
            buffer.removeSubrange(..<take)
            remaining = left - take
            return chunk
        }
        if buffer.isEmpty { guard try fill() else { return nil } }
        defer { buffer.removeAll() }
        return buffer
    }

    func readReply() throws -> HTTPTestClient.Reply {
        let (status, headers) = try readHead()
        var body = [UInt8]()
        while let chunk = try readChunk() { body += chunk }
        return HTTPTestClient.Reply(status: status, headers: headers, body: body)
    }

    /// Everything until the peer closes (true) or a read times out or fails (false).
    func readToEnd() -> (bytes: [UInt8], closedByServer: Bool) {
        var closed = false
        while true {
            do {
                guard try fill() else {
                    closed = true
                    break
                }
            } catch {
                break
            }
        }
        defer { buffer.removeAll() }
        return (buffer, closed)
    }
}
