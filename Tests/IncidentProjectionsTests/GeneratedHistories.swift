import IncidentGenerator
import LedgerModel
import LedgerTestSupport

extension HistoryGenerator {
    /// `incidents` generated incidents with every event family, recorded in the month before the
    /// test ledgers' clock (``SampleEvents/epoch`` plus ten days) and cut there.
    static func everyFamily(incidents: Int, seed: UInt64) -> [StreamEvent] {
        var generator = HistoryGenerator(.init(
            incidents: incidents, seed: seed, start: SampleEvents.epoch.adding(seconds: -30 * 86_400), days: 20, messageScale: 0.5,
            end: SampleEvents.epoch.adding(seconds: 10 * 86_400), everyFamily: true))
        return generator.events()
    }
}
