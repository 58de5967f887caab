import Foundation

extension StreamEvent {
    /// The envelope fields accepted in JSON input.
    public static let jsonFields: Set<String> = [
        "stream", "id", "type", "schemaVersion", "occurredAt", "actor", "source", "correlationId", "causationId", "payload",
    ]

    /// Reads an event from its JSON form and checks it against ``EnvelopeRules``.
    ///
    /// `id` may be left out (a version 7 UUID is made), as may `payload` (`{}`) and `schemaVersion`
    /// (`defaultSchemaVersion(type)`: the catalog passes each type's current version).
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
                throw EventInputError(field: "id", reason: "'\(text)' is not a UUID such as 0190f5d2-8c3a-7b1e-9f00-2a4c6e8b0d12")
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
        let occurredText = try string("occurredAt")!
        let occurredAt: Timestamp
        do {
            occurredAt = try Timestamp(rfc3339: occurredText)
        } catch {
            throw EventInputError(field: "occurredAt", reason: error.description)
        }
        let actor: Actor
        switch fields["actor"] {
        case .object(let actorFields):
            guard Set(actorFields.keys) == ["kind", "id"], case .string(let kindName)? = actorFields["kind"],
                case .string(let actorID)? = actorFields["id"]
            else {
                throw EventInputError(field: "actor", reason: "must be an object with exactly the string fields kind and id")
            }
            guard let kind = Actor.Kind(name: kindName) else {
                throw EventInputError(field: "actor.kind", reason: "must be one of person, tool, system; not '\(kindName)'")
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
                id: id, type: type, schemaVersion: schemaVersion, occurredAt: occurredAt, actor: actor, source: source,
                correlationID: try string("correlationId", required: false),
                causationID: try string("causationId", required: false), payload: payload))
        try EnvelopeRules.validate(self)
    }
}

extension RecordedEvent {
    /// The JSON form of a recorded event, as `log --json` prints it: one line of canonical JSON.
    public var jsonLine: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(256 + payload.canonicalBytes.count)
        // Members in canonical (byte-sorted) order, written directly so the payload is not parsed again.
        func key(_ name: String) {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            JSONValue.writeString(name, into: &out)
            out.append(UInt8(ascii: ":"))
        }
        out.append(UInt8(ascii: "{"))
        key("actor")
        JSONValue.object(["id": .string(actor.id), "kind": .string(actor.kind.name)]).writeCanonical(into: &out)
        if let causationID {
            key("causationId")
            JSONValue.writeString(causationID, into: &out)
        }
        if let correlationID {
            key("correlationId")
            JSONValue.writeString(correlationID, into: &out)
        }
        key("id")
        JSONValue.writeString(id.lowercasedString, into: &out)
        key("occurredAt")
        JSONValue.writeString(occurredAt.rfc3339, into: &out)
        key("payload")
        out.append(contentsOf: payload.canonicalBytes)
        key("position")
        out.append(contentsOf: String(position).utf8)
        key("previousHash")
        JSONValue.writeString(previousHash.hex, into: &out)
        key("recordedAt")
        JSONValue.writeString(recordedAt.rfc3339, into: &out)
        key("schemaVersion")
        out.append(contentsOf: String(schemaVersion).utf8)
        key("source")
        JSONValue.writeString(source, into: &out)
        key("stream")
        JSONValue.writeString(stream, into: &out)
        key("type")
        JSONValue.writeString(type, into: &out)
        key("version")
        out.append(contentsOf: String(streamVersion).utf8)
        out.append(UInt8(ascii: "}"))
        return out
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
        var out = JSONValue.object(object).canonicalBytes
        // The payload is already canonical: splice it in rather than parse it again.
        out.removeLast()
        out.append(contentsOf: #","payload":"#.utf8)
        out.append(contentsOf: event.payload.canonicalBytes)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
