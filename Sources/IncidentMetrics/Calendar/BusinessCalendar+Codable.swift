/// The JSON form of a business calendar:
///
/// ```json
/// {
///   "id": "support-berlin",
///   "version": 3,
///   "timeZone": "Europe/Berlin",
///   "weeklyHours": {
///     "monday": ["09:00-17:30"],
///     "tuesday": ["09:00-17:30"],
///     "wednesday": ["09:00-12:00", "13:00-17:30"],
///     "thursday": ["09:00-17:30"],
///     "friday": ["09:00-16:00"],
///     "saturday": [],
///     "sunday": []
///   },
///   "holidays": ["2026-01-01", "2026-04-03", "2026-04-06", "2026-12-25", "2026-12-26"]
/// }
/// ```
///
/// Times are local wall-clock `HH:MM` or `HH:MM:SS`; an interval is `start-end` on one day, with
/// `24:00` for the midnight that ends it. Days left out of `weeklyHours` are closed; `holidays` may
/// be left out. Decoding applies the same checks as `init(id:version:timeZone:weeklyHours:holidays:)`.
extension BusinessCalendar: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, version, timeZone, weeklyHours, holidays
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(String.self, forKey: .id)
        let version = try container.decode(Int.self, forKey: .version)
        let timeZone = try container.decode(String.self, forKey: .timeZone)
        let weeklyHours = try container.decode(WeeklyHours.self, forKey: .weeklyHours)
        let holidays = try container.decodeIfPresent([LocalDate].self, forKey: .holidays) ?? []
        do {
            try self.init(id: id, version: version, timeZone: timeZone, weeklyHours: weeklyHours, holidays: holidays)
        } catch {
            let key: CodingKeys = switch error.code {
            case .unknownTimeZone: .timeZone
            case .invalidIdentifier: .id
            default: .weeklyHours
            }
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(version, forKey: .version)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(weeklyHours, forKey: .weeklyHours)
        try container.encode(holidays, forKey: .holidays)
    }
}
