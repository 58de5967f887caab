import Foundation
import IncidentEvents
import IncidentImporters
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// Deliveries as the tools send them, under Tests/IncidentImportersTests/Fixtures.
enum WebhookFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("IncidentImportersTests/Fixtures")

    static func body(_ path: String) -> [UInt8] {
        Array(try! Data(contentsOf: folder.appendingPathComponent(path)))
    }
}

@Suite struct WebhookReceiverTests {
    static let pagerDutySecret = "ChPV1ZwGvkkI5E6RN+0pFQxT9qOgPLSYJzf0qVjKm4Y="
    static let now = try! Timestamp(rfc3339: "2026-12-07T04:00:00Z")

    /// A real ledger, a service on a fixed clock, and receivers `pd` (PagerDuty), `sp` (Statuspage) and `bot` (generic).
    struct Fixture {
        let directory = TemporaryDirectory()
        let ledger: Ledger
        let service: LedgerService
        let receivers: WebhookReceivers
        let statuspageSecret: String
        let botSecret: String

        init() async throws {
            ledger = try Ledger.create(at: directory.path)
            service = LedgerService(ledger: ledger, defaults: RecordingDefaults(clock: { WebhookReceiverTests.now }, newID: { UUID.version7() }, actor: nil))
            receivers = service.webhookReceivers
            _ = try await receivers.add(kind: .pagerduty, name: "pd", secret: WebhookReceiverTests.pagerDutySecret, incidentPrefix: nil, createdAt: WebhookReceiverTests.now)
            statuspageSecret = try await receivers.add(kind: .statuspage, name: "sp", secret: nil, incidentPrefix: nil, createdAt: WebhookReceiverTests.now).secret
            botSecret = try await receivers.add(kind: .generic, name: "bot", secret: nil, incidentPrefix: nil, createdAt: WebhookReceiverTests.now).secret
        }

        func pagerDuty(_ type: String, signedWith secrets: [String] = [WebhookReceiverTests.pagerDutySecret]) async throws -> WebhookOutcome {
            let body = WebhookFixtures.body("PagerDuty/\(type).json")
            let signature = WebhookSignature.pagerDuty(body: body, secrets: secrets.map { Array($0.utf8) })
            return try await service.receive(WebhookDelivery(kind: .pagerduty, receiver: "pd", body: body, signature: signature))
        }

        func generic(_ body: String, at seconds: Int64? = nil) async throws -> WebhookOutcome {
            let bytes = Array(body.utf8)
            let time = seconds ?? WebhookReceiverTests.now.microsecondsSinceEpoch / 1_000_000
            let signature = WebhookSignature.generic(body: bytes, secret: Array(botSecret.utf8), unixSeconds: time)
            return try await service.receive(WebhookDelivery(kind: .generic, receiver: "bot", body: bytes, signature: signature))
        }

        var head: UInt64 { get throws { try ledger.read { try $0.head() }.position } }

        func events(_ stream: String) throws -> [RecordedEvent] { try ledger.read { try $0.events(inStream: stream) } }
    }

    // MARK: Signatures

