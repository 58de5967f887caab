import Foundation

extension StreamEvent {
    /// The envelope fields accepted in JSON input.
    public static let jsonFields: Set<String> = [
        "stream", "id", "type", "schemaVersion", "occurredAt", "sourceRecordedAt", "actor", "source", "correlationId", "causationId",
        "payload",
    ]

    /// Reads an event from its JSON form and checks it against ``EnvelopeRules``.
    ///
    /// `id` may be left out (a version 7 UUID is made), as may `payload` (`{}`) and `schemaVersion`
    /// (`defaultSchemaVersion(type)`: the catalog passes each type's current version), and
    /// `sourceRecordedAt` (the ledger is the first to record the fact).
    /// Any field not in ``jsonFields`` is refused, so that a misspelt field is never silently dropped.
    public init(json: JSONValue, defaultSchemaVersion: (String) -> UInt16 = { _ in 1 }) throws(EventInputError) {
        guard case .object(let fields) = json else {
            throw EventInputError(field: "", reason: "an event must be a JSON object, not \(json.typeName)")
        }
        for key in fields.keys.sorted() where !Self.jsonFields.contains(key) {
            throw EventInputError(
                field: key,
                reason: "is not an envelope field; the fields are \(Self.jsonFields.sorted().joined(separator: ", ")) (event data goes inside payload)"
            )
        }
        func string(_ key: String, required: Bool = true) throws(EventInputError) -> String? {
            guard let value = fields[key], value != .null else {
                if required { throw EventInputError(field: key, reason: "is required") }
                return nil
            }
            guard case .string(let text) = value else {
                throw EventInputError(field: key, reason: "must be a string, not \(value.typeName)")
            }
            return text
        }
        let stream = try string("stream")!
        let type = try string("type")!
        var id = UUID.version7()
        if let text = try string("id", required: false) {
            guard let parsed = UUID(uuidString: text) else {
                throw EventInputError(field: "id", reason: "\(MessageText.quoted(text)) is not a UUID such as 0190f5d2-8c3a-7b1e-9f00-2a4c6e8b0d12")
            }
            id = parsed
        }
        var schemaVersion = defaultSchemaVersion(type)
        if let value = fields["schemaVersion"], value != .null {
            guard case .integer(let number) = value, let version = UInt16(exactly: number), version >= 1 else {
                throw EventInputError(field: "schemaVersion", reason: "must be a whole number from 1 to 65535")
            }
            schemaVersion = version
        }
        func timestamp(_ key: String, required: Bool = true) throws(EventInputError) -> Timestamp? {
            guard let text = try string(key, required: required) else { return nil }
            do {
                return try Timestamp(rfc3339: text)
            } catch {
                throw EventInputError(field: key, reason: error.description)
            }
        }
        let occurredAt = try timestamp("occurredAt")!
        let sourceRecordedAt = try timestamp("sourceRecordedAt", required: false)
        let actor: Actor
        switch fields["actor"] {
        case .object(let actorFields):
            guard Set(actorFields.keys) == ["kind", "id"], case .string(let kindName)? = actorFields["kind"],
                case .string(let actorID)? = actorFields["id"]
            else {
                throw EventInputError(field: "actor", reason: "must be an object with exactly the string fields kind and id")
            }
            guard let kind = Actor.Kind(name: kindName) else {
                throw EventInputError(field: "actor.kind", reason: "must be one of person, tool, system; not \(MessageText.quoted(kindName))")
            }
            actor = Actor(kind: kind, id: actorID)
        case nil, .null?:
            throw EventInputError(field: "actor", reason: "is required, for example {\"kind\": \"person\", \"id\": \"jane@example.com\"}")
        case let other?:
            throw EventInputError(field: "actor", reason: "must be an object, not \(other.typeName)")
        }
        let source = try string("source")!
        let payload: Payload
        switch fields["payload"] {
        case nil, .null?: payload = .empty
        case .object(let members)?: payload = Payload(members)
        case let other?: throw EventInputError(field: "payload", reason: "must be a JSON object, not \(other.typeName)")
        }
        self.init(
            stream: stream,
            event: ProposedEvent(
                id: id, type: type, schemaVersion: schemaVersion, occurredAt: occurredAt, sourceRecordedAt: sourceRecordedAt,
                actor: actor, source: source,
                correlationID: try string("correlationId", required: false),
                causationID: try string("causationId", required: false), payload: payload))
        try EnvelopeRules.validate(self)
    }
}

