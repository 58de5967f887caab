public import Foundation
public import LedgerModel

/// The outage playbook's numbers and lists: how often updates are promised, how long a social post
/// or a text message may be, which words customers should not read, how fast messages and
/// escalations are answered, and when planned maintenance may happen.
///
/// Kept in the ledger (``PlaybookPolicySet`` in ``LedgerStream/playbook``), so every server and every
/// figure uses the same one and an auditor can see which was in force. Its JSON form (docs/playbook.md)
/// may leave out any key, which then takes the default below; an unknown key is refused, so a typo
/// is not silently ignored.
public struct PlaybookPolicy: Sendable, Hashable, Codable {
    /// Refuse an update or a declaration that breaks a check, instead of recording it with a warning.
    public var strict: Bool
    public var updates: Updates
    public var responses: Responses
    public var maintenance: Maintenance

    public init(strict: Bool = false, updates: Updates = Updates(), responses: Responses = Responses(), maintenance: Maintenance = Maintenance()) {
        self.strict = strict
        self.updates = updates
        self.responses = responses
        self.maintenance = maintenance
    }

    /// The default: the practice's own numbers (updates every 30 minutes for sev1, social posts of
    /// 280 characters, a first reply within an hour, maintenance on Saturday night for at most 20
    /// minutes, announced 72 hours ahead).
    public static let standard = PlaybookPolicy()

    /// What public status updates must respect.
    public struct Updates: Sendable, Hashable, Codable {
        /// The longest wait for the next update that may be promised, in minutes, by severity (`sev1` … `sev4`).
        public var cadenceMinutes: [String: Int]
        /// The most characters a social-media post may have.
        public var socialMediaCharacters: Int
        /// The most characters a text message (SMS) may have.
        public var smsCharacters: Int
        /// Words and phrases an update should not use (blame and jargon), matched case-insensitively as whole words.
        public var flaggedWords: [String]

        public init(
            cadenceMinutes: [String: Int] = ["sev1": 30, "sev2": 60, "sev3": 120, "sev4": 240], socialMediaCharacters: Int = 280,
            smsCharacters: Int = 160, flaggedWords: [String] = Self.standardFlaggedWords
        ) {
            self.cadenceMinutes = cadenceMinutes
            self.socialMediaCharacters = socialMediaCharacters
            self.smsCharacters = smsCharacters
            self.flaggedWords = flaggedWords
        }

        /// Blame (a customer does not care whose fault it is) and jargon (they see the impact, not its machinery).
        public static let standardFlaggedWords = [
            "our vendor", "third party", "third-party", "provider's fault", "human error",
            "database", "500 error", "502", "503", "http 500", "dns", "kubernetes", "pod", "node", "cluster", "load balancer",
            "deploy", "deployment", "rollback", "config", "latency spike", "packet loss", "stack trace", "null pointer",
        ]

        /// The longest promise for an incident of `severity`, in microseconds.
        public func cadence(for severity: Severity) -> Int64 {
            Int64(cadenceMinutes[severity.rawValue] ?? 60) * 60_000_000
        }

        /// The character limit of `channel`, when it has one.
        public func characterLimit(of channel: UpdateChannel) -> Int? {
            switch channel {
            case .socialMedia: socialMediaCharacters
            case .sms: smsCharacters
            case .statusPage, .email, .inApp: nil
            }
        }
    }

    /// How fast the team answers.
    public struct Responses: Sendable, Hashable, Codable {
        /// The target for the first reply to a customer message, in minutes.
        public var firstReplyMinutes: Int
        /// Shorter (or longer) targets for some customer tiers, in minutes, by tier name.
        public var firstReplyMinutesByTier: [String: Int]
        /// An escalation is acknowledged within this many minutes.
        public var escalationAcknowledgeMinutes: Int
        /// A satisfaction survey goes out within this many hours of the resolution.
        public var surveyWithinHours: Int
        /// A postmortem is started within this many days of the resolution, by severity; severities left out need none.
        public var postmortemWithinDays: [String: Int]
        /// How far ahead `incidents due` looks for what falls due, in minutes.
        public var dueWindowMinutes: Int
        /// Customers who were told of the incident are told it is over within this many minutes of the resolution.
        public var resolutionAnnouncedWithinMinutes: Int

