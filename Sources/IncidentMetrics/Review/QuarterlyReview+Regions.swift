import IncidentEvents

extension QuarterlyReview {
    /// The response figures of one region's incidents, measured on that region's calendar: whether a
    /// follow-the-sun team answers as fast in its own working hours as the others do in theirs.
    public struct RegionFigures: Sendable, Codable {
        /// The region, as incidents' scopes name it; ``otherRegions`` for incidents in none of the regions given.
        public var region: String
        /// The calendar the figures are measured on, `id vN`.
        public var calendar: String
        /// The period's incidents whose final scope names the region (an incident in two regions counts in both).
        public var incidents: Int
        public var timeToAcknowledge: MetricValue
        public var timeToFirstReply: MetricValue
        public var timeToFirstPublicUpdate: MetricValue
    }

    /// The row of the incidents in no region a calendar was given for, measured on the review's clock.
    public static let otherRegions = "(other regions)"

    /// The metrics each region's row gives, in order.
    static let regionMetrics = ["time_to_acknowledge", "time_to_first_reply", "time_to_first_public_update_from_declaration"]

    /// One row per region given a calendar (``MetricContext/regionCalendars``), by region, and one for
    /// the incidents in none of them when there are any; no rows when no region was given one.
    static func byRegion(_ incidents: [IncidentMetricFacts], context: MetricContext) -> [RegionFigures] {
        guard !context.regionCalendars.isEmpty else { return [] }
        func row(_ region: String, _ members: [IncidentMetricFacts], _ clock: BusinessCalendar) -> RegionFigures {
            var local = context
            local.clock = clock
            let values = regionMetrics.map { MetricResult.compute(MetricCatalog.named($0)!, over: members, filter: IncidentFilter(), context: local).overall }
            return RegionFigures(
                region: region, calendar: "\(clock.id) v\(clock.version)", incidents: members.count, timeToAcknowledge: values[0], timeToFirstReply: values[1],
                timeToFirstPublicUpdate: values[2])
        }
        var rows = context.regionCalendars.keys.sorted().map { region in
            row(region, incidents.filter { $0.regions.contains(region) }, context.regionCalendars[region]!)
        }
        let others = incidents.filter { Set($0.regions).isDisjoint(with: context.regionCalendars.keys) }
        if !others.isEmpty { rows.append(row(otherRegions, others, context.clock)) }
        return rows
    }
}
