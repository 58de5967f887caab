import Foundation
import IncidentEvents
import LedgerModel
import Testing

/// The playbook's policy file: defaults for what is left out, and one clear refusal for what is wrong.
@Suite struct PlaybookPolicyTests {
    static func decode(_ text: String) throws(PlaybookPolicyError) -> PlaybookPolicy { try PlaybookPolicy.decode(Data(text.utf8)) }

    static func refusal(_ text: String) -> PlaybookPolicyError? {
        do {
            _ = try decode(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func anEmptyPolicyIsTheStandardOneAndKeysLeftOutKeepTheirDefaults() throws {
        #expect(try Self.decode("{}") == .standard)
        let policy = try Self.decode(#"{"updates":{"socialMediaCharacters":140},"maintenance":{"days":["sunday"],"maximumMinutes":30}}"#)
        #expect(policy.updates.socialMediaCharacters == 140 && policy.updates.smsCharacters == 160)
        #expect(policy.maintenance.days == ["sunday"] && policy.maintenance.maximumMinutes == 30 && policy.maintenance.noticeHours == 72)
        #expect(policy.maintenance.weekdays == [1])
        #expect(policy.responses == PlaybookPolicy.Responses())
        // The standard numbers, as the practice sets them.
        let standard = PlaybookPolicy.standard
        #expect(standard.updates.cadence(for: .sev1) == 30 * 60_000_000 && standard.updates.cadence(for: .sev4) == 240 * 60_000_000)
        #expect(standard.updates.characterLimit(of: .socialMedia) == 280 && standard.updates.characterLimit(of: .sms) == 160)
        #expect(standard.updates.characterLimit(of: .statusPage) == nil)
        #expect(standard.responses.firstReply(forTier: "enterprise") == 30 * 60_000_000 && standard.responses.firstReply(forTier: nil) == 60 * 60_000_000)
        #expect(standard.responses.postmortemDeadline(for: .sev4) == nil && standard.responses.postmortemDeadline(for: .sev1) == 5 * 86_400_000_000)
        #expect(standard.maintenance.weekdays == [7] && standard.maintenance.openingMinute == 22 * 60 && standard.maintenance.closingMinute == 6 * 60)
    }

    @Test func whatIsRecordedReadsBackAsTheSamePolicy() throws {
        var policy = PlaybookPolicy.standard
        policy.strict = true
        policy.updates.flaggedWords = ["our vendor", "Datenbank"]
        policy.responses.firstReplyMinutesByTier = ["gold": 10]
        policy.maintenance.timeZone = "Europe/Berlin"
        #expect(try PlaybookPolicy.decode(policy.json) == policy)
        // Every key is present in what is recorded, so a later build with other defaults reads the same policy.
        #expect(Set(policy.json.keys) == ["strict", "updates", "responses", "maintenance"])
        #expect(policy.json["maintenance"]?.objectValue?.count == 7)
    }

    @Test func unknownKeysAndImpossibleValuesAreRefusedNamingTheSetting() {
        let cases: [(String, String, String)] = [
            (#"{"updates":{"socialMediaChars":140}}"#, "updates.socialMediaChars", "is not a policy setting"),
            (#"{"strikt":true}"#, "strikt", "is not a policy setting"),
            (#"{"updates":{"cadenceMinutes":{"sev9":30}}}"#, "updates.cadenceMinutes.sev9", "is not a severity"),
            (#"{"updates":{"cadenceMinutes":{"sev1":0}}}"#, "updates.cadenceMinutes.sev1", "positive"),
            (#"{"updates":{"smsCharacters":-1}}"#, "updates.smsCharacters", "must be positive"),
            (#"{"maintenance":{"timeZone":"Mars/Olympus"}}"#, "maintenance.timeZone", "is not a time zone"),
            (#"{"maintenance":{"days":["samedi"]}}"#, "maintenance.days", "is not a day"),
            (#"{"maintenance":{"days":[]}}"#, "maintenance.days", "names no day"),
            (#"{"maintenance":{"opens":"25:00"}}"#, "maintenance.opens", "is not a time of day"),
            (#"{"maintenance":{"opens":"22:00","closes":"22:00"}}"#, "maintenance.closes", "window is empty"),
            (#"{"maintenance":{"maximumMinutes":"twenty"}}"#, "maintenance.maximumMinutes", "must be a whole number"),
            (#"{"responses":{"postmortemWithinDays":{"sev2":-3}}}"#, "responses.postmortemWithinDays.sev2", "positive"),
            (#"{"updates":{"flaggedWords":["ok", "  "]}}"#, "updates.flaggedWords[1]", "is empty"),
        ]
        for (text, path, reason) in cases {
            let refusal = Self.refusal(text)
            #expect(refusal?.path == path && refusal?.reason.contains(reason) == true, "\(text): \(String(describing: refusal))")
        }
        #expect(Self.refusal("{ not json")?.reason.contains("is not JSON") == true)
        #expect(Self.refusal("[]") != nil)
    }

    @Test func thePolicyEventKeepsItsStreamAndRefusesABadPolicy() throws {
        let set = IncidentEvent.policySet(PlaybookPolicySet(policy: .standard))
        #expect(set.ledgerStream == LedgerStream.playbook && !set.isAccess && LedgerStream.isReserved("ledger.playbook"))
        #expect(Catalog.ledgerEntries(of: LedgerStream.playbook).map(\.type) == ["playbook.policy_set"])
        #expect(throws: EventInputError.self) {
            try Catalog.decode(type: "playbook.policy_set", schemaVersion: 1, payload: ["policy": ["maintenance": ["days": ["someday"]]]])
        }
        do {
            _ = try Catalog.decode(type: "playbook.policy_set", schemaVersion: 1, payload: ["policy": ["maintenance": ["days": ["someday"]]]])
        } catch {
            #expect(error.field == "payload.policy.maintenance.days")
        }
        // In force in its own stream only, and nothing but policies there.
        var facts = IncidentFacts()
        let now = Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000)
        #expect(throws: EventInputError.self) { try IncidentRules.check(set, occurredAt: now, stream: "INC-1", facts: facts, now: now) }
        #expect(throws: EventInputError.self) { try IncidentRules.check(set, occurredAt: now, stream: LedgerStream.access, facts: facts, now: now) }
        try IncidentRules.check(set, occurredAt: now, stream: LedgerStream.playbook, facts: facts, now: now)
        let note = IncidentEvent.noteAdded(InternalNoteAdded(text: "hello"))
        do {
            try IncidentRules.check(note, occurredAt: now, stream: LedgerStream.playbook, facts: facts, now: now)
            Issue.record("a note in the playbook stream")
        } catch {
            #expect(error.reason.contains("holds playbook.policy_set only"), "\(error)")
        }
        facts = IncidentFacts()
    }
}