        public init(
            firstReplyMinutes: Int = 60, firstReplyMinutesByTier: [String: Int] = ["enterprise": 30], escalationAcknowledgeMinutes: Int = 15,
            surveyWithinHours: Int = 24, postmortemWithinDays: [String: Int] = ["sev1": 5, "sev2": 5, "sev3": 10], dueWindowMinutes: Int = 15,
            resolutionAnnouncedWithinMinutes: Int = 30
        ) {
            self.firstReplyMinutes = firstReplyMinutes
            self.firstReplyMinutesByTier = firstReplyMinutesByTier
            self.escalationAcknowledgeMinutes = escalationAcknowledgeMinutes
            self.surveyWithinHours = surveyWithinHours
            self.postmortemWithinDays = postmortemWithinDays
            self.dueWindowMinutes = dueWindowMinutes
            self.resolutionAnnouncedWithinMinutes = resolutionAnnouncedWithinMinutes
        }

        /// The first-reply target for a customer of `tier`, in microseconds.
        public func firstReply(forTier tier: String?) -> Int64 {
            Int64(tier.flatMap { firstReplyMinutesByTier[$0] } ?? firstReplyMinutes) * 60_000_000
        }

        /// How long after the resolution a postmortem of an incident of `severity` must have started, in microseconds; nil when none is needed.
        public func postmortemDeadline(for severity: Severity) -> Int64? {
            postmortemWithinDays[severity.rawValue].map { Int64($0) * 86_400_000_000 }
        }

        public var escalationAcknowledge: Int64 { Int64(escalationAcknowledgeMinutes) * 60_000_000 }
        public var surveyWithin: Int64 { Int64(surveyWithinHours) * 3_600_000_000 }
        public var dueWindow: Int64 { Int64(dueWindowMinutes) * 60_000_000 }
        public var resolutionAnnouncedWithin: Int64 { Int64(resolutionAnnouncedWithinMinutes) * 60_000_000 }
    }

    /// When planned maintenance may happen. By the practice's rule, anything outside it is an unplanned outage.
    public struct Maintenance: Sendable, Hashable, Codable {
        /// The IANA time zone the days and hours are in.
        public var timeZone: String
        /// The days a window may open on (`monday` … `sunday`).
        public var days: [String]
        /// The earliest local time a window may open, `HH:MM`.
        public var opens: String
        /// The latest local time a window may close, `HH:MM`; earlier than `opens` means the next morning.
        public var closes: String
        /// The longest a window may last, in minutes.
        public var maximumMinutes: Int
        /// How long before the window opens it must be announced (declared), in hours.
        public var noticeHours: Int
        /// Refuse a maintenance outside the policy even when recording is not strict.
        public var alwaysRefuse: Bool

        public init(
            timeZone: String = "UTC", days: [String] = ["saturday"], opens: String = "22:00", closes: String = "06:00", maximumMinutes: Int = 20,
            noticeHours: Int = 72, alwaysRefuse: Bool = false
        ) {
            self.timeZone = timeZone
            self.days = days
            self.opens = opens
            self.closes = closes
            self.maximumMinutes = maximumMinutes
            self.noticeHours = noticeHours
            self.alwaysRefuse = alwaysRefuse
        }

        /// Minutes after local midnight of `opens` and `closes` (both checked by ``PlaybookPolicy/validate()``).
        public var openingMinute: Int { Self.minute(of: opens) ?? 0 }
        public var closingMinute: Int { Self.minute(of: closes) ?? 0 }

        /// The weekday numbers (1 = Sunday … 7 = Saturday, as `Calendar` counts them) a window may open on.
        public var weekdays: Set<Int> { Set(days.compactMap { Self.weekdayNames.firstIndex(of: $0.lowercased()).map { $0 + 1 } }) }

        static let weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

        static func minute(of text: String) -> Int? {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]),
                  (0...24).contains(hour), (0...59).contains(minute), hour < 24 || minute == 0
            else { return nil }
            return hour * 60 + minute
        }
    }
}

// MARK: - Reading and checking