    @Test func aPagerDutySignatureMustMatchOneOfItsV1Values() throws {
        let body = Array(#"{"event":{}}"#.utf8)
        let secret = Array("old-secret-0123456789".utf8)
        let good = WebhookSignature.pagerDuty(body: body, secrets: [secret])
        try WebhookSignature.checkPagerDuty(good, body: body, secret: secret)
        // Rotation: PagerDuty signs with the old and the new secret; either one stored verifies.
        let rotated = WebhookSignature.pagerDuty(body: body, secrets: [Array("new-secret-0123456789".utf8), secret])
        try WebhookSignature.checkPagerDuty(rotated, body: body, secret: secret)
        try WebhookSignature.checkPagerDuty(rotated, body: body, secret: Array("new-secret-0123456789".utf8))
        // Uppercase hexadecimal is the same signature.
        try WebhookSignature.checkPagerDuty("v1=" + WebhookSignature.hmacHex(body, secret: secret).uppercased(), body: body, secret: secret)
        for bad in [nil, "", "v1=00", "v0=" + WebhookSignature.hmacHex(body, secret: secret), WebhookSignature.pagerDuty(body: body + [0x20], secrets: [secret])] {
            #expect(throws: ServiceError.self) { try WebhookSignature.checkPagerDuty(bad, body: body, secret: secret) }
        }
        // A body changed by one byte does not verify.
        #expect(throws: ServiceError.self) { try WebhookSignature.checkPagerDuty(good, body: Array(#"{"event":[]}"#.utf8), secret: secret) }
    }

    /// The known answer: HMAC-SHA256 with key "key" over the pangram (RFC 4231's style of example).
    @Test func theHMACIsTheStandardOne() {
        #expect(WebhookSignature.hmacHex(Array("The quick brown fox jumps over the lazy dog".utf8), secret: Array("key".utf8))
            == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    }

    @Test func aGenericSignatureIsRefusedOutsideTheReplayWindow() throws {
        let body = Array("{}".utf8)
        let secret = Array("generic-secret-0123456789".utf8)
        let now = Self.now.microsecondsSinceEpoch / 1_000_000
        #expect(try WebhookSignature.checkGeneric(WebhookSignature.generic(body: body, secret: secret, unixSeconds: now - 299), body: body, secret: secret, now: Self.now) == now - 299)
        try WebhookSignature.checkGeneric(WebhookSignature.generic(body: body, secret: secret, unixSeconds: now + 300), body: body, secret: secret, now: Self.now)
        for old in [now - 301, now + 301, 0] {
            #expect(throws: ServiceError.self) {
                try WebhookSignature.checkGeneric(WebhookSignature.generic(body: body, secret: secret, unixSeconds: old), body: body, secret: secret, now: Self.now)
            }
        }
        // The timestamp is signed: moving it into the window breaks the signature.
        let stale = WebhookSignature.generic(body: body, secret: secret, unixSeconds: now - 1000)
        let moved = stale.replacingOccurrences(of: "t=\(now - 1000)", with: "t=\(now)")
        #expect(throws: ServiceError.self) { try WebhookSignature.checkGeneric(moved, body: body, secret: secret, now: Self.now) }
        for bad in [nil, "", "v1=abc", "t=\(now)", "t=x,v1=" + WebhookSignature.hmacHex(body, secret: secret)] {
            #expect(throws: ServiceError.self) { try WebhookSignature.checkGeneric(bad, body: body, secret: secret, now: Self.now) }
        }
    }

