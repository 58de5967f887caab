// TEMPORARY stand-in for the ledger's settings table being built on branch h-access; removed at its merge.
import LedgerStore
import Synchronization

final class SettingsStub: SettingsTable {
    static let tables = Mutex<[String: SettingsStub]>([:])
    private let values = Mutex<[String: [UInt8]]>([:])

    static func table(for ledger: Ledger) -> SettingsStub {
        tables.withLock { tables in
            if let table = tables[ledger.path] { return table }
            let table = SettingsStub()
            tables[ledger.path] = table
            return table
        }
    }

    func setting(_ key: String) throws -> [UInt8]? { values.withLock { $0[key] } }
    func settings(withPrefix prefix: String) throws -> [(key: String, value: [UInt8])] {
        values.withLock { $0.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }
    func setSetting(_ key: String, _ value: [UInt8]?) throws { values.withLock { $0[key] = value } }
}

extension LedgerService {
    /// The receivers configured in this ledger.
    public var webhookReceivers: WebhookReceivers { WebhookReceivers(settings: SettingsStub.table(for: ledger)) }
}
