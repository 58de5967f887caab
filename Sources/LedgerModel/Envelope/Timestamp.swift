#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An instant in UTC with microsecond precision, counted from the Unix epoch.
///
/// The ledger keeps its own timestamp type rather than `Date` so that the stored form is an exact
/// integer (no floating-point rounding between what was written and what is read back) and so that
/// parsing and formatting RFC 3339 text is fast and identical on every platform.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z; negative before it.
    public var microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// The RFC 3339 form in UTC, with fractional seconds only when they are not zero.
    public var description: String { rfc3339 }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(microsecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000)
    }

    /// Returns this instant moved by a number of seconds.
    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(microsecondsSinceEpoch: microsecondsSinceEpoch + seconds * 1_000_000)
    }
}

// MARK: - RFC 3339

extension Timestamp {
    /// Why a text is not an RFC 3339 timestamp.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String {
            "\(MessageText.quoted(text)) is not an RFC 3339 timestamp (\(reason)); expected for example 2026-03-14T09:26:53Z or 2026-03-14T10:26:53.250+01:00"
        }
    }

    /// Parses an RFC 3339 date-time such as `2026-03-14T09:26:53.5+01:00`.
    ///
    /// An offset is required (`Z` or `±HH:MM`). Fractions finer than a microsecond are truncated.
    /// Leap seconds (`:60`) are refused rather than silently moved.
    public init(rfc3339 text: String) throws(ParseError) {
        var text = text
        // `withUTF8` rethrows untyped errors: carry the typed one out in a Result.
        self = try text.withUTF8 { bytes in Result { () throws(ParseError) in try Timestamp(rfc3339: bytes) } }.get()
    }

    /// Parses an RFC 3339 date-time from its UTF-8 bytes, as they stand inside a payload's text.
    public init(rfc3339 bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(text: String(decoding: bytes, as: UTF8.self), reason: reason) }
        guard bytes.count >= 20 else { throw fail("too short") }
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count else { return false }
            if characters.utf8.contains(bytes[index]) {
                index += 1
                return true
            }
            return false
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2)
        else { throw fail("the date must be YYYY-MM-DD") }
        guard expect("Tt ") else { throw fail("a 'T' must separate date and time") }
        guard let hour = digits(2), expect(":"), let minute = digits(2), expect(":"), let second = digits(2)
        else { throw fail("the time must be HH:MM:SS") }
        guard (1...9999).contains(year), (1...12).contains(month) else { throw fail("month out of range") }
        guard (1...CivilDays.daysIn(month: month, year: year)).contains(day) else { throw fail("day out of range") }
        guard hour < 24, minute < 60 else { throw fail("hour or minute out of range") }
        guard second < 60 else { throw fail("seconds must be below 60; leap seconds are not accepted") }
        var micros: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var count = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                if count < 6 { micros = micros * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                count += 1
                index += 1
            }
            guard count > 0 else { throw fail("a '.' must be followed by digits") }
            for _ in count..<max(count, 6) { micros *= 10 }
        }
        var offsetSeconds = 0
        if expect("Zz") {
            // UTC
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = digits(2), expect(":"), let offsetMinutes = digits(2),
                offsetHours < 24, offsetMinutes < 60
            else { throw fail("the offset must be Z or ±HH:MM") }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            throw fail("a time zone offset (Z or ±HH:MM) is required")
        }
        guard index == bytes.count else { throw fail("unexpected text after the offset") }
        let days = CivilDays.days(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        // An offset can carry a time in year 1 or 9999 outside them, where no record can hold it.
        guard Self.writable.contains(seconds * 1_000_000 + micros) else { throw fail("the time in UTC lies outside the years 0001 to 9999") }
        self.init(microsecondsSinceEpoch: seconds * 1_000_000 + micros)
    }

    /// The microseconds from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z: the times an
    /// RFC 3339 timestamp can spell in UTC, and so every time the ledger accepts.
    public static let writable: ClosedRange<Int64> =
        Int64(CivilDays.days(year: 1, month: 1, day: 1)) * 86_400_000_000...(Int64(CivilDays.days(year: 10_000, month: 1, day: 1)) * 86_400_000_000 - 1)

    /// The RFC 3339 form in UTC: `2026-03-14T09:26:53Z`, `…53.250Z` or `…53.250001Z`.
    public var rfc3339: String {
        var out = [UInt8]()
        out.reserveCapacity(27)
        writeRFC3339(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``rfc3339`` to `out` without making a string (exports write two per event).
    public func writeRFC3339(into out: inout [UInt8]) {
        let micros = microsecondsSinceEpoch
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = CivilDays.civil(fromDays: Int(days))
        func append(_ value: Int, width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        append(year, width: 4)
        out.append(UInt8(ascii: "-"))
        append(month, width: 2)
        out.append(UInt8(ascii: "-"))
        append(day, width: 2)
        out.append(UInt8(ascii: "T"))
        append(Int(secondOfDay / 3600), width: 2)
        out.append(UInt8(ascii: ":"))
        append(Int(secondOfDay % 3600 / 60), width: 2)
        out.append(UInt8(ascii: ":"))
        append(Int(secondOfDay % 60), width: 2)
        if fraction != 0 {
            out.append(UInt8(ascii: "."))
            if fraction % 1000 == 0 {
                append(Int(fraction / 1000), width: 3)
            } else {
                append(Int(fraction), width: 6)
            }
        }
        out.append(UInt8(ascii: "Z"))
    }
}

// MARK: - Codable, as RFC 3339 text

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Timestamp(rfc3339: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}
