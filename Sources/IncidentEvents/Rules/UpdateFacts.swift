public import LedgerModel

/// What the playbook's update rules (``UpdateChecks``) need to know about an incident so far: its
/// severity, working status and scope as they stand, and the last public status and ETA announced.
///
/// A fold over the events that bear on them, with every correction and retraction applied:
/// ``IncidentFacts`` folds it again from those events when one of them is corrected or retracted.
public struct UpdateFacts: Sendable, Hashable {
    /// The severity now: the declaration's, as changed since.
    public private(set) var severity: Severity?
    /// The working status now (nil until one is recorded: investigating by default).
    public private(set) var status: IncidentStatus?
    /// Whether it is planned maintenance: work whose cause is known from its announcement.
    public private(set) var isPlannedWork = false
    /// Whether the incident is resolved now (a reopening makes it open again).
    public private(set) var isResolved = false
    /// The services and regions in the incident's recorded scope now.
    public private(set) var services = [String]()
    public private(set) var regions = [String]()
    /// Every service and region ever in the recorded scope, current or not.
    public private(set) var servicesEverInScope = Set<String>()
    public private(set) var regionsEverInScope = Set<String>()
    /// The status the last update for customers announced.
    public private(set) var lastPublicStatus: PublicStatus?
    /// The ETA the last update for customers that gave one promised.
    public private(set) var lastETA: Timestamp?

    public init() {}

    /// Whether the cause is known: the working status is identified or later, the incident is resolved, or it is planned maintenance.
    public var isIdentified: Bool {
        isResolved || isPlannedWork || status.map { $0 != .investigating } ?? false
    }

    /// Whether `event` changes these facts (so a correction or retraction of it means a new fold).
    static func bears(on event: IncidentEvent) -> Bool {
        switch event {
        case .declared, .statusChanged, .severityChanged, .scopeChanged, .resolved, .reopened, .statusUpdatePublished: true
        default: false
        }
    }

    /// Folds one more event in.
    mutating func apply(_ event: IncidentEvent) {
        switch event {
        case .declared(let declared):
            severity = declared.severity
            isPlannedWork = declared.kind == .scheduledMaintenance
            setScope(services: declared.services, regions: declared.regions)
        case .statusChanged(let change): status = change.status
        case .severityChanged(let change): severity = change.severity
        case .scopeChanged(let change):
            // A list given replaces the one before; an empty list leaves it as it was (as the incident state does).
            setScope(services: change.services.isEmpty ? services : change.services, regions: change.regions.isEmpty ? regions : change.regions)
        case .resolved: isResolved = true
        case .reopened: isResolved = false
        case .statusUpdatePublished(let update) where update.audience != .internal:
            lastPublicStatus = update.status
            if let eta = update.etaAt { lastETA = eta }
        default: break
        }
    }

    private mutating func setScope(services: [String], regions: [String]) {
        self.services = services
        self.regions = regions
        servicesEverInScope.formUnion(services)
        regionsEverInScope.formUnion(regions)
    }
}
