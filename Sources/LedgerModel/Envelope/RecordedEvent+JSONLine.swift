import Foundation

extension RecordedEvent {
    /// The members a `log --json` line may have.
    static let jsonLineFields = StreamEvent.jsonFields.union(["position", "version", "recordedAt", "previousHash"])

    /// Reads one line of `log --json` back into the event it was printed from.
    ///
    /// Strict, for auditors: every member must be present with its type (`correlationId` and
    /// `causationId` only when set), nothing else may be, and the line must be exactly the canonical
    /// line the ledger prints for that event — so a changed byte anywhere, even white space, is
    /// refused rather than read past. The record bytes and hash then follow from
    /// `RecordCodec.encode`.
    public init(jsonLine line: [UInt8]) throws(EventInputError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw EventInputError(field: "", reason: "\(error)")
        }
        guard case .object(let fields) = value else {
            throw EventInputError(field: "", reason: "a line must be a JSON object, not \(value.typeName)")
        }
        if let unknown = fields.keys.sorted().first(where: { !Self.jsonLineFields.contains($0) }) {
            throw EventInputError(field: unknown, reason: "is not a field of an exported event")
        }
        func string(_ key: String, required: Bool = true) throws(EventInputError) -> String? {
            guard let member = fields[key] else {
                if required { throw EventInputError(field: key, reason: "is missing") }
                return nil
            }
            guard case .string(let text) = member else { throw EventInputError(field: key, reason: "must be a string") }
            return text
        }
        func integer(_ key: String) throws(EventInputError) -> Int64 {
            guard case .integer(let number)? = fields[key], number >= 0 else {
                throw EventInputError(field: key, reason: "must be a whole number")
            }
            return number
        }
        func timestamp(_ key: String) throws(EventInputError) -> Timestamp {
            do {
                return try Timestamp(rfc3339: try string(key)!)
            } catch let error as EventInputError {
                throw error
            } catch {
                throw EventInputError(field: key, reason: "\(error)")
            }
        }
        guard let id = UUID(uuidString: try string("id")!) else { throw EventInputError(field: "id", reason: "is not a UUID") }
        guard let previousHash = Hash256(hex: try string("previousHash")!) else {
            throw EventInputError(field: "previousHash", reason: "is not 64 hexadecimal digits")
        }
        guard let schemaVersion = UInt16(exactly: try integer("schemaVersion")) else {
            throw EventInputError(field: "schemaVersion", reason: "must be from 1 to 65535")
        }
        guard case .object(let actorFields)? = fields["actor"], case .string(let kindName)? = actorFields["kind"],
            case .string(let actorID)? = actorFields["id"], actorFields.count == 2, let kind = Actor.Kind(name: kindName)
        else {
            throw EventInputError(field: "actor", reason: "must be {\"id\": …, \"kind\": \"person\" | \"tool\" | \"system\"}")
        }
        guard case .object(let members)? = fields["payload"] else {
            throw EventInputError(field: "payload", reason: "must be a JSON object")
        }
        self.init(
            position: UInt64(try integer("position")), stream: try string("stream")!,
            streamVersion: UInt64(try integer("version")), id: id, type: try string("type")!, schemaVersion: schemaVersion,
            occurredAt: try timestamp("occurredAt"), recordedAt: try timestamp("recordedAt"),
            actor: Actor(kind: kind, id: actorID), source: try string("source")!,
            correlationID: try string("correlationId", required: false), causationID: try string("causationId", required: false),
            payload: Payload(members), previousHash: previousHash)
        guard jsonLine == line else {
            throw EventInputError(field: "", reason: "the line is not in the exact canonical form `incidents log --json` prints")
        }
    }
}
