import Foundation
import HTTPTypes
import Hummingbird
import IncidentService
import LedgerModel
import NIOCore

/// Reading request bodies and query strings, and writing JSON, text and files: every route the same way.
enum HTTPIO {
    /// The body as bytes, refused (413) beyond `limit` and (415) when it says it is not JSON.
    static func jsonBytes(_ request: Request, limit: Int, allowLines: Bool = false) async throws -> [UInt8] {
        if let type = request.headers[.contentType] {
            let media = type.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            let accepted = ["application/json"] + (allowLines ? ["application/x-ndjson", "application/jsonl"] : [])
            guard accepted.contains(media) else {
                throw Problem(.unsupportedMediaType, code: "unsupported-media-type", "the body is \(MessageText.quoted(media)); send \(accepted.joined(separator: " or "))")
            }
        }
        return Array(try await collect(request, limit: limit, remedy: "send smaller batches").readableBytesView)
    }

    /// The whole body, refused (413) beyond `limit` with `remedy` as what to do.
    static func collect(_ request: Request, limit: Int, remedy: String) async throws -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Problem(.contentTooLarge, code: "too-large", "the body is larger than \(limit) bytes; \(remedy)")
        }
    }

    /// The body as one JSON object.
    static func jsonObject(_ request: Request, limit: Int) async throws -> [String: JSONValue] {
        let bytes = try await jsonBytes(request, limit: limit)
        if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return [:] }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw Problem(ServiceFailure(.invalidInput, "the body is not JSON: \(error); nothing was written"))
        }
        guard case .object(let object) = value else {
            throw Problem(ServiceFailure(.invalidInput, "the body must be a JSON object, not \(value.typeName); nothing was written"))
        }
        return object
    }

    /// A JSON response: canonical text (sorted keys), one line.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: value.canonicalText + "\n")))
    }

    /// A response of already encoded bytes: JSON from an encoder, JSON Lines, Markdown, HTML, CSV.
    static func body(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// JSON Lines, one value per line.
    static func lines(_ lines: [String]) -> Response {
        body(lines.map { $0 + "\n" }.joined(), contentType: "application/x-ndjson")
    }
}

/// A route's query string, read with the same clear refusals as the CLI's options.
struct Query {
    let items: [String: String]

    init(_ request: Request) {
        var items = [String: String]()
        for (key, value) in request.uri.queryParameters { items[String(key)] = String(value) }
        self.items = items
    }

    subscript(_ name: String) -> String? { items[name].flatMap { $0.isEmpty ? nil : $0 } }

    func timestamp(_ name: String) throws -> Timestamp? {
        guard let text = self[name] else { return nil }
        do {
            return try Timestamp(rfc3339: text)
        } catch {
            throw Problem(ServiceFailure(.usage, "?\(name)= must be an RFC 3339 time such as 2026-03-14T23:40:00Z, not \(MessageText.quoted(text))"))
        }
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = self[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Problem(ServiceFailure(.usage, "?\(name)= must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(MessageText.quoted(text))"))
        }
        return value
    }

    func flag(_ name: String) throws -> Bool {
        switch self[name] {
        case nil, "false", "0": return false
        case "true", "1": return true
        case let text?: throw Problem(ServiceFailure(.usage, "?\(name)= must be true or false, not \(MessageText.quoted(text))"))
        }
    }

    func choice<Value: RawRepresentable & CaseIterable>(_ name: String, _ type: Value.Type) throws -> Value? where Value.RawValue == String {
        guard let text = self[name] else { return nil }
        guard let value = Value(rawValue: text) else {
            let names = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem(ServiceFailure(.usage, "?\(name)= must be one of \(names), not \(MessageText.quoted(text))"))
        }
        return value
    }
}
