import Foundation
import IncidentEvents
import IncidentMetrics
import IncidentProjections
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing
@testable import IncidentService

/// Access tokens: issued with a secret stored only as its hash, authenticated, listed, revoked;
/// recorded in the chain by public id only, in a stream no incident read model sees.
@Suite struct AccessTokenTests {
    static let admin = Actor(kind: .person, id: "admin@example.com")
    static let jane = Actor(kind: .person, id: "jane@example.com")

    /// A service over `ledger` whose clock says epoch + `seconds`, recording as `actor`.
    static func service(_ ledger: Ledger, at seconds: Int64 = 600, actor: Actor? = admin) -> LedgerService {
        LedgerService(ledger: ledger, defaults: RecordingDefaults(clock: SampleEvents.fixedClock(offsetSeconds: seconds), newID: { .version7() }, actor: actor))
    }

    static func ledger() throws -> (TemporaryDirectory, Ledger) {
        let directory = TemporaryDirectory()
        return (directory, try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 3600)))
    }

    static func refusal(_ work: () throws -> Void) -> ServiceError? {
        do {
            try work()
            return nil
        } catch {
            return error as? ServiceError
        }
    }

    @Test func aTokenIsIssuedAuthenticatedListedAndRevoked() async throws {
        let (_, ledger) = try Self.ledger()
        let service = Self.service(ledger)
        let expiry = SampleEvents.epoch.adding(seconds: 86_400)
        let issued = try await service.createToken(holder: Self.jane, role: .responder, expiresAt: expiry)
        #expect(issued.secret.hasPrefix("il_") && issued.secret.count == 46)
        #expect(issued.secret.dropFirst(3).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(issued.token.id.count == 12 && issued.token.id.allSatisfy(\.isHexDigit))
        #expect(issued.token == AccessToken(id: issued.token.id, holder: Self.jane, role: .responder, createdAt: SampleEvents.epoch.adding(seconds: 600), expiresAt: expiry))
        #expect(try service.authenticate(secret: issued.secret) == issued.token)

        let other = try await service.createToken(holder: Actor(kind: .tool, id: "deploy-bot"), role: .admin, expiresAt: nil)
        #expect(other.secret != issued.secret && other.token.id != issued.token.id)
        #expect(try service.tokens().map(\.id).sorted() == [issued.token.id, other.token.id].sorted())
        #expect(try service.authenticate(secret: other.secret).role == .admin)

        let revoked = try await service.revokeToken(id: issued.token.id)
        #expect(revoked.revokedAt == SampleEvents.epoch.adding(seconds: 600))
        #expect(Self.refusal { _ = try service.authenticate(secret: issued.secret) } == ServiceError(.unauthenticated, "the token was revoked at 2026-03-14T09:10:00Z"))
        #expect(try service.tokens().first { $0.id == issued.token.id }?.revokedAt == revoked.revokedAt)
        #expect(try service.authenticate(secret: other.secret) == other.token, "revoking one token leaves the others")

        // The chain holds both grants and the revocation, in the access stream, by the service's actor.
        let events = try ledger.read { try $0.events(inStream: LedgerStream.access) }
        #expect(events.map(\.type) == ["access.granted", "access.granted", "access.revoked"])
        #expect(events.allSatisfy { $0.actor == Self.admin && $0.source == "cli" })
        #expect(try Catalog.decode(events[0]) == .accessGranted(AccessGranted(tokenId: issued.token.id, holder: "person:jane@example.com", role: .responder, expiresAt: expiry)))
        #expect(try Catalog.decode(events[2]) == .accessRevoked(AccessRevoked(tokenId: issued.token.id, holder: "person:jane@example.com", role: .responder)))
    }

    @Test func aWrongRevokedOrExpiredSecretIsRefusedSayingWhy() async throws {
        let (_, ledger) = try Self.ledger()
        let service = Self.service(ledger)
        let issued = try await service.createToken(holder: Self.jane, role: .reviewer, expiresAt: SampleEvents.epoch.adding(seconds: 1200))
        for wrong in ["", "il_", String(issued.secret.dropLast()), issued.secret + "x", issued.secret.uppercased(), TokenSecret.hash(issued.secret)] {
            #expect(Self.refusal { _ = try service.authenticate(secret: wrong) } == ServiceError(.unauthenticated, "no such token"))
        }
        // Accepted until the moment it expires, refused from then on.
        #expect(try Self.service(ledger, at: 1199).authenticate(secret: issued.secret).id == issued.token.id)
        for later in [1200, 5000] as [Int64] {
            #expect(Self.refusal { _ = try Self.service(ledger, at: later).authenticate(secret: issued.secret) } == ServiceError(.unauthenticated, "the token expired at 2026-03-14T09:20:00Z"))
        }
        #expect(try service.tokens().map { $0.isActive(at: SampleEvents.epoch.adding(seconds: 1200)) } == [false])
    }

    @Test func revokingAnUnknownOrRevokedTokenIsRefusedAndWritesNothing() async throws {
        let (_, ledger) = try Self.ledger()
        let service = Self.service(ledger)
        let issued = try await service.createToken(holder: Self.jane, role: .auditor, expiresAt: nil)
        await #expect(throws: ServiceError(.noSuchToken, "no token has the id 'ffffffffffff'")) { _ = try await service.revokeToken(id: "ffffffffffff") }
        _ = try await service.revokeToken(id: issued.token.id)
        let head = try ledger.read { try $0.head() }
        let stored = try ledger.settings(withPrefix: "")
        await #expect(throws: ServiceError(.alreadyRevoked, "token \(issued.token.id) was already revoked at 2026-03-14T09:10:00Z")) {
            _ = try await Self.service(ledger, at: 900).revokeToken(id: issued.token.id)
        }
        #expect(try ledger.read { try $0.head() } == head)
        #expect(try ledger.settings(withPrefix: "").map(\.value) == stored.map(\.value))
    }

    /// A revocation whose event was never recorded (a crash after the token was marked) is recorded
    /// when the token is revoked again; one the settings lost (restored from before it) is marked again.
    @Test func aRevocationMissingFromTheChainOrTheSettingsIsMendedByRevokingAgain() async throws {
        let (_, ledger) = try Self.ledger()
        let service = Self.service(ledger)
        let issued = try await service.createToken(holder: Self.jane, role: .auditor, expiresAt: nil)
        let (key, value) = try #require(try ledger.settings(withPrefix: LedgerService.tokenKeyPrefix).first)
        var stored = try StoredToken(key: key, bytes: value)
        stored.token.revokedAt = SampleEvents.epoch.adding(seconds: 700)
        try await ledger.setSetting(key, try stored.encoded())
        let revoked = try await Self.service(ledger, at: 800).revokeToken(id: issued.token.id)
        #expect(revoked.revokedAt == SampleEvents.epoch.adding(seconds: 700), "the first revocation's time stands")
        #expect(try ledger.read { try $0.events(inStream: LedgerStream.access) }.map(\.type) == ["access.granted", "access.revoked"])

        // Settings from before the revocation put back: the token is marked again, nothing recorded twice.
        try await ledger.setSetting(key, value)
        #expect(try Self.service(ledger).tokens().map(\.revokedAt) == [nil])
        let marked = try await Self.service(ledger, at: 900).revokeToken(id: issued.token.id)
        #expect(marked.revokedAt == SampleEvents.epoch.adding(seconds: 900))
        #expect(try Self.service(ledger).tokens().map(\.revokedAt) == [marked.revokedAt])
        #expect(try ledger.read { try $0.events(inStream: LedgerStream.access) }.map(\.type) == ["access.granted", "access.revoked"])
        await #expect(throws: ServiceError(.alreadyRevoked, "token \(issued.token.id) was already revoked at 2026-03-14T09:15:00Z")) {
            _ = try await service.revokeToken(id: issued.token.id)
        }
    }

    @Test func neitherTheSecretNorItsHashIsEverInTheLog() async throws {
        let (directory, ledger) = try Self.ledger()
        let service = Self.service(ledger)
        var secrets = [String]()
        for role in AccessRole.allCases {
            let issued = try await service.createToken(holder: Self.jane, role: role, expiresAt: nil)
            secrets.append(issued.secret)
            _ = try await service.revokeToken(id: issued.token.id)
        }
        var log = [UInt8]()
        try service.forEachEvent(matching: EventQuery()) { event in
            log += Array("\(event.id) \(event.actor) \(event.source) ".utf8) + event.payload.canonicalBytes
        }
        let file = try Array(Data(contentsOf: URL(fileURLWithPath: directory.file("data.mdb"))))
        #expect(log.count > 0)
        for secret in secrets {
            let hash = TokenSecret.hash(secret)
            let hashBytes = Hash256.sha256(Array(secret.utf8)).withUnsafeBytes { Array($0) }
            for needle in [Array(secret.utf8), Array(secret.dropFirst(3).utf8), Array(hash.utf8), hashBytes] {
                #expect(!Self.contains(log, needle))
            }
            // In the file, the hash is only in the settings table (the token's key and record), never the secret.
            #expect(!Self.contains(file, Array(secret.utf8)))
            #expect(Self.contains(file, Array(hash.utf8)), "the test reads the file the hash is kept in")
        }
        let verification = try service.verify()
        #expect(verification.chain.isIntact)
        #expect(verification.projections.count == 2 && verification.projections.allSatisfy { $0.isIntact && $0.eventsBehind == 0 })
    }

    @Test func accessEventsLeaveEveryIncidentReadModelAsItWas() async throws {
        let (_, ledger) = try Self.ledger()
        let service = Self.service(ledger)
        let declared = IncidentDeclared(title: "Checkout errors", severity: .sev2, impactStartedAt: SampleEvents.epoch)
        let proposed = Catalog.proposed(.declared(declared), occurredAt: SampleEvents.epoch, actor: Self.jane, source: "test")
        _ = try await service.record(EventDraft(stream: "INC-1", type: proposed.type, schemaVersion: proposed.schemaVersion, payload: proposed.payload, source: "test"))
        let resolved = Catalog.proposed(.resolved(IncidentResolved(summary: "rolled back")), occurredAt: SampleEvents.epoch.adding(seconds: 300), actor: Self.jane, source: "test")
        _ = try await service.record(
            EventDraft(stream: "INC-1", type: resolved.type, schemaVersion: resolved.schemaVersion, payload: resolved.payload, occurredAt: resolved.occurredAt, source: "test"))
        let list = try service.incidents(matching: IncidentQuery())
        let facts = try service.metricFacts().facts

        let issued = try await service.createToken(holder: Self.jane, role: .responder, expiresAt: nil)
        _ = try await service.revokeToken(id: issued.token.id)
        #expect(try service.incidents(matching: IncidentQuery()) == list)
        #expect(try service.metricFacts().facts == facts)
        // Stored and rebuilt alike: the stored projections hold no state for the access stream.
        let runner = ProjectionRunner(ledger: ledger)
        _ = try runner.rebuild(IncidentStateProjection.self)
        #expect(try runner.states(IncidentStateProjection.self).map(\.incident) == ["INC-1"])
        _ = try runner.rebuild(IncidentMetricsProjection.self)
        #expect(try runner.states(IncidentMetricsProjection.self).map(\.incident) == ["INC-1"])
        // The access stream is no incident: no detail, history, timeline, replay or report of it.
        let stream = LedgerStream.access
        #expect(try service.detail(of: stream, asOf: SampleEvents.epoch) == nil)
        #expect(try service.history(of: stream) == nil)
        #expect(try service.timeline(of: stream) == nil)
        #expect(try service.postmortem(of: stream, asOf: SampleEvents.epoch) == nil)
        #expect(try service.replaySteps(stream).isEmpty)
        if case .noSuchIncident = try service.replay(stream, at: SampleEvents.epoch, asOccurred: false) {} else { Issue.record("a replay of the access stream") }
        // The log shows it: that is where auditors read who could do what.
        var types = [String]()
        try service.forEachEvent(matching: EventQuery()) { types.append($0.type) }
        #expect(types == ["incident.declared", "incident.resolved", "access.granted", "access.revoked"])
    }

    /// Access events are recorded by the token use cases only: not by `record`, an import or `append`.
    @Test func accessEventsCannotBeRecordedAsEvents() async throws {
        let (_, ledger) = try Self.ledger()
        let service = Self.service(ledger)
        let grant = Catalog.proposed(.accessGranted(AccessGranted(tokenId: "0123456789ab", holder: "person:jane", role: .admin)), occurredAt: SampleEvents.epoch, actor: Self.jane, source: "test")
        await #expect {
            _ = try await service.record(EventDraft(stream: LedgerStream.access, type: grant.type, schemaVersion: 1, payload: grant.payload, source: "test"))
        } throws: { error in
            (error as? LedgerError)?.message.contains("access.granted is recorded only when an access token is created or revoked") == true
        }
        let screened = try service.recorder.screen([[StreamEvent(stream: LedgerStream.access, event: grant)]])
        #expect(screened[0]?.reason.contains("recorded only when an access token is created or revoked") == true)
        #expect(try ledger.read { try $0.head() } == .empty)
    }

    @Test func theRolesAllowWhatTheTableSays() {
        let table: [AccessRole: Set<Permission>] = [
            .responder: [.readIncidents, .recordIncidentEvents, .manageTemplates],
            .reviewer: [.readIncidents, .readLog, .recordPostmortemEvents],
            .auditor: [.readIncidents, .readLog, .audit],
            .admin: [.readIncidents, .readLog, .audit, .manageTokens, .setPolicy, .manageTemplates],
        ]
        for role in AccessRole.allCases {
            for permission in Permission.allCases {
                #expect(role.allows(permission) == table[role]!.contains(permission), "\(role) \(permission)")
            }
        }
        for entry in Catalog.allEntries {
            let postmortem = entry.type.hasPrefix("postmortem.")
            // The ledger's own streams' events (access, playbook, templates) are recorded by their use cases only.
            let access = entry.type.hasPrefix("access.") || entry.type.hasPrefix("playbook.") || entry.type.hasPrefix("template.")
            #expect(AccessRole.responder.mayRecord(eventType: entry.type) == (!postmortem && !access), "\(entry.type)")
            #expect(AccessRole.reviewer.mayRecord(eventType: entry.type) == postmortem, "\(entry.type)")
            #expect(!AccessRole.auditor.mayRecord(eventType: entry.type) && !AccessRole.admin.mayRecord(eventType: entry.type))
        }
        #expect(AccessRole.responder.mayRecord(eventType: "incident.declared"))
        #expect(!AccessRole.responder.mayRecord(eventType: "incident.exploded"))
        #expect(Permission.recording("event.corrected") == .recordIncidentEvents)
        #expect(Permission.recording("access.revoked") == nil)
    }

    @Test func aTokenNeedsSomeoneToIssueItAndAWritableLedger() async throws {
        let (directory, ledger) = try Self.ledger()
        await #expect(throws: ServiceError(.noActor, "who issues the token is not known")) {
            _ = try await Self.service(ledger, actor: nil).createToken(holder: Self.jane, role: .admin, expiresAt: nil)
        }
        let readOnly = try Ledger.open(at: directory.path, readOnly: true)
        await #expect { _ = try await Self.service(readOnly).createToken(holder: Self.jane, role: .admin, expiresAt: nil) } throws: {
            ($0 as? LedgerError)?.code == .permissionDenied
        }
        // An expiry not after now is refused by the grant's rule.
        await #expect { _ = try await Self.service(ledger).createToken(holder: Self.jane, role: .admin, expiresAt: SampleEvents.epoch) } throws: {
            ($0 as? LedgerError)?.message.contains("payload.expiresAt") == true
        }
        #expect(try ledger.read { try $0.head() } == .empty)
        #expect(try Self.service(ledger).tokens().isEmpty)
        #expect(try ledger.settings(withPrefix: "").isEmpty)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
