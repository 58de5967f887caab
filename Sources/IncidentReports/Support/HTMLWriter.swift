/// Collects HTML; callers escape what comes from events.
public struct HTMLWriter {
    public var text = ""

    public init() {}

    public mutating func raw(_ html: String) { text += html }

    public mutating func section(_ id: String, _ title: String) {
        text += "<section id=\"\(id)\">\n<h2>\(HTML.escape(title))</h2>\n"
    }

    /// One term and its (already escaped) description.
    public mutating func fact(_ term: String, _ description: String) {
        text += "<dt>\(HTML.escape(term))</dt><dd>\(description)</dd>\n"
    }
}
