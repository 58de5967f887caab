public import IncidentEvents
import LedgerModel

extension IncidentMetricFacts {
    /// The facts judged by the planned-maintenance policy: a scheduled maintenance that breaks it
    /// (``MaintenanceChecks``: wrong day or hours, too long, short notice, declared after the fact, or
    /// resolved after its window closed) counts as unplanned in every figure, its findings kept in
    /// ``maintenanceBreaches`` as the reason. Any other incident is returned as it is.
    public func judged(by policy: PlaybookPolicy.Maintenance) -> IncidentMetricFacts {
        guard kind == .scheduledMaintenance, let plannedStart, let plannedEnd, let declared else { return self }
        let end = Timestamp(microsecondsSinceEpoch: plannedEnd)
        var breaches = MaintenanceChecks.findings(
            plannedStart: Timestamp(microsecondsSinceEpoch: plannedStart), plannedEnd: end, declaredAt: Timestamp(microsecondsSinceEpoch: declared),
            policy: policy)
        if let resolved, let overran = MaintenanceChecks.overran(plannedEnd: end, resolvedAt: Timestamp(microsecondsSinceEpoch: resolved)) {
            breaches.append(overran)
        }
        guard !breaches.isEmpty else { return self }
        var judged = self
        judged.kind = .unplanned
        judged.maintenanceBreaches = breaches
        return judged
    }
}
