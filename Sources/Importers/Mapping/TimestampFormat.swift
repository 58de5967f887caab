public import LedgerModel
import Metrics

/// How a column's times are written: RFC 3339 with an offset, or a pattern of digits without one,
/// read in a given time zone.
///
/// A pattern is made of `yyyy`, `MM`, `dd`, `HH`, `mm`, `ss` (two digits each, four for the year),
/// optionally `.SSS…` (a fraction, up to microseconds), and any other ASCII characters, which must appear
/// as they stand: `yyyy-MM-dd HH:mm:ss`, `dd/MM/yyyy HH:mm`. A local time repeated when the clocks go
/// back is read as its first occurrence; one skipped when they go forward, as the instant of the jump.
public struct TimestampFormat: Sendable {
    enum Token: Sendable, Equatable {
        case year, month, day, hour, minute, second, fraction(Int)
        case literal(UInt8)
    }

    /// nil for RFC 3339.
    let tokens: [Token]?
    let zone: ZoneOffsets
    /// As written in the mapping, for messages.
    public let pattern: String

    /// RFC 3339: every time carries its offset.
    public static let rfc3339 = TimestampFormat(tokens: nil, zone: .utc, pattern: "rfc3339")

    init(tokens: [Token]?, zone: ZoneOffsets, pattern: String) {
        self.tokens = tokens
        self.zone = zone
        self.pattern = pattern
    }

    /// Reads `{"format": "rfc3339" | PATTERN, "timeZone": "Europe/Brussels"}`; the time zone is
    /// required for a pattern (an IANA name, or `UTC`).
    public init(mapping object: MappingObject) throws(MappingError) {
        try object.allowOnly(["format", "timeZone"])
        let format = try object.optionalString("format") ?? "rfc3339"
        let zoneName = try object.optionalString("timeZone")
        if format == "rfc3339" {
            if zoneName != nil {
                throw MappingError("\(object.name("timeZone")) applies only to a pattern; RFC 3339 times carry their own offset")
            }
            self = .rfc3339
            return
        }
        guard let zoneName else {
            throw MappingError("\(object.name("timeZone")) is missing: the pattern \(MessageText.quoted(format)) has no offset, so name the zone its times are in (e.g. Europe/Brussels or UTC)")
        }
        guard let zone = zoneName == "UTC" ? ZoneOffsets.utc : ZoneOffsets.named(zoneName) else {
            throw MappingError("\(object.name("timeZone")) \(MessageText.quoted(zoneName)) is not a time zone this system knows")
        }
        var tokens = [Token]()
        var rest = Substring(format)
        let names: [(String, Token)] = [("yyyy", .year), ("MM", .month), ("dd", .day), ("HH", .hour), ("mm", .minute), ("ss", .second)]
        parsing: while let first = rest.first {
            for (name, token) in names where rest.hasPrefix(name) {
                tokens.append(token)
                rest = rest.dropFirst(name.count)
                continue parsing
            }
            if first == "S" {
                let digits = rest.prefix { $0 == "S" }.count
                guard digits <= 6 else { throw MappingError("\(object.name("format")): a fraction has at most 6 digits (SSSSSS)") }
                tokens.append(.fraction(digits))
                rest = rest.dropFirst(digits)
                continue
            }
            guard first.isASCII, !"yMdHmsS".contains(first), let byte = first.asciiValue else {
                throw MappingError("\(object.name("format")) \(MessageText.quoted(format)): \(MessageText.quoted(String(first))) is not part of yyyy, MM, dd, HH, mm, ss or SSS, nor an ASCII character to match as it stands")
            }
            tokens.append(.literal(byte))
            rest = rest.dropFirst()
        }
        for needed in [Token.year, .month, .day, .hour, .minute] where !tokens.contains(needed) {
            throw MappingError("\(object.name("format")) \(MessageText.quoted(format)) lacks \(names.first { $0.1 == needed }!.0)")
        }
        self.init(tokens: tokens, zone: zone, pattern: format)
    }

    /// The instant a text stands for, or nil when it does not fit the format.
    public func parse(_ text: String) -> Timestamp? {
        guard let tokens else { return try? Timestamp(rfc3339: text) }
        let bytes = Array(text.utf8)
        var index = 0
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micros: Int64 = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + count)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        for token in tokens {
            switch token {
            case .year: guard let value = digits(4) else { return nil }; year = value
            case .month: guard let value = digits(2) else { return nil }; month = value
            case .day: guard let value = digits(2) else { return nil }; day = value
            case .hour: guard let value = digits(2) else { return nil }; hour = value
            case .minute: guard let value = digits(2) else { return nil }; minute = value
            case .second: guard let value = digits(2) else { return nil }; second = value
            case .fraction(let count):
                guard let value = digits(count) else { return nil }
                var scaled = Int64(value)
                for _ in count..<6 { scaled *= 10 }
                micros = scaled
            case .literal(let byte):
                guard index < bytes.count, bytes[index] == byte else { return nil }
                index += 1
            }
        }
        guard index == bytes.count, (1...12).contains(month), day >= 1, day <= CivilDays.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Int64(CivilDays.days(year: year, month: month, day: day))
        let local = ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60 + Int64(second)
        return Timestamp(microsecondsSinceEpoch: zone.instant(forLocal: local * 1_000_000 + micros))
    }
}
