public import LedgerModel

public struct SurveySent: EventPayload {
    public static let type = "survey.sent"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A satisfaction survey was sent to a customer after the incident."

    public var surveyId: String
    public var customer: String
    public var channel: MessageChannel
    public var scale: SurveyScale

    public init(surveyId: String, customer: String, channel: MessageChannel, scale: SurveyScale) {
        self.surveyId = surveyId
        self.customer = customer
        self.channel = channel
        self.scale = scale
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        surveyId = try r.string("surveyId", "The survey's id, unique within the incident.", maxLength: 200)
        customer = try r.string("customer", "The customer account.", maxLength: 200)
        channel = try r.value("channel", "How it was sent.")
        scale = try r.value("scale", "csat_1_5 (1 to 5) or nps_0_10 (0 to 10).")
    }
    public func write(to w: inout PayloadWriter) {
        w.set("surveyId", surveyId)
        w.set("customer", customer)
        w.set("channel", channel)
        w.set("scale", scale)
    }
    public static let examples = [SurveySent(surveyId: "s-1", customer: "acme-retail", channel: .email, scale: .csat)]
}

public struct SurveyAnswered: EventPayload {
    public static let type = "survey.answered"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A customer answered a survey. The score must lie on the survey's scale."

    public var surveyId: String
    public var score: Int64
    public var comment: String?

    public init(surveyId: String, score: Int64, comment: String? = nil) {
        self.surveyId = surveyId
        self.score = score
        self.comment = comment
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        surveyId = try r.string("surveyId", "The survey answered.", maxLength: 200)
        score = try r.integer("score", "The score, on the survey's scale.", in: 0...10)
        comment = try r.optionalString("comment", "The customer's comment.", maxLength: 10_000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("surveyId", surveyId)
        w.set("score", score)
        w.set("comment", comment)
    }
    public static let examples = [SurveyAnswered(surveyId: "s-1", score: 4, comment: "Good updates, slow fix")]
}

public struct SurveyExpired: EventPayload {
    public static let type = "survey.expired"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A survey went unanswered until it expired."

    public var surveyId: String

    public init(surveyId: String) { self.surveyId = surveyId }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        surveyId = try r.string("surveyId", "The survey.", maxLength: 200)
    }
    public func write(to w: inout PayloadWriter) { w.set("surveyId", surveyId) }
    public static let examples = [SurveyExpired(surveyId: "s-1")]
}
