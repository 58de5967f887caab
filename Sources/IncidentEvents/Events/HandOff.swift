public import LedgerModel

/// An incident handed from one responder (a region's or a shift's) to the next, as a follow-the-sun
/// team does, with what the next one needs to know.
public struct IncidentHandedOff: EventPayload {
    public static let type = "incident.handed_off"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "The incident was handed from one region's or shift's responder to the next, with a summary."

    public var from: String
    public var to: String
    public var fromShift: String?
    public var toShift: String?
    public var summary: String

    public init(from: String, to: String, fromShift: String? = nil, toShift: String? = nil, summary: String) {
        self.from = from
        self.to = to
        self.fromShift = fromShift
        self.toShift = toShift
        self.summary = summary
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        from = try r.string("from", "The responder handing the incident over.")
        to = try r.string("to", "The responder taking it on.")
        fromShift = try r.optionalString("fromShift", "The region or shift handing over, for example emea or night.", maxLength: 200)
        toShift = try r.optionalString("toShift", "The region or shift taking over, for example apac or day.", maxLength: 200)
        summary = try r.string("summary", "Where things stand and what comes next, as told to the next responder.", maxLength: 10_000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("from", from)
        w.set("to", to)
        w.set("fromShift", fromShift)
        w.set("toShift", toShift)
        w.set("summary", summary)
    }
    public static let examples = [
        IncidentHandedOff(
            from: "dana@example.com", to: "kenji@example.com", fromShift: "emea", toShift: "apac",
            summary: "Mitigated by failing over to eu-central-1; next public update due 02:00; acme-retail waits for a call back")
    ]
}
