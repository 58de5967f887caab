public import HTTPTypes
public import Hummingbird
public import IncidentService
import Logging
import IncidentReports
import LedgerModel
import NIOCore

/// A refusal as an RFC 9457 problem (`application/problem+json`): the HTTP status, a short title, and
/// the same sentence the CLI prints for the same failure. `code` is the kind of failure, stable for programs.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// The failure's kind (`invalid-input`, `refused-by-rule`, `conflict`, …), as in docs/server.md.
    public var code: String
    /// What is wrong and what to do, in one sentence.
    public var detail: String
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, _ detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    /// The problem for a use case's failure: its kind decides the status, its sentence is the detail.
    public init(_ failure: ServiceFailure) {
        let status: HTTPResponse.Status =
            switch failure.kind {
            case .usage, .invalidInput: .badRequest
            case .refusedByRule: .unprocessableContent
            case .conflict: .conflict
            case .notFound: .notFound
            case .unauthenticated: .unauthorized
            case .forbidden: .forbidden
            case .unavailable, .outcomeUnknown: .serviceUnavailable
            case .storage: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
            case .damaged: .internalServerError
            }
        self.init(status, code: Self.code(failure.kind), failure.message)
        if failure.kind == .unauthenticated { headers[.wwwAuthenticate] = "Bearer realm=\"incidents\"" }
    }

    /// Any error a handler let through, classified once by the service (``ServiceFailure/init(reporting:)``).
    public init(reporting error: any Error) {
        if let problem = error as? Problem {
            self = problem
        } else if let error = error as? HTTPError {
            // Hummingbird's own refusals: a body over the limit, an unsupported method.
            self.init(error.status, code: error.status == .contentTooLarge ? "too-large" : "bad-request", error.body ?? error.status.reasonPhrase)
        } else if let error = error as? any HTTPResponseError {
            self.init(error.status, code: error.status == .contentTooLarge ? "too-large" : "bad-request", error.status.reasonPhrase)
        } else {
            self.init(ServiceFailure(reporting: error))
        }
    }

    static func code(_ kind: ServiceFailure.Kind) -> String {
        switch kind {
        case .damaged: "damaged"
        case .usage: "usage"
        case .invalidInput: "invalid-input"
        case .refusedByRule: "refused-by-rule"
        case .conflict: "conflict"
        case .notFound: "not-found"
        case .unavailable: "unavailable"
        case .storage: "storage"
        case .outcomeUnknown: "outcome-unknown"
        case .unauthenticated: "unauthenticated"
        case .forbidden: "forbidden"
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body: JSONValue = [
            "type": .string("https://incidentledger.example/problems/\(code)"), "title": .string(status.reasonPhrase),
            "status": .integer(Int64(status.code)), "code": .string(code), "detail": .string(MessageText.oneLine(detail)),
        ]
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body.canonicalText + "\n")))
    }
}

/// Turns every error a handler throws into a problem, so no refusal is ever a bare 500 with no body.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            // A browser that followed a wrong link gets a page; a program, the problem.
            if !request.uri.path.hasPrefix("/v1/"), request.headers[.accept]?.contains("text/html") == true {
                let page = WebPage.message(
                    title: "Not found", sentence: "there is no page \(request.uri.path) — the incidents are at /incidents", viewer: nil, back: ("/incidents", "All incidents"))
                return PageIO.html(page, status: .notFound)
            }
            return try Problem(.notFound, code: "not-found", "no route \(request.method) \(MessageText.quoted(request.uri.path)) — docs/server.md lists the routes")
                .response(from: request, context: context)
        } catch {
            let problem = Problem(reporting: error)
            if problem.status.code >= 500 {
                context.logger.error("request failed", metadata: ["status": "\(problem.status.code)", "code": "\(problem.code)"])
            }
            return try problem.response(from: request, context: context)
        }
    }
}
