import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import IncidentEvents

/// The access events live in the ledger's own stream and nowhere else; a token is granted once and
/// revoked at most once, as granted.
@Suite struct AccessRulesTests {
    static let now = SampleEvents.epoch.adding(seconds: 3600)
    static let grant = AccessGranted(tokenId: "0123456789ab", holder: "person:jane", role: .responder)
    static let revocation = AccessRevoked(tokenId: "0123456789ab", holder: "person:jane", role: .responder)

    /// Folds `events` into the facts of `stream` through the rules, as the recorder does.
    static func facts(_ events: [IncidentEvent], stream: String = LedgerStream.access) throws -> IncidentFacts {
        var facts = IncidentFacts()
        for event in events {
            try IncidentRules.check(event, occurredAt: SampleEvents.epoch, stream: stream, facts: facts, now: now)
            let payload = Payload(event.payload.json)
            facts.apply(event, id: UUID(), type: type(of: event.payload).type, schemaVersion: 1, payload: payload, occurredAt: SampleEvents.epoch)
        }
        return facts
    }

    static func refusal(_ event: IncidentEvent, after earlier: [IncidentEvent] = [], stream: String = LedgerStream.access) throws -> EventInputError? {
        let facts = try facts(earlier, stream: stream)
        do {
            try IncidentRules.check(event, occurredAt: SampleEvents.epoch, stream: stream, facts: facts, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func grantsAndRevocationsAreAdmittedInTheAccessStream() throws {
        let facts = try Self.facts([.accessGranted(Self.grant), .accessGranted(AccessGranted(tokenId: "other", holder: "tool:bot", role: .admin)), .accessRevoked(Self.revocation)])
        #expect(Set(facts.accessGrants.keys) == ["0123456789ab", "other"])
        #expect(facts.revokedTokens == ["0123456789ab"])
    }

    @Test func accessEventsStayInTheirStreamAndIncidentEventsOutOfIt() throws {
        let declared = IncidentDeclared(title: "Checkout errors", severity: .sev2)
        let inIncident = try #require(try Self.refusal(.accessGranted(Self.grant), stream: "INC-1"))
        #expect(inIncident.field == "stream" && inIncident.reason.contains("belongs in the ledger's access stream ledger.access"))
        #expect(try Self.refusal(.accessRevoked(Self.revocation), after: [.declared(declared)], stream: "INC-1")?.field == "stream")
        for event: IncidentEvent in [.declared(declared), .noteAdded(InternalNoteAdded(text: "hello"))] {
            let refused = try #require(try Self.refusal(event, after: [.accessGranted(Self.grant)]))
            #expect(refused.field == "stream" && refused.reason.contains("holds access.granted and access.revoked only"), "\(refused)")
        }
        #expect(LedgerStream.isReserved("ledger.access") && !LedgerStream.isReserved("INC-1") && !LedgerStream.isReserved("ledger"))
    }

    @Test func aTokenIsGrantedOnceAndRevokedAtMostOnceAsGranted() throws {
        let again = try #require(try Self.refusal(.accessGranted(AccessGranted(tokenId: "0123456789ab", holder: "tool:x", role: .admin)), after: [.accessGranted(Self.grant)]))
        #expect(again.field == "payload.tokenId" && again.reason.contains("already granted"))
        let unknown = try #require(try Self.refusal(.accessRevoked(Self.revocation)))
        #expect(unknown.field == "payload.tokenId" && unknown.reason.contains("no token '0123456789ab' was granted"))
        let twice = try #require(try Self.refusal(.accessRevoked(Self.revocation), after: [.accessGranted(Self.grant), .accessRevoked(Self.revocation)]))
        #expect(twice.field == "payload.tokenId" && twice.reason.contains("already revoked"))
        let otherHolder = AccessRevoked(tokenId: "0123456789ab", holder: "person:john", role: .responder)
        let mismatch = try #require(try Self.refusal(.accessRevoked(otherHolder), after: [.accessGranted(Self.grant)]))
        #expect(mismatch.field == "payload.holder" && mismatch.reason.contains("granted to 'person:jane' as responder"))
        let otherRole = AccessRevoked(tokenId: "0123456789ab", holder: "person:jane", role: .admin)
        #expect(try Self.refusal(.accessRevoked(otherRole), after: [.accessGranted(Self.grant)])?.field == "payload.holder")
    }

    @Test func aTokenCannotExpireBeforeItIsGranted() throws {
        for expiry in [SampleEvents.epoch, SampleEvents.epoch.adding(seconds: -1)] {
            let early = AccessGranted(tokenId: "t", holder: "person:jane", role: .auditor, expiresAt: expiry)
            #expect(try Self.refusal(.accessGranted(early))?.field == "payload.expiresAt")
        }
        let later = AccessGranted(tokenId: "t", holder: "person:jane", role: .auditor, expiresAt: SampleEvents.epoch.adding(seconds: 1))
        #expect(try Self.refusal(.accessGranted(later)) == nil)
    }

    @Test(arguments: ["jane", "robot:r2", "person:", "person:a\u{7}b", "tool:" + String(repeating: "x", count: 257)])
    func aHolderMustBeAnActor(holder: String) {
        var payload = Self.grant.json
        payload["holder"] = .string(holder)
        #expect {
            try Catalog.decode(type: AccessGranted.type, schemaVersion: 1, payload: payload)
        } throws: { error in
            (error as? EventInputError)?.field == "payload.holder"
        }
        var revoked = Self.revocation.json
        revoked["holder"] = .string(holder)
        #expect(throws: EventInputError.self) { try Catalog.decode(type: AccessRevoked.type, schemaVersion: 1, payload: revoked) }
    }

    @Test func theAccessEventsAreInTheCatalogButNotAmongTheIncidentEvents() {
        #expect(Catalog.accessEntries.map(\.type) == ["access.granted", "access.revoked"])
        #expect(Catalog.entry(for: "access.granted")?.family == "Access")
        #expect(!Catalog.entries.contains { $0.type.hasPrefix("access.") })
        #expect(Catalog.allEntries.map(\.type) == Catalog.entries.map(\.type) + ["access.granted", "access.revoked", "playbook.policy_set"] + ["template.defined", "template.revised", "template.retired"])
    }
}
