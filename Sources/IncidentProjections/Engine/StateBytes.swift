public import LedgerModel

/// A compact byte form for projection states read in bulk (``StoredProjection/encode(_:)``): little-endian integers, length-prefixed
/// UTF-8, enums as their index in `allCases`. The format is the projection's own; changing it (or
/// an enum's cases) means bumping the projection's version, which rebuilds it.
public struct StateWriter {
    public var bytes = [UInt8]()

    public init() {}

    public mutating func int(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    public mutating func count(_ value: Int) { int(Int64(value)) }
    public mutating func optional(_ value: Int64?) {
        if let value {
            bytes.append(1)
            int(value)
        } else {
            bytes.append(0)
        }
    }
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    public mutating func timestamp(_ value: Timestamp) { int(value.microsecondsSinceEpoch) }
    public mutating func optional(_ value: Timestamp?) { optional(value?.microsecondsSinceEpoch) }
    public mutating func string(_ value: String) {
        count(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }
    public mutating func optional(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }
    public mutating func strings(_ values: [String]) {
        array(values) { $0.string($1) }
    }
    /// The count, then each element written by `element`: what ``StateReader/array(_:)`` reads.
    public mutating func array<T>(_ values: [T], _ element: (inout StateWriter, T) -> Void) {
        count(values.count)
        for value in values { element(&self, value) }
    }
    /// Inlinable so that it is specialised for each enum where it is used: specialised, the
    /// synthesised `allCases` is a constant array; generic, it is built on every call.
    @inlinable
    public mutating func enumeration<E: CaseIterable & Equatable>(_ value: E) {
        // `allCases` builds its collection on every call: take it once.
        let cases = E.allCases
        bytes.append(UInt8(cases.distance(from: cases.startIndex, to: cases.firstIndex(of: value)!)))
    }
    @inlinable
    public mutating func optional<E: CaseIterable & Equatable>(_ value: E?) {
        if let value {
            bytes.append(1)
            enumeration(value)
        } else {
            bytes.append(0)
        }
    }
}

/// The bytes were not written by ``StateWriter`` for this version.
public struct StateBytesError: Error, CustomStringConvertible {
    public init() {}

    public var description: String { "a stored projection state is damaged; `incidents projections rebuild` makes it again" }
}

public struct StateReader {
    let bytes: UnsafeRawBufferPointer
    public private(set) var offset = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func take(_ length: Int) throws(StateBytesError) -> UnsafeRawBufferPointer {
        guard length >= 0, offset + length <= bytes.count else { throw StateBytesError() }
        defer { offset += length }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
    }
    public mutating func byte() throws(StateBytesError) -> UInt8 { try take(1)[0] }
    public mutating func int() throws(StateBytesError) -> Int64 { Int64(littleEndian: try take(8).loadUnaligned(as: Int64.self)) }
    public mutating func count() throws(StateBytesError) -> Int {
        let value = try int()
        guard value >= 0, value <= bytes.count else { throw StateBytesError() }
        return Int(value)
    }
    public mutating func optionalInt() throws(StateBytesError) -> Int64? { try byte() == 0 ? nil : try int() }
    public mutating func bool() throws(StateBytesError) -> Bool { try byte() != 0 }
    public mutating func timestamp() throws(StateBytesError) -> Timestamp { Timestamp(microsecondsSinceEpoch: try int()) }
    public mutating func optionalTimestamp() throws(StateBytesError) -> Timestamp? { try optionalInt().map(Timestamp.init(microsecondsSinceEpoch:)) }
    public mutating func string() throws(StateBytesError) -> String { String(decoding: try take(try count()), as: UTF8.self) }
    public mutating func optionalString() throws(StateBytesError) -> String? { try bool() ? try string() : nil }
    public mutating func strings() throws(StateBytesError) -> [String] {
        let n = try count()
        var out = [String]()
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }
    /// Inlinable for the same reason as ``StateWriter/enumeration(_:)``.
    @inlinable
    public mutating func enumeration<E: CaseIterable>(_: E.Type) throws(StateBytesError) -> E {
        let index = Int(try byte())
        // `allCases` builds its collection on every call: take it once.
        let cases = E.allCases
        guard index < cases.count else { throw StateBytesError() }
        return cases[cases.index(cases.startIndex, offsetBy: index)]
    }
    @inlinable
    public mutating func optional<E: CaseIterable>(_: E.Type) throws(StateBytesError) -> E? { try byte() == 0 ? nil : try enumeration(E.self) }
    /// `n` elements read by `element`.
    public mutating func array<T>(_ element: (inout StateReader) throws(StateBytesError) -> T) throws(StateBytesError) -> [T] {
        let n = try count()
        var out = [T]()
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try element(&self)) }
        return out
    }
}
