import Foundation
import LedgerModel
import LedgerStore

/// A record the service keeps in the ledger's settings table (an access token, a webhook receiver),
/// as JSON with sorted keys.
protocol StoredSetting: Codable {
    /// What the record is, for a message: `access token`, `webhook receiver`.
    static var what: String { get }
}

extension StoredSetting {
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(self))
    }

    /// The record stored under `key`; damage when its bytes do not decode.
    init(key: String, bytes: [UInt8]) throws(LedgerError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(bytes))
        } catch {
            throw LedgerError(.corrupt, "the stored \(Self.what) under \(MessageText.quoted(key)) cannot be read (\(error))")
        }
    }
}
