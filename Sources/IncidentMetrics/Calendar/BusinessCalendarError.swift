/// Why a business calendar, or one of its parts, was refused: a time zone, a time, an interval or a date.
public struct BusinessCalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of rule was broken; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// A short, stable name such as `unknown-time-zone`.
        public let name: String

        init(_ name: String) {
            self.name = name
        }

        public var description: String { name }

        /// The time zone name is not one Foundation knows (an IANA name such as `Europe/Berlin` is expected).
        public static let unknownTimeZone = Code("unknown-time-zone")
        /// A wall-clock time is not `HH:MM` or `HH:MM:SS` between 00:00 and 24:00.
        public static let invalidTime = Code("invalid-time")
        /// A working interval is malformed, empty, or ends before it starts (intervals may not cross midnight).
        public static let invalidInterval = Code("invalid-interval")
        /// A date is not `YYYY-MM-DD` in years 1–9999.
        public static let invalidDate = Code("invalid-date")
        /// A weekday name is not one of `monday` … `sunday`.
        public static let unknownWeekday = Code("unknown-weekday")
        /// The calendar has no working time in its week, so no business time could ever pass.
        public static let noWorkingHours = Code("no-working-hours")
        /// The calendar's id is empty.
        public static let invalidIdentifier = Code("invalid-identifier")
    }

    /// The rule that was broken.
    public var code: Code
    /// What was wrong, for a person to read.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
