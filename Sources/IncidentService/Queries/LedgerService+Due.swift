import IncidentEvents
public import IncidentProjections
public import LedgerModel

/// What is due across the ledger at one time: `incidents due`, `GET /v1/due`.
public struct DueList: Sendable, Hashable, Codable {
    /// The time it was judged at.
    public var at: Timestamp
    /// How far ahead it looked, in seconds.
    public var windowSeconds: Int64
    /// How many items are past their deadline.
    public var overdue: Int
    /// Every item, most urgent first.
    public var items: [DueItem]

    public init(at: Timestamp, windowSeconds: Int64, items: [DueItem]) {
        self.at = at
        self.windowSeconds = windowSeconds
        self.overdue = items.count(where: \.overdue)
        self.items = items
    }
}

extension LedgerService {
    /// What every incident needs done by `now + window`, by the deadlines of the playbook policy in
    /// force (``PlaybookPolicy/Responses``); window: by default the policy's `dueWindowMinutes`,
    /// in microseconds.
    public func due(at now: Timestamp, window: Int64? = nil) throws -> DueList {
        let responses = try policy().responses
        let window = window ?? responses.dueWindow
        let items = try incidents(matching: IncidentQuery()).flatMap { $0.due(at: now, responses: responses, window: window) }
        return DueList(at: now, windowSeconds: window / 1_000_000, items: items.sorted(by: DueItem.urgency))
    }
}
