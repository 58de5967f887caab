import Foundation

/// A browser as far as the server can tell: it keeps the cookies the server sets and sends them back,
/// reads the security token out of the page's forms, and posts forms urlencoded. For the pages' tests
/// that need no real browser (the real one is Tools/browser-test).
struct BrowserSession: Sendable {
    let client: HTTPTestClient
    var cookies: [String: String] = [:]

    init(port: Int) {
        client = HTTPTestClient(port: port)
    }

    var cookieHeader: [(String, String)] {
        cookies.isEmpty ? [] : [("Cookie", cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; "))]
    }

    /// Sends a request with the cookies, and keeps those the answer sets (or deletes).
    mutating func send(_ method: String, _ path: String, form: [(String, String)]? = nil) async throws -> HTTPTestClient.Reply {
        var headers = cookieHeader
        var body = [UInt8]()
        if let form {
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = Array(Self.encode(form).utf8)
        }
        let reply = try await client.send(method, path, headers: headers, body: body)
        for line in reply.setCookies {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if line.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
        return reply
    }

    mutating func get(_ path: String) async throws -> HTTPTestClient.Reply { try await send("GET", path) }

    /// Signs in with `secret` through the sign-in form; the reply is the form's answer (303 on success).
    mutating func signIn(_ secret: String, next: String? = nil) async throws -> HTTPTestClient.Reply {
        let form = try await get("/sign-in" + (next.map { "?next=" + Self.escape($0) } ?? ""))
        let csrf = try Self.csrf(in: form.text)
        var fields = [("csrf", csrf), ("token", secret)]
        if let next { fields.append(("next", next)) }
        return try await send("POST", "/sign-in", form: fields)
    }

    /// Posts a form of the page at `page` to `action`, with the page's security token unless `csrf` says otherwise.
    mutating func post(_ action: String, fields: [(String, String)], from page: String, csrf: String?? = .none) async throws -> HTTPTestClient.Reply {
        let token: String?
        switch csrf {
        case .none: token = try Self.csrf(in: try await get(page).text)
        case .some(let given): token = given
        }
        return try await send("POST", action, form: (token.map { [("csrf", $0)] } ?? []) + fields)
    }

    /// The value of the first hidden `csrf` field of a page.
    static func csrf(in page: String) throws -> String {
        guard let range = page.range(of: #"name="csrf" value="[^"]*""#, options: .regularExpression) else {
            throw HTTPTestClient.Failure(description: "no csrf field in the page")
        }
        return String(page[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
    }
}

extension HTTPTestClient.Reply {
    /// Every Set-Cookie header (the client keeps repeated headers joined by newlines).
    var setCookies: [String] {
        (headers["set-cookie"] ?? "").split(separator: "\n").map(String.init)
    }

    /// The text of the first element carrying `attribute` (`data-field="phase"`), tags stripped.
    func element(_ attribute: String) -> String? {
        guard let start = text.range(of: attribute) else { return nil }
        guard let open = text[start.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = text[text.index(after: open)...]
        guard let close = rest.range(of: "</") else { return nil }
        return String(rest[..<close.lowerBound]).replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
    }
}