    /// The worked examples of docs/server.md sign with `openssl dgst -sha256 -hmac` in the shell; those
    /// signatures are the ones the receivers check.
    @Test func theShellExamplesSignAsTheReceiversCheck() throws {
        let fixture = WebhookFixtures.folder.appendingPathComponent("PagerDuty/incident.triggered.json").path
        let secret = "whsec_example-secret-0123456789"
        let script = #"""
            body=$(cat "$FIXTURE")
            printf '%s' "$body" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.*= //'
            t=1765080000
            printf '%s.%s' "$t" "$body" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.*= //'
            """#
        let outcome = try ChildProcess.run("/bin/sh", ["-c", script], environment: ["FIXTURE": fixture, "SECRET": secret])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        // `$(cat …)` drops the file's last newline, and the examples send the body without it too.
        var body = WebhookFixtures.body("PagerDuty/incident.triggered.json")
        while body.last == 0x0A { body.removeLast() }
        #expect(lines == [
            WebhookSignature.hmacHex(body, secret: Array(secret.utf8)),
            String(WebhookSignature.generic(body: body, secret: Array(secret.utf8), unixSeconds: 1_765_080_000).split(separator: "=").last!),
        ])
        try WebhookSignature.checkPagerDuty("v1=" + lines[0], body: body, secret: Array(secret.utf8))
    }

    // MARK: Receivers

    @Test func receiversAreListedWithoutSecretsAndRemoved() async throws {
        let fixture = try await Fixture()
        #expect(try fixture.receivers.list().map(\.name) == ["bot", "pd", "sp"])
        #expect(try fixture.receivers.list().map(\.incidentPrefix) == [nil, "PD-", "SP-"])
        #expect(fixture.statuspageSecret.hasPrefix("whsec_") && fixture.statuspageSecret.count == 49)
        #expect(fixture.botSecret != fixture.statuspageSecret)
        await #expect(throws: ServiceError.self) {
            try await fixture.receivers.add(kind: .generic, name: "bot", secret: nil, incidentPrefix: nil, createdAt: Self.now)
        }
        for name in ["", "Bot", "a/b", String(repeating: "a", count: 65)] {
            await #expect(throws: LedgerError.self) { try await fixture.receivers.add(kind: .generic, name: name, secret: nil, incidentPrefix: nil, createdAt: Self.now) }
        }
        await #expect(throws: LedgerError.self) { try await fixture.receivers.add(kind: .pagerduty, name: "short", secret: "short", incidentPrefix: nil, createdAt: Self.now) }
        // PagerDuty makes its own secret: one must be given.
        await #expect(throws: LedgerError.self) { try await fixture.receivers.add(kind: .pagerduty, name: "pd2", secret: nil, incidentPrefix: nil, createdAt: Self.now) }
        await #expect(throws: LedgerError.self) { try await fixture.receivers.add(kind: .generic, name: "bot2", secret: nil, incidentPrefix: "X-", createdAt: Self.now) }
        try await fixture.receivers.remove("bot")
        #expect(try fixture.receivers.list().map(\.name) == ["pd", "sp"])
        await #expect(throws: ServiceError(.noSuchReceiver, "no webhook receiver named 'bot' is configured — `incidents webhooks list` shows them")) {
            try await fixture.receivers.remove("bot")
        }
    }

    @Test func aDeliveryToAnUnknownReceiverOrOfAnotherKindIsRefused() async throws {
        let fixture = try await Fixture()
        let body = WebhookFixtures.body("PagerDuty/incident.triggered.json")
        let signature = WebhookSignature.pagerDuty(body: body, secrets: [Array(Self.pagerDutySecret.utf8)])
        for (kind, name) in [(WebhookReceiver.Kind.pagerduty, "nobody"), (.generic, "pd")] {
            await #expect { try await fixture.service.receive(WebhookDelivery(kind: kind, receiver: name, body: body, signature: signature)) }
                throws: { ($0 as? ServiceError)?.code == .noSuchReceiver }
        }
        #expect(try fixture.head == 0)
    }

    // MARK: PagerDuty

    @Test func aSignedPagerDutyDeliveryIsRecordedByTheTool() async throws {
        let fixture = try await Fixture()
        let outcome = try await fixture.pagerDuty("incident.triggered")
        #expect(outcome.report.eventsImported == 1)
        let events = try fixture.events("PD-1234")
        #expect(events.map(\.type) == ["incident.declared"])
        #expect(events[0].actor == Actor(kind: .tool, id: "pagerduty"))
        #expect(events[0].source == "webhook:pagerduty")
        for type in ["incident.acknowledged", "incident.escalated", "incident.priority_updated", "incident.annotated", "incident.resolved", "incident.reopened"] {
            let outcome = try await fixture.pagerDuty(type)
            #expect(outcome.report.eventsImported == 1, "\(type)")
            #expect(outcome.report.rejections.isEmpty)
        }
        // The note names its incident by reference only; it joins the stream the trigger gave it.
        #expect(try fixture.events("PD-1234").map(\.type) == [
            "incident.declared", "incident.acknowledged", "incident.responder_assigned", "incident.severity_changed", "incident.note_added",
            "incident.resolved", "incident.reopened",
        ])
    }

    @Test func aBadSignatureWritesNothing() async throws {
        let fixture = try await Fixture()
        for secrets in [["not-the-secret-at-all"], []] {
            await #expect { try await fixture.pagerDuty("incident.triggered", signedWith: secrets) }
                throws: { ($0 as? ServiceError)?.code == .badSignature }
        }
        #expect(try fixture.head == 0)
        // Signed with the old secret and the new during a rotation, it is accepted.
        _ = try await fixture.pagerDuty("incident.triggered", signedWith: ["a-newer-secret-0123456789", Self.pagerDutySecret])
        #expect(try fixture.head == 1)
    }

    @Test func aRedeliveryIsRecordedOnce() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.pagerDuty("incident.triggered")
        _ = try await fixture.pagerDuty("incident.acknowledged")
        let head = try fixture.head
        let again = try await fixture.pagerDuty("incident.acknowledged")
        #expect(again.report.eventsImported == 0)
        #expect(again.report.eventsAlreadyPresent == 1)
        #expect(again.report.warnings.isEmpty)
        _ = try await fixture.pagerDuty("incident.triggered")
        #expect(try fixture.head == head)
    }

    /// The receiver was set up mid-incident: the acknowledgement declares the incident, and the
    /// trigger that arrives later (a redelivery) is already there.
    @Test func aDeliveryForAnIncidentNotYetKnownDeclaresItFirst() async throws {
        let fixture = try await Fixture()
        let outcome = try await fixture.pagerDuty("incident.acknowledged")
        #expect(outcome.report.warnings.map(\.kind) == [.undeclaredIncident])
        #expect(try fixture.events("PD-1234").map(\.type) == ["incident.declared", "incident.acknowledged"])
        let trigger = try await fixture.pagerDuty("incident.triggered")
        #expect(trigger.report.eventsImported == 0)
        #expect(trigger.report.eventsAlreadyPresent == 1)
        #expect(try fixture.head == 2)
    }

    /// A note first: the incident is declared under PagerDuty's id (the note carries no number), and
    /// the numbered deliveries after it find that stream by the declaration's id.
    @Test func anIncidentKeepsTheStreamItsFirstDeliveryGaveIt() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.pagerDuty("incident.annotated")
        _ = try await fixture.pagerDuty("incident.acknowledged")
        #expect(try fixture.events("PD-Q2M7NWTX4E0JXC").map(\.type) == ["incident.declared", "incident.note_added", "incident.acknowledged"])
        #expect(try fixture.events("PD-1234").isEmpty)
    }

    /// Two deliveries about an incident not yet known, at once: both declare it, one wins, and the
    /// other finds the declaration and joins its stream.
    @Test func simultaneousDeliveriesForAnUnknownIncidentDeclareItOnce() async throws {
        for second in ["incident.escalated", "incident.annotated"] {
            let fixture = try await Fixture()
            async let first = fixture.pagerDuty("incident.acknowledged")
            async let other = fixture.pagerDuty(second)
            let outcomes = try await [first, other]
            #expect(outcomes.allSatisfy { $0.report.rejections.isEmpty })
            #expect(try fixture.head == 3)
            let declaration = try #require(try fixture.ledger.read { try $0.event(id: PagerDutyImporter.declarationID(incident: "Q2M7NWTX4E0JXC")) })
            #expect(try fixture.events(declaration.stream).count == 3)
        }
    }

    /// A delivery the rules refuse is answered with the refusal in the report, not thrown: PagerDuty
    /// would drop it, and disable the subscription after three.
    @Test func aDeliveryTheRulesRefuseIsReportedNotThrown() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.pagerDuty("incident.triggered")
        let reopened = try await fixture.pagerDuty("incident.reopened")  // still open: nothing to reopen
        #expect(reopened.report.eventsImported == 0)
        #expect(reopened.report.rejections.count == 1)
        #expect(reopened.report.rejections.first?.rule.contains("still open") == true)
        #expect(try fixture.head == 1)
    }

    // MARK: Statuspage

    @Test func aStatuspageDeliveryNeedsTheSecretInItsURL() async throws {
        let fixture = try await Fixture()
        let body = WebhookFixtures.body("Statuspage/incident.investigating.json")
        for secret in [nil, "", "whsec_wrong", fixture.botSecret] as [String?] {
            await #expect { try await fixture.service.receive(WebhookDelivery(kind: .statuspage, receiver: "sp", body: body, urlSecret: secret)) }
                throws: { ($0 as? ServiceError)?.code == .badSignature }
        }
        #expect(try fixture.head == 0)
    }

    @Test func statuspageDeliveriesAddOnlyWhatIsNew() async throws {
        let fixture = try await Fixture()
        func deliver(_ name: String) async throws -> WebhookOutcome {
            try await fixture.service.receive(
                WebhookDelivery(kind: .statuspage, receiver: "sp", body: WebhookFixtures.body("Statuspage/\(name).json"), urlSecret: fixture.statuspageSecret))
        }
        let first = try await deliver("incident.investigating")
        let recorded = try fixture.events("SP-p31zjtct2jer")
        #expect(recorded.map(\.type) == ["incident.declared", "status_update.published", "incident.status_changed"])
        #expect(first.report.eventsImported == 3)
        #expect(recorded.allSatisfy { $0.actor == Actor(kind: .tool, id: "statuspage") && $0.source == "webhook:statuspage" })
        // The same delivery again adds nothing; the next adds its update and the resolution.
        let again = try await deliver("incident.investigating")
        #expect(again.report.eventsImported == 0)
        #expect(again.report.eventsAlreadyPresent == 3)
        let resolved = try await deliver("incident.resolved")
        #expect(try fixture.events("SP-p31zjtct2jer").map(\.type).suffix(2) == ["status_update.published", "incident.resolved"])
        #expect(resolved.report.eventsImported == 2)
        #expect(resolved.report.eventsAlreadyPresent == 3)
        // A component's webhook records nothing, and says so.
        let component = try await deliver("component_update")
        #expect(component.results.isEmpty)
        #expect(component.report.warnings.map(\.kind) == [.unknownValue])
    }

    // MARK: Generic

    static let declaration = #"{"stream": "CHAT-7", "type": "incident.declared", "occurredAt": "2026-12-07T03:58:00Z", "payload": {"title": "Login page slow", "kind": "unplanned", "severity": "sev3"}}"#

    @Test func aSignedGenericDeliveryIsRecordedInTheReceiversName() async throws {
        let fixture = try await Fixture()
        let note = #"{"stream": "CHAT-7", "type": "incident.note_added", "occurredAt": "2026-12-07T03:59:00Z", "payload": {"text": "from #incident-chat"}}"#
        let outcome = try await fixture.generic(Self.declaration + "\n" + note + "\n")
        #expect(outcome.report.eventsImported == 2)
        let events = try fixture.events("CHAT-7")
        #expect(events.map(\.actor) == [Actor(kind: .tool, id: "bot"), Actor(kind: .tool, id: "bot")])
        #expect(events.map(\.source) == ["webhook:generic", "webhook:generic"])
    }

    @Test func aReplayedGenericDeliveryIsRecordedOnce() async throws {
        let fixture = try await Fixture()
        let time = Self.now.microsecondsSinceEpoch / 1_000_000 - 10
        _ = try await fixture.generic(Self.declaration, at: time)
        let replay = try await fixture.generic(Self.declaration, at: time)
        #expect(replay.report.eventsImported == 0)
        #expect(try fixture.head == 1)
        // Signed again at another time, the same body is a new delivery: the rules refuse a second declaration.
        await #expect(throws: ImportRefusal.self) { try await fixture.generic(Self.declaration, at: time + 1) }
        #expect(try fixture.head == 1)
    }

    @Test func aGenericDeliveryOutsideTheWindowOrInAnotherNameWritesNothing() async throws {
        let fixture = try await Fixture()
        await #expect { try await fixture.generic(Self.declaration, at: Self.now.microsecondsSinceEpoch / 1_000_000 - 301) }
            throws: { ($0 as? ServiceError)?.code == .badSignature }
        let foreign = Self.declaration.replacingOccurrences(of: #""stream""#, with: #""actor": {"kind": "person", "id": "ceo"}, "stream""#)
        await #expect { try await fixture.generic(foreign) } throws: { ($0 as? ServiceError)?.code == .notReceiversName }
        #expect(try fixture.head == 0)
    }
}
