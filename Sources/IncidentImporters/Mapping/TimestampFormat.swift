public import LedgerModel

/// How a column's times are written: RFC 3339 with an offset, or a pattern of digits without one,
/// read in a given time zone. RFC 3339 with a default time zone also reads times written without an
/// offset (`2024-03-01T10:00:00`, `2024-03-01 10:00`) in that zone; times with an offset keep it.
///
/// A pattern is made of `yyyy`, `MM`, `dd`, `HH`, `mm`, `ss` (two digits each, four for the year),
/// `M`, `d`, `H` (one or two digits, as spreadsheets write `29/2/2016 1:16`), optionally `.SSS…` (a
/// fraction, up to microseconds), and any other ASCII characters, which must appear as they stand:
/// `yyyy-MM-dd HH:mm:ss`, `dd/MM/yyyy HH:mm`, `d/M/yyyy H:mm`. A local time repeated when the clocks go
/// back is read as its first occurrence; one skipped when they go forward, as the instant of the jump.
public struct TimestampFormat: Sendable {
    enum Token: Sendable, Hashable {
        case year, month, day, hour, minute, second, fraction(Int)
        /// One or two digits.
        case shortMonth, shortDay, shortHour
        case literal(UInt8)
    }

    /// nil for RFC 3339.
    let tokens: [Token]?
    let zone: ZoneOffsets
    /// As written in the mapping, for messages.
    public let pattern: String
    /// The time zone as the mapping names it (for RFC 3339, its default time zone); nil for plain RFC 3339.
    public let zoneName: String?

    /// RFC 3339: every time carries its offset.
    public static let rfc3339 = TimestampFormat(tokens: nil, zone: .utc, pattern: "rfc3339", zoneName: nil)

    init(tokens: [Token]?, zone: ZoneOffsets, pattern: String, zoneName: String?) {
        self.tokens = tokens
        self.zone = zone
        self.pattern = pattern
        self.zoneName = zoneName
    }

    /// Reads `{"format": "rfc3339" | PATTERN, "timeZone": "Europe/Brussels"}`; the time zone is
    /// required for a pattern (an IANA name, or `UTC`). With RFC 3339, `defaultTimeZone` names the
    /// zone of times written without an offset.
    public init(mapping object: MappingObject) throws(MappingError) {
        try object.allowOnly(["format", "timeZone", "defaultTimeZone"])
        let format = try object.optionalString("format") ?? "rfc3339"
        let zoneName = try object.optionalString("timeZone")
        let defaultZone = try object.optionalString("defaultTimeZone")
        if format == "rfc3339" {
            if zoneName != nil {
                throw MappingError("\(object.name("timeZone")) applies only to a pattern; RFC 3339 times carry their own offset (\(object.name("defaultTimeZone")) names the zone of times written without one)")
            }
            guard let defaultZone else {
                self = .rfc3339
                return
            }
            self.init(tokens: nil, zone: try Self.zone(defaultZone, key: object.name("defaultTimeZone")), pattern: format, zoneName: defaultZone)
            return
        }
        if defaultZone != nil {
            throw MappingError("\(object.name("defaultTimeZone")) applies only to rfc3339; every time of a pattern is read in \(object.name("timeZone"))")
        }
        guard let zoneName else {
            throw MappingError("\(object.name("timeZone")) is missing: the pattern \(MessageText.quoted(format)) has no offset, so name the zone its times are in (e.g. Europe/Brussels or UTC)")
        }
        let zone = try Self.zone(zoneName, key: object.name("timeZone"))
        var tokens = [Token]()
        var rest = Substring(format)
        let names: [(String, Token)] = [
            ("yyyy", .year), ("MM", .month), ("dd", .day), ("HH", .hour), ("mm", .minute), ("ss", .second),
            ("M", .shortMonth), ("d", .shortDay), ("H", .shortHour),
        ]
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
                throw MappingError("\(object.name("format")) \(MessageText.quoted(format)): \(MessageText.quoted(String(first))) is not part of yyyy, MM (M), dd (d), HH (H), mm, ss or SSS, nor an ASCII character to match as it stands")
            }
            tokens.append(.literal(byte))
            rest = rest.dropFirst()
        }
        let short: [Token: Token] = [.month: .shortMonth, .day: .shortDay, .hour: .shortHour]
        for needed in [Token.year, .month, .day, .hour, .minute] where !tokens.contains(needed) && !tokens.contains(short[needed] ?? needed) {
            throw MappingError("\(object.name("format")) \(MessageText.quoted(format)) lacks \(names.first { $0.1 == needed }!.0)")
        }
        self.init(tokens: tokens, zone: zone, pattern: format, zoneName: zoneName)
    }

    static func zone(_ name: String, key: String) throws(MappingError) -> ZoneOffsets {
        guard let zone = name == "UTC" ? ZoneOffsets.utc : ZoneOffsets.named(name) else {
            throw MappingError("\(key) \(MessageText.quoted(name)) is not a time zone this system knows")
        }
        return zone
    }

    /// The instant a text stands for, or nil when it does not fit the format.
    public func parse(_ text: String) -> Timestamp? {
        guard let tokens else {
            if let time = try? Timestamp(rfc3339: text) { return time }
            guard zoneName != nil, let local = Self.localTokens(text) else { return nil }
            return Self.parse(text, tokens: local, zone: zone)
        }
        return Self.parse(text, tokens: tokens, zone: zone)
    }

    /// The tokens of an RFC 3339 time written without an offset (`yyyy-MM-ddTHH:mm[:ss[.S…]]`, `T` or
    /// a space between date and time), fitted to the text's length; nil when it has another shape.
    static func localTokens(_ text: String) -> [Token]? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") else { return nil }
        var tokens: [Token] = [.year, .literal(UInt8(ascii: "-")), .month, .literal(UInt8(ascii: "-")), .day, .literal(bytes[10]),
                               .hour, .literal(UInt8(ascii: ":")), .minute]
        guard bytes.count > 16 else { return tokens }
        tokens += [.literal(UInt8(ascii: ":")), .second]
        guard bytes.count > 19 else { return tokens }
        guard bytes[19] == UInt8(ascii: "."), (21...26).contains(bytes.count) else { return nil }
        return tokens + [.literal(UInt8(ascii: ".")), .fraction(bytes.count - 20)]
    }

    static func parse(_ text: String, tokens: [Token], zone: ZoneOffsets) -> Timestamp? {
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
        /// One digit, and a second when there is one.
        func oneOrTwo() -> Int? {
            guard let first = digits(1) else { return nil }
            guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return first }
            return first * 10 + digits(1)!
        }
        for token in tokens {
            switch token {
            case .shortMonth: guard let value = oneOrTwo() else { return nil }; month = value
            case .shortDay: guard let value = oneOrTwo() else { return nil }; day = value
            case .shortHour: guard let value = oneOrTwo() else { return nil }; hour = value
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
