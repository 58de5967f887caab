public import LedgerModel

/// A compact byte form for projection states read in bulk (``StoredProjection/encode(_:)``): little-endian integers, length-prefixed
/// UTF-8, enums as their index in `allCases`. The format is the projection's own; changing it (or
/// an enum's cases) means bumping the projection's version, which rebuilds it.
///
/// A state type describes its bytes once, as a function over `inout some StateCoder` and the state:
/// ``StateWriter`` writes each value it is handed, ``StateReader`` replaces it with the value read.
/// So the two directions cannot drift apart.
public protocol StateCoder {
    /// Never for writing; ``StateBytesError`` for reading.
    associatedtype Failure: Error

    /// Whether the coder replaces the values it is handed (reading) rather than takes them (writing).
    static var isReading: Bool { get }

    /// A format's version byte: written, or read and checked.
    mutating func version(_ value: UInt8) throws(Failure)
    mutating func int(_ value: inout Int64) throws(Failure)
    /// A non-negative number, such as a count or an index.
    mutating func count(_ value: inout Int) throws(Failure)
    mutating func optional(_ value: inout Int64?) throws(Failure)
    mutating func bool(_ value: inout Bool) throws(Failure)
    mutating func timestamp(_ value: inout Timestamp) throws(Failure)
    mutating func optional(_ value: inout Timestamp?) throws(Failure)
    mutating func string(_ value: inout String) throws(Failure)
    mutating func optional(_ value: inout String?) throws(Failure)
    mutating func strings(_ values: inout [String]) throws(Failure)
    mutating func enumeration<E: CaseIterable & Equatable>(_ value: inout E) throws(Failure)
    mutating func optional<E: CaseIterable & Equatable>(_ value: inout E?) throws(Failure)
    /// Refuses the bytes read unless `condition` holds (a value within a table read earlier, say);
    /// what is written holds it by construction.
    mutating func check(_ condition: Bool) throws(Failure)
}

extension StateCoder {
    /// The count, then each element coded by `element`; a read element starts as `blank`.
    ///
    /// Not a requirement: each coder's own version would need a witness thunk for a closure that
    /// throws `Never`, which crashes the Swift 6.3 compiler. Inlinable, so that it is specialised
    /// for each coder where a state is described.
    @inlinable
    public mutating func array<T>(_ values: inout [T], blank: T, _ element: (inout Self, inout T) throws(Failure) -> Void) throws(Failure) {
        var count = values.count
        try self.count(&count)
        if Self.isReading {
            var read = [T]()
            read.reserveCapacity(count)
            for _ in 0..<count {
                var value = blank
                try element(&self, &value)
                read.append(value)
            }
            values = read
        } else {
            // Each element is coded from a copy: `values` is the state's own array, never written to.
            for value in values {
                var value = value
                try element(&self, &value)
            }
        }
    }
}

/// Writes a state's description as bytes.
public struct StateWriter: StateCoder {
    public typealias Failure = Never
    public static var isReading: Bool { false }

    public var bytes = [UInt8]()

    public init() {}

