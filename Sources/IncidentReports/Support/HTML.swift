public import LedgerModel

/// HTML for every report (postmortems, reviews, timelines): escaping, isolating values from outside,
/// the house stylesheet and the page frame, so every page is written and escaped the same way.
public enum HTML {
    /// Escapes text for HTML element content and quoted attribute values alike.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// A value from an event (a title, a note, a name, an id) for HTML: escaped, and isolated in a
    /// `<bdi>`, so that a right-to-left value keeps its own order and does not reorder the words
    /// around it.
    public static func isolated(_ text: String) -> String { "<bdi>" + escape(text) + "</bdi>" }

    /// Words and values for HTML: the words escaped, each value ``isolated(_:)``.
    public static func html(_ text: MixedText) -> String { text.html(escape: escape) }

    /// A self-contained page: the house stylesheet and `styles` inline, `main` as the page's content.
    ///
    /// `title` is escaped here; `main` and `styles` are HTML already.
    public static func page(title: String, styles: String = "", main: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<title>\(escape(title))</title>\n<style>\n\(stylesheet)\(styles)</style>\n</head>\n<body>\n<main>\n"
            + main
            + "</main>\n</body>\n</html>\n"
    }

    /// The house style of every HTML report (postmortems, reviews).
    public static let stylesheet = """
        :root { --ink: #1d2430; --muted: #5b6575; --line: #d9dee6; --soft: #f3f5f8; --accent: #1f5fa8; --bad: #b42318; --bad-bg: #fdecea; }
        * { box-sizing: border-box; }
        html { background: #eef0f3; }
        body { margin: 0; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        main { max-width: 1120px; margin: 0 auto; padding: 28px 40px 40px; background: #fff; }
        header { border-bottom: 3px solid var(--ink); padding-bottom: 12px; }
        .eyebrow { margin: 0; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); }
        h1 { margin: 4px 0 10px; font-size: 28px; line-height: 1.25; overflow-wrap: anywhere; }
        h2 { margin: 34px 0 12px; padding-bottom: 4px; font-size: 20px; border-bottom: 1px solid var(--line); }
        h3 { margin: 20px 0 8px; font-size: 16px; }
        .chips { margin: 0 0 6px; }
        .chip { display: inline-block; margin: 0 6px 4px 0; padding: 2px 10px; border-radius: 12px; background: var(--soft); font-size: 13px; font-weight: 600; }
        .sev-sev1 { background: #fde2e1; color: #8a1c14; } .sev-sev2 { background: #feecdc; color: #8a3b00; }
        .sev-sev3 { background: #fdf6d8; color: #6b5400; } .sev-sev4 { background: #e6f4ea; color: #1e5c2e; }
        .phase-resolved, .phase-closed { background: #e6f4ea; color: #1e5c2e; }
        .note, .muted { color: var(--muted); }
        .note { margin: 0; font-size: 13px; }
        dl.facts { display: grid; grid-template-columns: 220px 1fr; gap: 4px 16px; margin: 8px 0; }
        dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        table { width: 100%; margin: 8px 0; border-collapse: collapse; font-size: 13.5px; }
        th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        thead th { background: var(--soft); font-weight: 600; }
        tbody th { font-weight: 600; }
        .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .time { white-space: nowrap; font-variant-numeric: tabular-nums; }
        .nr { color: var(--muted); font-style: italic; }
        .flag { color: var(--bad); font-weight: 600; }
        tr.missed td, tr.missed th { background: var(--bad-bg); }
        .tag { display: inline-block; padding: 0 6px; border-radius: 4px; background: var(--soft); color: var(--muted); font-size: 11.5px; font-weight: 600; white-space: nowrap; }
        .tag.late { background: #fff1db; color: #8a4b00; } .tag.corrected { background: #e3edfc; color: #1f4e9a; }
        .tag.retracted, .tag.bad { background: #fde2e1; color: #8a1c14; }
        .kind { font-size: 12px; color: var(--muted); }
        table.timeline td.what { overflow-wrap: anywhere; } table.timeline td.who { min-width: 170px; font-size: 12px; overflow-wrap: break-word; }
        .actor-kind { font-size: 11px; color: var(--muted); }
        table.timeline td.notes { font-size: 12px; min-width: 150px; }
        tr.retracted td.what { text-decoration: line-through; color: var(--muted); }
        article.update { margin: 12px 0; padding: 10px 14px; border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px; }
        article.update.missed { border-left-color: var(--bad); }
        article.update h3 { margin: 0 0 2px; }
        .meta { margin: 0 0 6px; font-size: 12.5px; color: var(--muted); }
        blockquote { margin: 6px 0; padding: 8px 12px; background: #f7f9fc; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
        .promise { margin: 4px 0 0; font-size: 13px; color: var(--muted); }
        .promise-missed { margin: 6px 0 0; padding: 6px 10px; border-radius: 4px; background: var(--bad-bg); color: var(--bad); font-weight: 600; font-size: 13.5px; }
        .state-overdue { color: var(--bad); font-weight: 600; } .state-done { color: #1e6b32; font-weight: 600; }
        .placeholder { min-height: 72px; padding: 10px 12px; border: 1px dashed #b8c0ca; border-radius: 6px; color: var(--muted); font-style: italic; }
        .url { overflow-wrap: anywhere; }
        figure { margin: 8px 0; }
        figure svg { display: block; width: 100%; height: auto; }
        figcaption { margin-top: 6px; font-size: 12.5px; color: var(--muted); }
        footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 12.5px; color: var(--muted); }
        code { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; overflow-wrap: anywhere; }
        @page { size: A4; margin: 14mm; }
        @media print {
          html, main { background: #fff; }
          body { font-size: 10.5pt; }
          main { max-width: none; padding: 0; }
          h2, h3 { break-after: avoid; }
          tr, article.update, figure, dl.facts { break-inside: avoid; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }

        """
}
