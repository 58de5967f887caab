public import IncidentEvents

/// How a CSV of satisfaction-survey responses maps to survey.sent and survey.answered: which
/// columns hold the incident, customer, times, score and comment, and what scale scores are on.
/// docs/importing.md describes every key; `docs/examples/survey-mapping.json` is an example.
public struct SurveyMapping: Sendable {
    /// The `kind` a mapping file for this importer declares.
    public static let kind = "survey"

    public struct Columns: Sendable {
        public var incident: ColumnSelection
        public var customer: ColumnSelection
        public var sent: ColumnSelection
        public var answered: ColumnSelection?
        public var score: ColumnSelection?
        public var scale: ColumnSelection?
        public var comment: ColumnSelection?
        public var survey: ColumnSelection?
        public var channel: ColumnSelection?
    }

    public var naming: SourceNaming
    /// How the file is written: separator, encoding, missing-value markers.
    public var format: CSVFormat
    public var columns: Columns
    public var time: TimestampFormat
    /// The scale of every survey, when no scale column is named.
    public var scale: SurveyScale?
    /// Source scale value → catalog scale, when a scale column is named.
    public var scales: [String: SurveyScale]
    /// The channel surveys were sent on, when no channel column is named (or it is empty).
    public var channel: MessageChannel

    public init(json bytes: [UInt8]) throws(MappingError) {
        let root = try MappingObject.document(bytes, kind: Self.kind)
        try root.allowOnly(Set(["kind", "description", "source", "streamPrefix", "columns", "time", "scale", "scales", "channel"]).union(CSVFormat.keys))
        naming = try SourceNaming(root)
        format = try CSVFormat(root)
        let object = try root.object("columns")
        try object.allowOnly(["incident", "customer", "sent", "answered", "score", "scale", "comment", "survey", "channel"])
        columns = Columns(
            incident: try .required(object, "incident"), customer: try .required(object, "customer"), sent: try .required(object, "sent"),
            answered: try .optional(object, "answered"), score: try .optional(object, "score"), scale: try .optional(object, "scale"),
            comment: try .optional(object, "comment"), survey: try .optional(object, "survey"), channel: try .optional(object, "channel"))
        if (columns.answered == nil) != (columns.score == nil) {
            throw MappingError("columns.answered and columns.score go together: an answer needs its time and its score")
        }
        time = try root.optionalObject("time").map { (object) throws(MappingError) in try TimestampFormat(mapping: object) } ?? .rfc3339
        scale = try root.optionalString("scale").map { (text) throws(MappingError) in try root.catalogValue(text, key: "scale", as: SurveyScale.self) }
        var scales = [String: SurveyScale]()
        for (value, name) in try root.optionalStringMap("scales") ?? [:] {
            scales[value] = try root.catalogValue(name, key: "scales.\(value)", as: SurveyScale.self)
        }
        self.scales = scales
        if columns.scale != nil, scales.isEmpty { throw MappingError("columns.scale is given, so scales must map its values to csat_1_5 or nps_0_10") }
        if columns.scale == nil, scale == nil { throw MappingError("scale is missing: name csat_1_5 or nps_0_10, or give columns.scale and scales") }
        channel = try root.catalogValue(try root.optionalString("channel") ?? "email", key: "channel", as: MessageChannel.self)
    }
}
