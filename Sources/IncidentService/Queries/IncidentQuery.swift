import Foundation
public import IncidentEvents
public import IncidentMetrics
public import IncidentProjections
public import LedgerModel

/// Which incidents to list, and in what order: every filter the list offers, for every entry point.
public struct IncidentQuery: Sendable, Hashable {
    /// A phase to match: one of the phases, or any phase before resolution.
    public enum PhaseFilter: Sendable, Hashable {
        case open
        case phase(IncidentPhase)
    }

    public var phase: PhaseFilter?
    public var severity: Severity?
    public var kind: IncidentKind?
    /// Incidents whose final scope names this service: the same name after NFC, in any case.
    public var service: String?
    /// Incidents whose title or id holds this text, in any case and with or without diacritics;
    /// an empty text is no filter.
    public var text: String?
    /// Declared within this period (UTC).
    public var period: CalendarPeriod?
    /// Declared at or after this time.
    public var since: Timestamp?
    /// Declared before this time.
    public var until: Timestamp?
    /// Only the N resolved incidents that lasted longest, longest first.
    public var longest: Int?

    public init(
        phase: PhaseFilter? = nil, severity: Severity? = nil, kind: IncidentKind? = nil, service: String? = nil, text: String? = nil,
        period: CalendarPeriod? = nil, since: Timestamp? = nil, until: Timestamp? = nil, longest: Int? = nil
    ) {
        self.phase = phase
        self.severity = severity
        self.kind = kind
        self.service = service
        self.text = text
        self.period = period
        self.since = since
        self.until = until
        self.longest = longest
    }

    /// Whether the incident passes every filter.
    public func matches(_ summary: IncidentSummary) -> Bool {
        switch phase {
        case .open?: if !summary.isOpen { return false }
        case .phase(let phase)?: if summary.phase != phase { return false }
        case nil: break
        }
        if let severity, summary.severity != severity { return false }
        if let kind, summary.kind != kind { return false }
        if let service {
            let wanted = EnvelopeRules.normalized(service)
            guard summary.services.contains(where: { EnvelopeRules.normalized($0).caseInsensitiveCompare(wanted) == .orderedSame }) else { return false }
        }
        if let text, !text.isEmpty {
            let wanted = EnvelopeRules.normalized(text)
            let found = { (haystack: String) in haystack.range(of: wanted, options: [.caseInsensitive, .diacriticInsensitive]) != nil }
            guard found(summary.incident) || summary.title.map(found) == true else { return false }
        }
        if let period, !(summary.declaredAt.map { period.contains($0.microsecondsSinceEpoch) } ?? false) { return false }
        if let since, (summary.declaredAt ?? Timestamp(microsecondsSinceEpoch: .min)) < since { return false }
        if let until, (summary.declaredAt ?? Timestamp(microsecondsSinceEpoch: .max)) >= until { return false }
        return true
    }

    /// The matching incidents in declaration order (then id), or the longest ones, longest first.
    public func apply(to summaries: [IncidentSummary]) -> [IncidentSummary] {
        let declared = { (summary: IncidentSummary) in summary.declaredAt ?? Timestamp(microsecondsSinceEpoch: .min) }
        let matching = summaries.filter(matches).sorted { (declared($0), $0.incident) < (declared($1), $1.incident) }
        guard let longest else { return matching }
        return Array(matching.compactMap { summary in Self.duration(summary).map { (summary, $0) } }
            .sorted { ($0.1, $1.0.incident) > ($1.1, $0.0.incident) }.prefix(longest).map(\.0))
    }

    /// Impact start (or declaration) to resolution, in microseconds; nil while unresolved.
    public static func duration(_ summary: IncidentSummary) -> Int64? {
        guard let resolved = summary.resolvedAt, let start = summary.impactStartedAt ?? summary.declaredAt else { return nil }
        return resolved.microsecondsSinceEpoch - start.microsecondsSinceEpoch
    }
}
