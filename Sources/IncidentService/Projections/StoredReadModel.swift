public import IncidentProjections
import IncidentMetrics

/// A projection kept in the ledger beside the log, as the use cases handle it; timelines, replays
/// and reports are computed per incident on demand and are not listed.
public struct StoredReadModel: Sendable {
    public var name: String
    public var status: @Sendable (ProjectionRunner) throws -> ProjectionRunner.Status
    /// Folds what the stored projection lacks; returns the number of events read.
    public var catchUp: @Sendable (ProjectionRunner) throws -> Int
    public var rebuild: @Sendable (ProjectionRunner) throws -> Int
    /// A rebuild in memory compared with what is stored (for `verify`).
    public var compare: @Sendable (ProjectionRunner) throws -> ProjectionComparison

    /// Every stored projection, in the order they are caught up, shown and compared.
    public static let all = [
        StoredReadModel(
            name: IncidentStateProjection.name, status: { try $0.status(IncidentStateProjection.self) },
            catchUp: { try $0.catchUp(IncidentStateProjection.self) },
            rebuild: { try $0.rebuild(IncidentStateProjection.self) }, compare: { try $0.compareWithLog(IncidentStateProjection.self) }),
        StoredReadModel(
            name: IncidentMetricsProjection.name, status: { try $0.status(IncidentMetricsProjection.self) },
            catchUp: { try $0.catchUp(IncidentMetricsProjection.self) },
            rebuild: { try $0.rebuild(IncidentMetricsProjection.self) }, compare: { try $0.compareWithLog(IncidentMetricsProjection.self) }),
    ]

    public static var names: [String] { all.map(\.name) }
}
