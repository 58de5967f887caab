/// How survey answers are scored, for the postmortem and the metrics alike.
public enum SurveyScoring {
    /// A CSAT answer (1–5) is satisfied at 4 or 5.
    public static func isSatisfied(_ score: Int64) -> Bool { score >= 4 }
    /// An NPS answer (0–10) is a promoter at 9 or 10 and a detractor at 0 to 6.
    public static func isPromoter(_ score: Int64) -> Bool { score >= 9 }
    public static func isDetractor(_ score: Int64) -> Bool { score <= 6 }

    /// % promoters minus % detractors (−100…100); nil without answers.
    public static func netPromoterScore(_ scores: [Int64]) -> Double? {
        guard !scores.isEmpty else { return nil }
        return (Double(scores.count(where: isPromoter)) - Double(scores.count(where: isDetractor))) * 100 / Double(scores.count)
    }

    /// The mean score; nil without answers.
    public static func mean(_ scores: [Int64]) -> Double? {
        scores.isEmpty ? nil : Double(scores.reduce(0, +)) / Double(scores.count)
    }
}
