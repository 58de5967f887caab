import ArgumentParser

/// Paths given on the command line. An empty or blank path names nothing and is refused as a usage
/// error before anything is opened (Foundation would otherwise report its own, unhelpful error).
enum PathOption {
    /// Throws for an empty or blank `value`; `name` is how the user gave it (`--output`, `FILE`).
    static func require(_ value: String?, _ name: String) throws {
        guard let value, !value.contains(where: { !$0.isWhitespace }) else { return }
        throw ValidationError("\(name) is an empty path; name a file or folder")
    }

    /// ``require(_:_:)`` for each of `values`.
    static func require(_ values: [String], _ name: String) throws {
        for value in values { try require(value, name) }
    }
}