extension RecordedEvent {
    /// The JSON form of a recorded event, as `log --json` prints it: one line of canonical JSON.
    public var jsonLine: [UInt8] {
        var out = [UInt8]()
        writeJSONLine(into: &out)
        return out
    }

    /// Appends ``jsonLine`` to `out`. Members are written directly in canonical (byte-sorted)
    /// order, each name with its punctuation as one constant, so nothing is parsed or sorted and
    /// the payload is copied as it is stored; exports print one line per event.
    public func writeJSONLine(into out: inout [UInt8]) {
        // Grow geometrically: `reserveCapacity` gives exactly what is asked, so asking for a little
        // more on every line of a long buffer would copy the whole buffer each time.
        let needed = out.count + 400 + payload.canonicalBytes.count
        if out.capacity < needed { out.reserveCapacity(max(needed, out.capacity * 2)) }
        func member(_ name: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        }
        func string(_ value: String) { JSONValue.writeString(value, into: &out) }
        func number(_ value: UInt64) {
            // Digits from the right into a small stack buffer, then copied in order.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
                var rest = value
                var start = 20
                repeat {
                    start -= 1
                    digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                } while rest > 0
                out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
            }
        }
        member(#"{"actor":{"id":"#)
        string(actor.id)
        member(#","kind":""#)
        out.append(contentsOf: actor.kind.name.utf8)
        member(#""}"#)
        if let causationID {
            member(#","causationId":"#)
            string(causationID)
        }
        if let correlationID {
            member(#","correlationId":"#)
            string(correlationID)
        }
        member(#","id":""#)
        id.writeLowercased(into: &out)
        member(#"","occurredAt":""#)
        occurredAt.writeRFC3339(into: &out)
        member(#"","payload":"#)
        out.append(contentsOf: payload.canonicalBytes)
        member(#","position":"#)
        number(position)
        member(#","previousHash":""#)
        previousHash.writeHex(into: &out)
        member(#"","recordedAt":""#)
        recordedAt.writeRFC3339(into: &out)
        member(#"","schemaVersion":"#)
        number(UInt64(schemaVersion))
        member(#","source":"#)
        string(source)
        if let sourceRecordedAt {
            member(#","sourceRecordedAt":""#)
            sourceRecordedAt.writeRFC3339(into: &out)
            out.append(UInt8(ascii: "\""))
        }
        member(#","stream":"#)
        string(stream)
        member(#","type":"#)
        string(type)
        member(#","version":"#)
        number(streamVersion)
        out.append(UInt8(ascii: "}"))
    }
}

extension StreamEvent {
    /// The event in the JSON form `incidents append` reads: one line of canonical JSON.
    public var jsonLine: String {
        var object: [String: JSONValue] = [
            "stream": .string(stream), "id": .string(event.id.lowercasedString), "type": .string(event.type),
            "schemaVersion": .integer(Int64(event.schemaVersion)), "occurredAt": .string(event.occurredAt.rfc3339),
            "actor": ["kind": .string(event.actor.kind.name), "id": .string(event.actor.id)], "source": .string(event.source),
        ]
        if let correlationID = event.correlationID { object["correlationId"] = .string(correlationID) }
        if let causationID = event.causationID { object["causationId"] = .string(causationID) }
        if let sourceRecordedAt = event.sourceRecordedAt { object["sourceRecordedAt"] = .string(sourceRecordedAt.rfc3339) }
        var out = JSONValue.object(object).canonicalBytes
        // The payload is already canonical: splice it in rather than parse it again.
        out.removeLast()
        out.append(contentsOf: #","payload":"#.utf8)
        out.append(contentsOf: event.payload.canonicalBytes)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
