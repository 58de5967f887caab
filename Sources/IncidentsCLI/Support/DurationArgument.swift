import ArgumentParser

/// A length of time on the command line: whole numbers with a unit, `d`, `h`, `m` or `s`, one or
/// several together (`90s`, `30m`, `1h`, `1h30m`, `2d`).
struct DurationArgument: ExpressibleByArgument, Sendable {
    var seconds: Int64

    init(seconds: Int64) { self.seconds = seconds }

    init?(argument: String) {
        let units: [Character: Int64] = ["d": 86_400, "h": 3600, "m": 60, "s": 1]
        var total: Int64 = 0
        var digits = ""
        for character in argument {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let value = Int64(digits) {
                let (product, overflow) = value.multipliedReportingOverflow(by: unit)
                guard !overflow, total <= Int64.max - product else { return nil }
                total += product
                digits = ""
            } else {
                return nil
            }
        }
        guard digits.isEmpty, !argument.isEmpty else { return nil }
        seconds = total
    }

    var defaultValueDescription: String {
        if seconds % 86_400 == 0, seconds > 0 { return "\(seconds / 86_400)d" }
        if seconds % 3600 == 0, seconds > 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0, seconds > 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