extension PlaybookPolicy {
    /// Reads a policy from JSON: keys left out take the defaults, unknown keys and impossible values are refused.
    public static func decode(_ data: Data) throws(PlaybookPolicyError) -> PlaybookPolicy {
        do {
            _ = try JSONParser.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw PlaybookPolicyError(path: "", reason: "is not JSON: \(error)")
        }
        let policy: PlaybookPolicy
        do {
            policy = try JSONDecoder().decode(PlaybookPolicy.self, from: data)
        } catch let error as PlaybookPolicyError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            throw PlaybookPolicyError(path: Self.path(context), reason: context.underlyingError.map { "is not JSON (\($0.localizedDescription))" } ?? context.debugDescription)
        } catch let DecodingError.typeMismatch(type, context) {
            throw PlaybookPolicyError(path: Self.path(context), reason: "must be \(Self.describe(type))")
        } catch let DecodingError.valueNotFound(type, context) {
            throw PlaybookPolicyError(path: Self.path(context), reason: "must be \(Self.describe(type)), not null")
        } catch {
            throw PlaybookPolicyError(path: "", reason: "cannot be read: \(error)")
        }
        try policy.validate()
        return policy
    }

    /// Reads a policy from a payload's JSON object.
    public static func decode(_ object: [String: JSONValue]) throws(PlaybookPolicyError) -> PlaybookPolicy {
        try decode(Data(JSONValue.object(object).canonicalText.utf8))
    }

    /// The policy as a JSON object, every key present: what ``PlaybookPolicySet`` records.
    public var json: [String: JSONValue] {
        let encoded = (try? JSONValueEncoder().encode(self)) ?? .object([:])
        return encoded.objectValue ?? [:]
    }

    /// Checks what the JSON form cannot: known severities, tiers and days, times, a time zone, positive numbers.
    public func validate() throws(PlaybookPolicyError) {
        let severities = Set(Severity.allCases.map(\.rawValue))
        for (key, minutes) in updates.cadenceMinutes {
            guard severities.contains(key) else { throw PlaybookPolicyError(path: "updates.cadenceMinutes.\(key)", reason: "is not a severity (sev1 … sev4)") }
            guard minutes > 0 else { throw PlaybookPolicyError(path: "updates.cadenceMinutes.\(key)", reason: "must be a positive number of minutes") }
        }
        for (key, days) in responses.postmortemWithinDays {
            guard severities.contains(key) else { throw PlaybookPolicyError(path: "responses.postmortemWithinDays.\(key)", reason: "is not a severity (sev1 … sev4)") }
            guard days > 0 else { throw PlaybookPolicyError(path: "responses.postmortemWithinDays.\(key)", reason: "must be a positive number of days") }
        }
        for (tier, minutes) in responses.firstReplyMinutesByTier where minutes <= 0 {
            throw PlaybookPolicyError(path: "responses.firstReplyMinutesByTier.\(tier)", reason: "must be a positive number of minutes")
        }
        let positives: [(String, Int)] = [
            ("updates.socialMediaCharacters", updates.socialMediaCharacters), ("updates.smsCharacters", updates.smsCharacters),
            ("responses.firstReplyMinutes", responses.firstReplyMinutes), ("responses.escalationAcknowledgeMinutes", responses.escalationAcknowledgeMinutes),
            ("responses.surveyWithinHours", responses.surveyWithinHours), ("responses.dueWindowMinutes", responses.dueWindowMinutes),
            ("responses.resolutionAnnouncedWithinMinutes", responses.resolutionAnnouncedWithinMinutes),
            ("maintenance.maximumMinutes", maintenance.maximumMinutes),
        ]
        for (path, value) in positives where value <= 0 {
            throw PlaybookPolicyError(path: path, reason: "must be positive, not \(value)")
        }
        guard maintenance.noticeHours >= 0 else { throw PlaybookPolicyError(path: "maintenance.noticeHours", reason: "must not be negative") }
        for (index, word) in updates.flaggedWords.enumerated() where word.allSatisfy(\.isWhitespace) {
            throw PlaybookPolicyError(path: "updates.flaggedWords[\(index)]", reason: "is empty")
        }
        guard TimeZone(identifier: maintenance.timeZone) != nil else {
            throw PlaybookPolicyError(path: "maintenance.timeZone", reason: "\(MessageText.quoted(maintenance.timeZone)) is not a time zone; use an IANA name such as Europe/Berlin")
        }
        for day in maintenance.days where !Maintenance.weekdayNames.contains(day.lowercased()) {
            throw PlaybookPolicyError(path: "maintenance.days", reason: "\(MessageText.quoted(day)) is not a day; use monday … sunday")
        }
        guard !maintenance.days.isEmpty else { throw PlaybookPolicyError(path: "maintenance.days", reason: "names no day, so no maintenance could ever be planned") }
        for (path, text) in [("maintenance.opens", maintenance.opens), ("maintenance.closes", maintenance.closes)] where Maintenance.minute(of: text) == nil {
            throw PlaybookPolicyError(path: path, reason: "\(MessageText.quoted(text)) is not a time of day HH:MM")
        }
        guard maintenance.opens != maintenance.closes else {
            throw PlaybookPolicyError(path: "maintenance.closes", reason: "is the time the window opens, so the window is empty")
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is Int.Type: "a whole number"
        case is String.Type: "a text"
        case is [String].Type: "a list of texts"
        default: "an object"
        }
    }
}

/// Why a playbook policy was refused: where in its JSON, and what is wrong there.
public struct PlaybookPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key at fault, as a dotted path such as `maintenance.days`; empty for the document.
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? "the policy \(reason)" : "\(path) \(reason)" }
}

