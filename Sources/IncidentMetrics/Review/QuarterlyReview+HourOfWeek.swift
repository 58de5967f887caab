import IncidentEvents
import LedgerModel

extension QuarterlyReview {
    /// Time to first reply for the customer messages received in one hour of the week, so that a
    /// support lead can see whether nights and weekends are covered.
    public struct HourOfWeek: Sendable, Codable, Hashable {
        /// 0 is Monday, 6 Sunday.
        public var day: Int
        /// 0 to 23, local time in the zone the review names (``QuarterlyReview/hourOfWeekZone``).
        public var hour: Int
        /// Messages received in this hour of the week, answered or not.
        public var messages: Int
        /// Messages never answered.
        public var unanswered: Int
        /// The median time to first reply of the answered ones, in seconds on the review's clock; nil when none was answered.
        public var medianSeconds: Double?
    }

    /// Time to first reply by the hour of the week the message came in (local time in the zone of the
    /// review's clock: UTC for calendar time), over the period's incidents: 168 cells, Monday 00:00 first.
    /// Each message is one observation of `time_to_first_reply`, measured as that metric measures it.
    static func firstReplyByHourOfWeek(_ incidents: [IncidentMetricFacts], context: MetricContext) -> [HourOfWeek] {
        var replies = [[Int64]](repeating: [], count: 168)
        var messages = [Int](repeating: 0, count: 168)
        for incident in incidents {
            for message in incident.messages {
                let cell = context.clock.hourOfWeek(Timestamp(microsecondsSinceEpoch: message.received))
                messages[cell] += 1
                if let reply = message.firstReply { replies[cell].append(context.seconds(from: message.received, to: reply)) }
            }
        }
        return (0..<168).map { cell in
            HourOfWeek(
                day: cell / 24, hour: cell % 24, messages: messages[cell], unanswered: messages[cell] - replies[cell].count,
                medianSeconds: DurationStatistics(seconds: replies[cell]).median)
        }
    }
}
