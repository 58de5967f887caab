public import Hummingbird
import IncidentEvents
import IncidentService
import Foundation
import LedgerModel
import Logging

/// What a request carries through the router: Hummingbird's core storage and, once the bearer token
/// is checked, who is calling.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token the request was made with; nil before authentication and on open routes.
    var caller: AccessToken?
    /// The web pages' session, when the request came from a signed-in browser.
    var session: WebSession?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// A parameter of the route's path, percent-decoded (an incident id in another script arrives as
    /// `%E4%BA%8B…`) and in NFC; 400 when it is not percent-encoded UTF-8.
    func pathParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        guard let decoded = raw.removingPercentEncoding, !decoded.isEmpty else {
            throw Problem(ServiceFailure(.usage, "the \(name) in the path, \(MessageText.quoted(raw)), is not percent-encoded UTF-8"))
        }
        return EnvelopeRules.normalized(decoded)
    }

    /// The caller: 401 without a valid token.
    func authenticated() throws -> AccessToken {
        guard let caller else { throw Problem(ServiceFailure(.unauthenticated, "this route needs a bearer token — create one with `incidents tokens create`")) }
        return caller
    }

    /// The caller, when it may do `permission`: 401 without a valid token, 403 when its role may not.
    func require(_ permission: Permission) throws -> AccessToken {
        let caller = try authenticated()
        guard caller.role.allows(permission) else {
            throw Problem(ServiceFailure(.forbidden, "a token of role \(caller.role.rawValue) may not do this (\(permission)) — docs/server.md lists what each role may do"))
        }
        return caller
    }

    /// The caller, when it may record events of `eventType`.
    func require(recording eventType: String) throws -> AccessToken {
        let caller = try authenticated()
        guard caller.role.mayRecord(eventType: eventType) else {
            throw Problem(ServiceFailure(.forbidden, "a token of role \(caller.role.rawValue) may not record \(eventType) — docs/server.md lists what each role may do"))
        }
        return caller
    }
}
