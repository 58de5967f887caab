import ArgumentParser
import Foundation
import LedgerModel
import LedgerStore
import IncidentMetrics
import IncidentProjections

/// The options of the commands that compute metrics: which calendars to use.
struct MetricsOptions: ParsableArguments {
    @Option(
        name: .customLong("calendar"),
        help: ArgumentHelp(
            "A business-hours calendar (JSON, see docs/metrics.md) for SLA policies measured in business hours. Repeat for several.",
            valueName: "file"))
    var calendarFiles: [String] = []

    @Option(
        help: ArgumentHelp(
            "Measure the duration metrics in the business hours of this calendar (its id, from --calendar) instead of calendar time.",
            valueName: "id"))
    var businessHours: String?

    @OptionGroup var reportTime: ReportTimeOptions

    func validate() throws {
        try PathOption.require(calendarFiles, "--calendar")
    }

    func calendars() throws -> [String: BusinessCalendar] {
        var out = [String: BusinessCalendar]()
        for file in calendarFiles {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure(.invalidInput, "cannot read calendar \(file): check that it exists and is readable")
            }
            let calendar: BusinessCalendar
            do {
                calendar = try JSONDecoder().decode(BusinessCalendar.self, from: data)
            } catch {
                throw CommandFailure(.invalidInput, "calendar \(file) is not a valid calendar: \(Self.describe(error)) — docs/metrics.md shows the form")
            }
            if out[calendar.id] != nil { throw CommandFailure(.invalidInput, "calendar \(calendar.id) is given twice — give each calendar file once") }
            out[calendar.id] = calendar
        }
        return out
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        // JSONDecoder says "The given data was not valid JSON." at the top, Foundation's own words.
        case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty: "it is not valid JSON"
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.keyNotFound(let key, _): "\(key.stringValue) is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: "\(error)"
        }
    }

    /// The context metrics are computed in: the clock (calendar time, or --business-hours), the
    /// calendars given, and the report's time.
    func context() throws -> MetricContext {
        let calendars = try calendars()
        var clock = BusinessCalendar.alwaysOpen
        if let businessHours {
            guard let calendar = calendars[businessHours] else {
                throw CommandFailure(.usage, "--business-hours \(businessHours): no such calendar; give its file with --calendar")
            }
            clock = calendar
        }
        return MetricContext(clock: clock, calendars: calendars, asOf: reportTime.time.microsecondsSinceEpoch)
    }
}

/// Parses a period option or argument: 2026-Q3, 2026-07 or 2026-07-01..2026-10-01.
struct PeriodArgument: ExpressibleByArgument {
    var value: CalendarPeriod

    init?(argument: String) {
        guard let period = CalendarPeriod.parse(argument) else { return nil }
        value = period
    }
}

/// Parses a breakdown dimension.
struct DimensionArgument: ExpressibleByArgument {
    var value: MetricDimension

    init?(argument: String) {
        guard let dimension = MetricDimension(rawValue: argument) else { return nil }
        value = dimension
    }

    static var allValueStrings: [String] { MetricDimension.allCases.map(\.rawValue) }
}
