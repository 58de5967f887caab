import Foundation

extension RecordedEvent {
    /// The members a `log --json` line has, in canonical (byte) order; the two ids and
    /// `sourceRecordedAt` only when set.
    enum JSONLineField: Int, CaseIterable {
        case actor, causationId, correlationId, id, occurredAt, payload, position, previousHash, recordedAt, schemaVersion,
            source, sourceRecordedAt, stream, type, version

        var name: String { Self.names[rawValue] }
        var isOptional: Bool { self == .causationId || self == .correlationId || self == .sourceRecordedAt }
        static let names = allCases.map { String(describing: $0) }
        /// The names as bytes, to match member names without making strings.
        static let nameBytes: [[UInt8]] = names.map { Array($0.utf8) }
    }

    /// Reads one line of `log --json` back into the event it was printed from.
    ///
    /// Strict, for auditors: every member must be present with its type (`correlationId`,
    /// `causationId` and `sourceRecordedAt` only when set), nothing else may be, and the line must be exactly the canonical
    /// line the ledger prints for that event — so a changed byte anywhere, even white space, is
    /// refused rather than read past. The record bytes and hash then follow from
    /// `RecordCodec.encode`.
    ///
    /// The line is read in place (``CanonicalObject``) and checked for the exact form without
    /// being printed again: canonical JSON throughout (the payload is then taken verbatim), every
    /// member present, and the ids, hash and times in the one spelling ``jsonLine`` gives them.
    public init(jsonLine line: [UInt8]) throws(EventInputError) {
        self = try line.withUnsafeBufferPointer { (text) throws(EventInputError) in try RecordedEvent(jsonLine: text) }
    }

    static let notTheExactForm = "the line is not in the exact canonical form `incidents log --json` prints"

    private init(jsonLine text: UnsafeBufferPointer<UInt8>) throws(EventInputError) {
        func parsing<T>(_ field: String, _ read: () throws(JSONParseError) -> T) throws(EventInputError) -> T {
            do {
                return try read()
            } catch {
                throw EventInputError(field: field, reason: "\(error)")
            }
        }
        guard text.first == UInt8(ascii: "{") else {
            throw EventInputError(field: "", reason: "a line must be a JSON object")
        }
        let object: CanonicalObject
        do {
            object = try CanonicalObject(wholeText: text)
        } catch {
            throw EventInputError(field: "", reason: "\(Self.notTheExactForm) (\(error))")
        }
        // Members come in canonical order: walk them beside the expected list.
        let fields = JSONLineField.allCases
        var values = [CanonicalValue?](repeating: nil, count: fields.count)
        var next = 0
        for (index, member) in object.members.enumerated() {
            let name = UnsafeBufferPointer(rebasing: text[Int(member.keyStart)..<Int(member.keyEnd)])
            guard let place = (next..<fields.count).first(where: { JSONLineField.nameBytes[$0].elementsEqual(name) }) else {
                throw EventInputError(field: object.name(at: index), reason: "is not a field of an exported event")
            }
            if let missing = fields[next..<place].first(where: { !$0.isOptional }) {
                throw EventInputError(field: missing.name, reason: "is missing")
            }
            values[place] = member.value
            next = place + 1
        }
        if let missing = fields[next...].first(where: { !$0.isOptional }) {
            throw EventInputError(field: missing.name, reason: "is missing")
        }
        for value in values {
            do throws(JSONParseError) {
                try value?.checkCanonical()
            } catch {
                throw EventInputError(field: "", reason: "\(Self.notTheExactForm) (\(error))")
            }
        }
        func string(_ field: JSONLineField) throws(EventInputError) -> String? {
            guard let value = values[field.rawValue] else { return nil }
            guard let text = try parsing(field.name, { () throws(JSONParseError) in try value.string() }) else {
                throw EventInputError(field: field.name, reason: "must be a string")
            }
            return text
        }
        func raw(_ field: JSONLineField) throws(EventInputError) -> UnsafeBufferPointer<UInt8> {
            let value = values[field.rawValue]!
            guard value.kind == .string else { throw EventInputError(field: field.name, reason: "must be a string") }
            return UnsafeBufferPointer(rebasing: value.text[(value.start + 1)..<(value.end - 1)])
        }
        func integer(_ field: JSONLineField) throws(EventInputError) -> Int64 {
            guard let number = values[field.rawValue]!.integer(), number >= 0 else {
                throw EventInputError(field: field.name, reason: "must be a whole number")
            }
            return number
        }
        func timestamp(_ field: JSONLineField) throws(EventInputError) -> Timestamp? {
            guard values[field.rawValue] != nil else { return nil }
            let text = try raw(field)
            do {
                return try Timestamp(rfc3339: text)
            } catch {
                throw EventInputError(field: field.name, reason: "\(error)")
            }
        }
        guard let id = UUID(text: try raw(.id)) else { throw EventInputError(field: "id", reason: "is not a UUID") }
        guard let previousHash = Hash256(hex: try raw(.previousHash)) else {
            throw EventInputError(field: "previousHash", reason: "is not 64 hexadecimal digits")
        }
        guard let schemaVersion = UInt16(exactly: try integer(.schemaVersion)) else {
            throw EventInputError(field: "schemaVersion", reason: "must be from 1 to 65535")
        }
        let actorShape = "must be {\"id\": …, \"kind\": \"person\" | \"tool\" | \"system\"}"
        guard let actorFields = try parsing("actor", { () throws(JSONParseError) in try values[JSONLineField.actor.rawValue]!.object() }),
            actorFields.members.count == 2, actorFields.name(at: 0) == "id", actorFields.name(at: 1) == "kind",
            let actorID = try parsing("actor", { () throws(JSONParseError) in try actorFields.members[0].value.string() }),
            let kindName = try parsing("actor", { () throws(JSONParseError) in try actorFields.members[1].value.string() }),
            let kind = Actor.Kind(name: kindName)
        else {
            throw EventInputError(field: "actor", reason: actorShape)
        }
        let payload = values[JSONLineField.payload.rawValue]!
        guard payload.kind == .object else { throw EventInputError(field: "payload", reason: "must be a JSON object") }
        self.init(
            position: UInt64(try integer(.position)), stream: try string(.stream)!,
            streamVersion: UInt64(try integer(.version)), id: id, type: try string(.type)!, schemaVersion: schemaVersion,
            occurredAt: try timestamp(.occurredAt)!, recordedAt: try timestamp(.recordedAt)!,
            sourceRecordedAt: try timestamp(.sourceRecordedAt), actor: Actor(kind: kind, id: actorID), source: try string(.source)!,
            correlationID: try string(.correlationId), causationID: try string(.causationId),
            payload: Payload(uncheckedCanonicalBytes: Array(payload.bytes)), previousHash: previousHash)
        // The one spelling the ledger prints: ids and hash in lower case, times in UTC.
        func spelled(_ field: JSONLineField, _ printed: String) throws(EventInputError) {
            var printed = printed
            let written = try raw(field)
            guard printed.withUTF8({ $0.elementsEqual(written) }) else {
                throw EventInputError(field: field.name, reason: "\(Self.notTheExactForm) (written \(printed) there)")
            }
        }
        try spelled(.id, id.lowercasedString)
        try spelled(.previousHash, previousHash.hex)
        try spelled(.occurredAt, occurredAt.rfc3339)
        try spelled(.recordedAt, recordedAt.rfc3339)
        if let sourceRecordedAt { try spelled(.sourceRecordedAt, sourceRecordedAt.rfc3339) }
    }
}
