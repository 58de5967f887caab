/// The description of one payload field: what a schema, the documentation and the command line
/// are generated from. Recorded by running a payload's decoder in describe mode, so the decoder
/// is the single source of truth for every field.
public struct FieldSpec: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case string(minLength: Int, maxLength: Int)
        case timestamp
        case integer(minimum: Int64, maximum: Int64)
        case boolean
        case oneOf([String])
        case array(Kind, minItems: Int)
        case object([FieldSpec])
        /// Any JSON object (for example the fields a correction replaces).
        case anyObject
    }

    /// The JSON member name (camelCase).
    public var name: String
    public var kind: Kind
    public var required: Bool
    public var description: String

    public init(name: String, kind: Kind, required: Bool, description: String) {
        self.name = name
        self.kind = kind
        self.required = required
        self.description = description
    }

    /// The command-line flag for this field: `impactStartedAt` becomes `--impact-started-at`.
    public var flag: String {
        var out = "--"
        for character in name {
            if character.isUppercase {
                out.append("-")
                out.append(contentsOf: character.lowercased())
            } else {
                out.append(character)
            }
        }
        return out
    }
}
