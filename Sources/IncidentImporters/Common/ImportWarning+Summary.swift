extension ImportWarning {
    /// With more than this many warnings of one kind, a summary shows only the first few.
    public static let fullListLimit = 20
    public static let shortListLength = 5

    /// The warnings as printed after `warning: `, kind by kind: every one when `all` or when a kind has
    /// at most ``fullListLimit``, else the first ``shortListLength`` and a line counting the rest.
    public static func report(_ warnings: [ImportWarning], all: Bool) -> [String] {
        var byKind = [Kind: [ImportWarning]]()
        for warning in warnings { byKind[warning.kind, default: []].append(warning) }
        var lines = [String]()
        for kind in Kind.allCases {
            guard let list = byKind[kind] else { continue }
            let shown = all || list.count <= fullListLimit ? list : Array(list.prefix(shortListLength))
            lines += shown.map(\.line)
            if shown.count < list.count {
                lines.append("[\(kind.rawValue)] … and \(list.count - shown.count) more (\(list.count) in all; --warnings all lists every one)")
            }
        }
        return lines
    }
}
