import Foundation
public import LedgerModel

/// Who is looking at a page, and so what the page offers: the pages show only what the viewer's
/// role may do (the server refuses the rest whatever a page shows).
public struct PageViewer: Sendable {
    /// The token's holder, as `kind:id`.
    public var holder: String
    public var role: String
    public var mayRecordIncidentEvents: Bool
    public var mayRecordPostmortemEvents: Bool
    public var mayAudit: Bool
    /// The session's token against cross-site requests, put in every form that changes something.
    public var csrf: String

    public init(holder: String, role: String, mayRecordIncidentEvents: Bool, mayRecordPostmortemEvents: Bool, mayAudit: Bool, csrf: String) {
        self.holder = holder
        self.role = role
        self.mayRecordIncidentEvents = mayRecordIncidentEvents
        self.mayRecordPostmortemEvents = mayRecordPostmortemEvents
        self.mayAudit = mayAudit
        self.csrf = csrf
    }

    /// The hidden field every form that changes something carries.
    public var csrfField: String { "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\">" }
}

/// The web pages' frame: one stylesheet and one script, both served by the server itself (nothing from
/// the network, so a page works on an air-gapped machine), the site's navigation, the viewer and
/// sign-out. Every page works without the script; the script only adds to it (live updates, the replay
/// control, filters that apply as they change).
public enum WebPage {
    /// The sections of the site, for the navigation.
    public enum Section: String, Sendable {
        case incidents, review, playbook, audit
    }

    public static let stylesheetPath = "/static/incidents.css"
    public static let scriptPath = "/static/incidents.js"
    public static let iconPath = "/static/icon.svg"

    /// A time as the pages say it in sentences: `2026-03-14 23:40 UTC`.
    public static func minutes(_ time: Timestamp) -> String { fieldTime(time) + " UTC" }

    /// A time as a form's field shows it, and as a person types it: `2026-03-14 23:40`.
    public static func fieldTime(_ time: Timestamp) -> String {
        String(time.rfc3339.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// A whole page. `title` is escaped here; `main` is HTML already. `live` is the address of the
    /// page's live stream, when it has one.
    public static func render(title: String, viewer: PageViewer?, section: Section? = nil, main: String, live: String? = nil) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(HTML.escape(title)) · IncidentLedger</title>\n"
        out += "<link rel=\"icon\" href=\"\(iconPath)\" type=\"image/svg+xml\">\n<link rel=\"stylesheet\" href=\"\(stylesheetPath)\">\n<script src=\"\(scriptPath)\" defer></script>\n</head>\n<body>\n"
        out += "<a class=\"skip\" href=\"#content\">Skip to content</a>\n<header class=\"site\">\n<p class=\"brand\"><a href=\"/incidents\">IncidentLedger</a></p>\n"
        if let viewer {
            out += "<nav id=\"site\" aria-label=\"Site\">\n"
            var links: [(Section, String, String)] = [(.incidents, "/incidents", "Incidents"), (.review, "/review", "Review"), (.playbook, "/playbook", "Playbook")]
            if viewer.mayAudit { links.append((.audit, "/audit", "Audit")) }
            for (target, href, label) in links {
                out += "<a href=\"\(href)\"\(target == section ? " aria-current=\"page\"" : "")>\(label)</a>\n"
            }
            out += "</nav>\n<div class=\"viewer\"><span id=\"who\"><bdi>\(HTML.escape(viewer.holder))</bdi> · \(HTML.escape(viewer.role))</span>\n"
            out += "<form id=\"sign-out\" method=\"post\" action=\"/sign-out\">\(viewer.csrfField)<button type=\"submit\">Sign out</button></form></div>\n"
        }
        out += "</header>\n<main id=\"content\"\(live.map { " data-live=\"\(HTML.escape($0))\"" } ?? "")>\n"
        out += main
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    /// A page that says one thing went wrong and what to do: a refusal, a page that is not there.
    public static func message(title: String, sentence: String, viewer: PageViewer?, back: (href: String, label: String)? = nil) -> String {
        var main = "<header>\n<h1>\(HTML.escape(title))</h1>\n</header>\n<p class=\"error\" role=\"alert\">\(HTML.escape(sentence))</p>\n"
        if let back { main += "<p><a href=\"\(HTML.escape(back.href))\">\(HTML.escape(back.label))</a></p>\n" }
        return render(title: title, viewer: viewer, main: main)
    }

    /// A path segment percent-encoded (an incident id in another script, or with a slash, stays one segment).
    public static func segment(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let unreserved = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~".utf8)

    /// A query string from names and values, each percent-encoded; empty values left out.
    public static func query(_ items: [(String, String?)]) -> String {
        let parts = items.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : "\(segment(name))=\(segment($0))" } }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// The address of an incident's page, or of one of its subpages (`replay`, `postmortem`).
    public static func incidentPath(_ incident: String, _ subpage: String? = nil) -> String {
        "/incidents/" + segment(incident) + (subpage.map { "/" + $0 } ?? "")
    }
}