// MARK: - Codable, strict about keys, lenient about absence

extension PlaybookPolicy {
    private enum CodingKeys: String, CodingKey, CaseIterable { case strict, updates, responses, maintenance }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try PolicyKeys.refuseUnknown(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let standard = PlaybookPolicy()
        self.init(
            strict: try c.decodeIfPresent(Bool.self, forKey: .strict) ?? standard.strict,
            updates: try c.decodeIfPresent(Updates.self, forKey: .updates) ?? standard.updates,
            responses: try c.decodeIfPresent(Responses.self, forKey: .responses) ?? standard.responses,
            maintenance: try c.decodeIfPresent(Maintenance.self, forKey: .maintenance) ?? standard.maintenance)
    }
}

extension PlaybookPolicy.Updates {
    private enum CodingKeys: String, CodingKey, CaseIterable { case cadenceMinutes, socialMediaCharacters, smsCharacters, flaggedWords }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try PolicyKeys.refuseUnknown(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let standard = Self()
        self.init(
            cadenceMinutes: try c.decodeIfPresent([String: Int].self, forKey: .cadenceMinutes) ?? standard.cadenceMinutes,
            socialMediaCharacters: try c.decodeIfPresent(Int.self, forKey: .socialMediaCharacters) ?? standard.socialMediaCharacters,
            smsCharacters: try c.decodeIfPresent(Int.self, forKey: .smsCharacters) ?? standard.smsCharacters,
            flaggedWords: try c.decodeIfPresent([String].self, forKey: .flaggedWords) ?? standard.flaggedWords)
    }
}

extension PlaybookPolicy.Responses {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case firstReplyMinutes, firstReplyMinutesByTier, escalationAcknowledgeMinutes, surveyWithinHours, postmortemWithinDays, dueWindowMinutes
        case resolutionAnnouncedWithinMinutes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try PolicyKeys.refuseUnknown(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let standard = Self()
        self.init(
            firstReplyMinutes: try c.decodeIfPresent(Int.self, forKey: .firstReplyMinutes) ?? standard.firstReplyMinutes,
            firstReplyMinutesByTier: try c.decodeIfPresent([String: Int].self, forKey: .firstReplyMinutesByTier) ?? standard.firstReplyMinutesByTier,
            escalationAcknowledgeMinutes: try c.decodeIfPresent(Int.self, forKey: .escalationAcknowledgeMinutes) ?? standard.escalationAcknowledgeMinutes,
            surveyWithinHours: try c.decodeIfPresent(Int.self, forKey: .surveyWithinHours) ?? standard.surveyWithinHours,
            postmortemWithinDays: try c.decodeIfPresent([String: Int].self, forKey: .postmortemWithinDays) ?? standard.postmortemWithinDays,
            dueWindowMinutes: try c.decodeIfPresent(Int.self, forKey: .dueWindowMinutes) ?? standard.dueWindowMinutes,
            resolutionAnnouncedWithinMinutes: try c.decodeIfPresent(Int.self, forKey: .resolutionAnnouncedWithinMinutes) ?? standard.resolutionAnnouncedWithinMinutes)
    }
}

extension PlaybookPolicy.Maintenance {
    private enum CodingKeys: String, CodingKey, CaseIterable { case timeZone, days, opens, closes, maximumMinutes, noticeHours, alwaysRefuse }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try PolicyKeys.refuseUnknown(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let standard = Self()
        self.init(
            timeZone: try c.decodeIfPresent(String.self, forKey: .timeZone) ?? standard.timeZone,
            days: try c.decodeIfPresent([String].self, forKey: .days) ?? standard.days,
            opens: try c.decodeIfPresent(String.self, forKey: .opens) ?? standard.opens,
            closes: try c.decodeIfPresent(String.self, forKey: .closes) ?? standard.closes,
            maximumMinutes: try c.decodeIfPresent(Int.self, forKey: .maximumMinutes) ?? standard.maximumMinutes,
            noticeHours: try c.decodeIfPresent(Int.self, forKey: .noticeHours) ?? standard.noticeHours,
            alwaysRefuse: try c.decodeIfPresent(Bool.self, forKey: .alwaysRefuse) ?? standard.alwaysRefuse)
    }
}

/// Refuses keys a policy object does not know, naming the first with its path.
private enum PolicyKeys {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func refuseUnknown(in decoder: any Decoder, known: [String]) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            let path = (decoder.codingPath.map(\.stringValue) + [unknown]).joined(separator: ".")
            throw PlaybookPolicyError(path: path, reason: "is not a policy setting; the settings here are \(known.joined(separator: ", "))")
        }
    }
}
