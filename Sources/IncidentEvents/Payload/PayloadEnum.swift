/// A closed vocabulary carried in payloads as a string, such as a severity or a channel.
public protocol PayloadEnum: RawRepresentable, CaseIterable, Sendable, Hashable, Codable where RawValue == String {}
