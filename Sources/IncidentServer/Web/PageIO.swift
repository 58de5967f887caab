import Foundation
import HTTPTypes
import Hummingbird
import IncidentEvents
import IncidentReports
import IncidentService
import LedgerModel
import NIOCore

/// Writing pages and redirects, reading cookies and form bodies: every page route the same way.
enum PageIO {
    static func html(_ page: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// 303 See Other: after a form's POST, the browser GETs the answer, so a reload does not post again.
    static func redirect(_ location: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.location] = location
        return Response(status: .seeOther, headers: fields)
    }

    /// A cookie of the request.
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// A `Set-Cookie` value: HttpOnly and SameSite=Strict always, Secure under TLS; `maxAge` 0 deletes it.
    static func setCookie(_ name: String, _ value: String, maxAge: Int, secure: Bool, path: String = "/") -> String {
        "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }

    /// Whether `next` is a path on this site (never another host: `//evil.example` and `/\evil` are not).
    static func isLocal(_ next: String) -> Bool {
        next.hasPrefix("/") && !next.hasPrefix("//") && !next.hasPrefix("/\\") && !next.contains("\r") && !next.contains("\n")
    }
}

/// A form's fields as the browser posts them (`application/x-www-form-urlencoded`), in order.
struct FormBody: Sendable {
    let fields: [(name: String, value: String)]

    /// Reads the body (refused beyond `limit`) and, when `session` is given, checks its CSRF token:
    /// a post without the session's token is refused and changes nothing.
    static func read(_ request: Request, limit: Int, session: WebSession?) async throws -> FormBody {
        if let type = request.headers[.contentType] {
            let media = type.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            guard media == "application/x-www-form-urlencoded" else {
                throw Problem(.unsupportedMediaType, code: "unsupported-media-type", "a form is posted as application/x-www-form-urlencoded, not \(MessageText.quoted(media))")
            }
        }
        let buffer = try await HTTPIO.collect(request, limit: limit, remedy: "shorten the text")
        let form = FormBody(parsing: String(decoding: buffer.readableBytesView, as: UTF8.self))
        if let session {
            guard let token = form["csrf"], WebSessions.same(token, session.csrf) else {
                throw Problem(ServiceFailure(.forbidden, "the form did not carry this session's security token, so nothing was done — reload the page and submit it again"))
            }
        }
        return form
    }

    init(parsing text: String) {
        fields = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return EnvelopeRules.normalized(spaced.removingPercentEncoding ?? spaced)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value of a field, trimmed; nil when absent or empty.
    subscript(_ name: String) -> String? {
        let value = fields.first { $0.name == name }?.value.trimmingCharacters(in: .whitespacesAndNewlines)
        return value?.isEmpty == false ? value : nil
    }

    /// Every value of a field (checkboxes).
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }
}

extension ServerContext {
    /// The signed-in viewer, as the pages need it.
    func viewer() throws -> PageViewer {
        let caller = try authenticated()
        return PageViewer(
            holder: caller.holder.description, role: caller.role.rawValue, mayRecordIncidentEvents: caller.role.allows(.recordIncidentEvents),
            mayRecordPostmortemEvents: caller.role.allows(.recordPostmortemEvents), mayAudit: caller.role.allows(.audit), csrf: session?.csrf ?? "")
    }
}
