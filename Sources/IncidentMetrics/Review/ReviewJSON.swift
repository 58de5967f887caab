import Foundation

/// The review as JSON: the ``QuarterlyReview`` value itself, keys sorted, for other tools.
public enum ReviewJSON {
    public static func render(_ review: QuarterlyReview) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Every field is a plain value; encoding cannot fail.
        return String(decoding: try! encoder.encode(review), as: UTF8.self) + "\n"
    }
}

/// One metric's result as JSON.
public enum MetricsJSON {
    public static func render(_ result: MetricResult) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(result), as: UTF8.self) + "\n"
    }
}