    private mutating func put(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    private mutating func put(_ value: String) {
        put(Int64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    public mutating func version(_ value: UInt8) { bytes.append(value) }
    public mutating func int(_ value: inout Int64) { put(value) }
    public mutating func count(_ value: inout Int) { put(Int64(value)) }
    public mutating func optional(_ value: inout Int64?) {
        if let value {
            bytes.append(1)
            put(value)
        } else {
            bytes.append(0)
        }
    }
    public mutating func bool(_ value: inout Bool) { bytes.append(value ? 1 : 0) }
    public mutating func timestamp(_ value: inout Timestamp) { put(value.microsecondsSinceEpoch) }
    public mutating func optional(_ value: inout Timestamp?) {
        var micros = value?.microsecondsSinceEpoch
        optional(&micros)
    }
    public mutating func string(_ value: inout String) { put(value) }
    public mutating func optional(_ value: inout String?) {
        bytes.append(value == nil ? 0 : 1)
        if let value { put(value) }
    }
    public mutating func strings(_ values: inout [String]) {
        put(Int64(values.count))
        for value in values { put(value) }
    }
    /// Inlinable so that it is specialised for each enum where it is used: specialised, the
    /// synthesised `allCases` is a constant array; generic, it is built on every call.
    @inlinable
    public mutating func enumeration<E: CaseIterable & Equatable>(_ value: inout E) { put(value) }
    @inlinable
    public mutating func optional<E: CaseIterable & Equatable>(_ value: inout E?) {
        if let value {
            bytes.append(1)
            put(value)
        } else {
            bytes.append(0)
        }
    }
    @inlinable
    mutating func put<E: CaseIterable & Equatable>(_ value: E) {
        // `allCases` builds its collection on every call: take it once.
        let cases = E.allCases
        bytes.append(UInt8(cases.distance(from: cases.startIndex, to: cases.firstIndex(of: value)!)))
    }
    public mutating func check(_ condition: Bool) {}
}

/// The bytes were not written by ``StateWriter`` for this version.
public struct StateBytesError: Error, CustomStringConvertible {
    public init() {}

    public var description: String { "a stored projection state is damaged; `incidents projections rebuild` makes it again" }
}

/// Reads a state's description from bytes, refusing bytes it does not fit.
public struct StateReader: StateCoder {
    public typealias Failure = StateBytesError
    public static var isReading: Bool { true }

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
    private mutating func int() throws(StateBytesError) -> Int64 { Int64(littleEndian: try take(8).loadUnaligned(as: Int64.self)) }
    private mutating func count() throws(StateBytesError) -> Int {
        let value = try int()
        guard value >= 0, value <= bytes.count else { throw StateBytesError() }
        return Int(value)
    }
    private mutating func string() throws(StateBytesError) -> String { String(decoding: try take(try count()), as: UTF8.self) }

    public mutating func version(_ value: UInt8) throws(StateBytesError) {
        guard try byte() == value else { throw StateBytesError() }
    }
    public mutating func int(_ value: inout Int64) throws(StateBytesError) { value = try int() }
    public mutating func count(_ value: inout Int) throws(StateBytesError) { value = try count() }
    public mutating func optional(_ value: inout Int64?) throws(StateBytesError) { value = try byte() == 0 ? nil : try int() }
    public mutating func bool(_ value: inout Bool) throws(StateBytesError) { value = try byte() != 0 }
    public mutating func timestamp(_ value: inout Timestamp) throws(StateBytesError) { value = Timestamp(microsecondsSinceEpoch: try int()) }
    public mutating func optional(_ value: inout Timestamp?) throws(StateBytesError) {
        value = try byte() == 0 ? nil : Timestamp(microsecondsSinceEpoch: try int())
    }
    public mutating func string(_ value: inout String) throws(StateBytesError) { value = try string() }
    public mutating func optional(_ value: inout String?) throws(StateBytesError) { value = try byte() == 0 ? nil : try string() }
    public mutating func strings(_ values: inout [String]) throws(StateBytesError) {
        let n = try count()
        var out = [String]()
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        values = out
    }
    /// Inlinable for the same reason as ``StateWriter/enumeration(_:)``.
    @inlinable
    public mutating func enumeration<E: CaseIterable & Equatable>(_ value: inout E) throws(StateBytesError) { value = try take() }
    @inlinable
    public mutating func optional<E: CaseIterable & Equatable>(_ value: inout E?) throws(StateBytesError) {
        value = try byte() == 0 ? nil : try take()
    }
    @inlinable
    mutating func take<E: CaseIterable>() throws(StateBytesError) -> E {
        let index = Int(try byte())
        // `allCases` builds its collection on every call: take it once.
        let cases = E.allCases
        guard index < cases.count else { throw StateBytesError() }
        return cases[cases.index(cases.startIndex, offsetBy: index)]
    }
    public mutating func check(_ condition: Bool) throws(StateBytesError) {
        guard condition else { throw StateBytesError() }
    }
}
