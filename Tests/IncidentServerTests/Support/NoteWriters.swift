import Foundation
import Synchronization
import Testing

/// Clients that load a server as the crash and failover tests do: each declares its incident and
/// then posts notes until a post fails. Keeps the ids of the notes acknowledged (2xx) and why each
/// client stopped.
final class NoteWriters: Sendable {
    let clients: Int
    private let acknowledged = Mutex<[String]>([])
    private let stops = Mutex<[String]>([])

    init(clients: Int) {
        self.clients = clients
    }

    /// The ids of the notes acknowledged so far.
    var ids: [String] { acknowledged.withLock { $0 } }

    /// Declares `incident`, then posts notes until a post fails or is refused; a note's id is counted
    /// once its post is acknowledged.
    func write(_ incident: String, with client: HTTPTestClient) async {
        var (path, body, note) = ("/v1/incidents/\(incident)/declare", ServerAPITests.declare, String?.none)
        while true {
            do {
                let reply = try await client.post(path, json: body)
                guard (200..<300).contains(reply.status) else {
                    stops.withLock { $0.append("\(path): \(reply.status) \(reply.text.prefix(300))") }
                    return
                }
            } catch {
                stops.withLock { $0.append("\(path): \(error)") }
                return
            }
            if let note { acknowledged.withLock { $0.append(note) } }
            let next = UUID().uuidString.lowercased()
            (path, body, note) = ("/v1/incidents/\(incident)/note", #"{"id": "\#(next)", "text": "still looking"}"#, next)
        }
    }

    /// Returns once `target` notes are acknowledged or, on a machine too loaded for that, after 30 s
    /// with at least one per client. Fewer in 300 s, or every client stopped, records an issue
    /// (saying why they stopped, and `context()`) and returns, rather than hanging the test.
    func waitUntilGoing(target: Int, context: () -> String = { "" }) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        while case let count = acknowledged.withLock({ $0.count }), count < target {
            if clock.now - start > .seconds(30), count >= clients { return }
            if clock.now - start > .seconds(300) || stops.withLock({ $0.count }) == clients {
                Issue.record("only \(count) notes acknowledged by \(clients) clients in \(clock.now - start). Clients stopped: \(stops.withLock { $0 }). \(context())")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
