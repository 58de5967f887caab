public import LedgerModel
public import LedgerStore
import IncidentEvents

extension EventRecorder {
    /// Checks records one by one, writing nothing: the error of every record the ledger would refuse,
    /// by its position in `records`.
    ///
    /// A record is a group of events recorded together or not at all (an imported incident, one line of
    /// JSON Lines). Each is checked against its incidents as the ledger holds them plus the records
    /// before it that pass, so the records that pass can then be recorded in order; a record whose
    /// first event is already recorded is a retry, left to the store to recognise. The error's index
    /// is the event's 1-based number within its record.
    public func screen(_ records: [[StreamEvent]]) throws(LedgerError) -> [Int: EventInputError] {
        let now = clock()
        do {
            return try ledger.read { reader in
                var facts = [String: IncidentFacts]()
                var refused = [Int: EventInputError]()
                for (number, record) in records.enumerated() {
                    let events = record.map { EnvelopeRules.normalized($0) }
                    guard let first = events.first else { continue }
                    if try reader.event(id: first.event.id) != nil { continue }
                    var changed = [String: IncidentFacts]()
                    var failure: EventInputError?
                    for (index, item) in events.enumerated() {
                        var incident = try changed[item.stream] ?? facts[item.stream] ?? Self.facts(of: item.stream, in: reader).0
                        do throws(EventInputError) {
                            let typed = try Catalog.decode(type: item.event.type, schemaVersion: item.event.schemaVersion, payload: item.event.payload)
                            try admit(typed, item, to: &incident, now: now)
                            changed[item.stream] = incident
                        } catch {
                            failure = error.at(index: index + 1)
                            break
                        }
                    }
                    if let failure {
                        refused[number] = failure
                    } else {
                        facts.merge(changed) { _, new in new }
                    }
                }
                return refused
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.storage, "cannot read the ledger: \(error)")
        }
    }
}
