/// A compact byte form for projection states read in bulk: little-endian integers, length-prefixed
/// UTF-8, enums as their index in `allCases`. The format is the projection's own; changing it (or
/// an enum's cases) means bumping the projection's version, which rebuilds it.
struct FactsWriter {
    var bytes = [UInt8]()

    mutating func int(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    mutating func count(_ value: Int) { int(Int64(value)) }
    mutating func optional(_ value: Int64?) {
        if let value {
            bytes.append(1)
            int(value)
        } else {
            bytes.append(0)
        }
    }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    mutating func string(_ value: String) {
        count(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }
    mutating func optional(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }
    mutating func strings(_ values: [String]) {
        count(values.count)
        for value in values { string(value) }
    }
    mutating func enumeration<E: CaseIterable & Equatable>(_ value: E) {
        bytes.append(UInt8(E.allCases.firstIndex(of: value).map { E.allCases.distance(from: E.allCases.startIndex, to: $0) }!))
    }
    mutating func optional<E: CaseIterable & Equatable>(_ value: E?) {
        if let value {
            bytes.append(1)
            enumeration(value)
        } else {
            bytes.append(0)
        }
    }
}

/// The bytes were not written by ``FactsWriter`` for this version.
struct FactsCodingError: Error, CustomStringConvertible {
    var description: String { "a stored projection state is damaged; `incidents projections rebuild` makes it again" }
}

struct FactsReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func take(_ length: Int) throws(FactsCodingError) -> UnsafeRawBufferPointer {
        guard length >= 0, offset + length <= bytes.count else { throw FactsCodingError() }
        defer { offset += length }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
    }
    mutating func byte() throws(FactsCodingError) -> UInt8 { try take(1)[0] }
    mutating func int() throws(FactsCodingError) -> Int64 { Int64(littleEndian: try take(8).loadUnaligned(as: Int64.self)) }
    mutating func count() throws(FactsCodingError) -> Int {
        let value = try int()
        guard value >= 0, value <= bytes.count else { throw FactsCodingError() }
        return Int(value)
    }
    mutating func optionalInt() throws(FactsCodingError) -> Int64? { try byte() == 0 ? nil : try int() }
    mutating func bool() throws(FactsCodingError) -> Bool { try byte() != 0 }
    mutating func string() throws(FactsCodingError) -> String { String(decoding: try take(try count()), as: UTF8.self) }
    mutating func optionalString() throws(FactsCodingError) -> String? { try bool() ? try string() : nil }
    mutating func strings() throws(FactsCodingError) -> [String] {
        let n = try count()
        var out = [String]()
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }
    mutating func enumeration<E: CaseIterable>(_: E.Type) throws(FactsCodingError) -> E {
        let index = Int(try byte())
        guard index < E.allCases.count else { throw FactsCodingError() }
        return E.allCases[E.allCases.index(E.allCases.startIndex, offsetBy: index)]
    }
    mutating func optional<E: CaseIterable>(_: E.Type) throws(FactsCodingError) -> E? { try byte() == 0 ? nil : try enumeration(E.self) }
    /// `n` elements read by `element`.
    mutating func array<T>(_ element: (inout FactsReader) throws(FactsCodingError) -> T) throws(FactsCodingError) -> [T] {
        let n = try count()
        var out = [T]()
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try element(&self)) }
        return out
    }
}
