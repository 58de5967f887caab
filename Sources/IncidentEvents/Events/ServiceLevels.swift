public import LedgerModel

/// The targets of an SLA for one severity, in minutes of the policy's clock.
public struct SLATarget: PayloadObject {
    public var severity: Severity
    public var firstResponseMinutes: Int64?
    public var updateCadenceMinutes: Int64?
    public var resolutionMinutes: Int64?

    public init(severity: Severity, firstResponseMinutes: Int64? = nil, updateCadenceMinutes: Int64? = nil, resolutionMinutes: Int64? = nil) {
        self.severity = severity
        self.firstResponseMinutes = firstResponseMinutes
        self.updateCadenceMinutes = updateCadenceMinutes
        self.resolutionMinutes = resolutionMinutes
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        severity = try r.value("severity", "The severity these targets apply to.")
        firstResponseMinutes = try r.optionalInteger("firstResponseMinutes", "Most minutes until the first reply to a customer.", in: 1...525_600)
        updateCadenceMinutes = try r.optionalInteger("updateCadenceMinutes", "Most minutes between public updates while open.", in: 1...525_600)
        resolutionMinutes = try r.optionalInteger("resolutionMinutes", "Most minutes until resolution.", in: 1...5_256_000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("severity", severity)
        w.set("firstResponseMinutes", firstResponseMinutes)
        w.set("updateCadenceMinutes", updateCadenceMinutes)
        w.set("resolutionMinutes", resolutionMinutes)
    }
}

/// The service levels an incident is measured against. Breaches are computed, not recorded.
public struct SLAPolicyAttached: EventPayload {
    public static let type = "sla.policy_attached"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "An SLA policy applies to the incident, or to one customer in it: targets per severity, in calendar or business hours."

    public var policyId: String
    public var name: String
    public var customer: String?
    public var clock: ClockBasis
    public var calendar: String?
    public var targets: [SLATarget]

    public init(policyId: String, name: String, customer: String? = nil, clock: ClockBasis, calendar: String? = nil, targets: [SLATarget]) {
        self.policyId = policyId
        self.name = name
        self.customer = customer
        self.clock = clock
        self.calendar = calendar
        self.targets = targets
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        policyId = try r.string("policyId", "The policy's id.", maxLength: 200)
        name = try r.string("name", "The policy's name.", maxLength: 200)
        customer = try r.optionalString("customer", "The customer it applies to; absent: the whole incident.", maxLength: 200)
        clock = try r.value("clock", "calendar time, or business hours of a calendar.")
        calendar = try r.optionalString("calendar", "The business-hours calendar's id; required when clock is business_hours.", maxLength: 200)
        targets = try r.objects("targets", "Targets per severity.", minItems: 1)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("policyId", policyId)
        w.set("name", name)
        w.set("customer", customer)
        w.set("clock", clock)
        w.set("calendar", calendar)
        w.set("targets", targets)
    }
    public func validate() throws(EventInputError) {
        if clock == .businessHours, calendar == nil {
            throw EventInputError(field: "payload.calendar", reason: "is required when clock is business_hours")
        }
        guard Set(targets.map(\.severity)).count == targets.count else {
            throw EventInputError(field: "payload.targets", reason: "must not give the same severity twice")
        }
    }
    public static let examples = [
        SLAPolicyAttached(
            policyId: "enterprise-gold", name: "Enterprise Gold", customer: "acme-retail", clock: .calendar,
            targets: [
                SLATarget(severity: .sev1, firstResponseMinutes: 15, updateCadenceMinutes: 30, resolutionMinutes: 240),
                SLATarget(severity: .sev2, firstResponseMinutes: 60, updateCadenceMinutes: 60, resolutionMinutes: 480),
            ])
    ]
}
