import LedgerModel

/// An incident named on the command line, as the ledger stores ids: in NFC, so that a name typed
/// precomposed finds an incident recorded with combining accents, and the other way round.
enum IncidentArgument {
    @Sendable static func normalized(_ text: String) -> String {
        EnvelopeRules.normalized(text)
    }
}
