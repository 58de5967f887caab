import Foundation

extension EnvelopeRules {
    /// An id as the ledger compares it: in Unicode Normalization Form C, so that `atención` typed
    /// with a precomposed `ó` or with `o` and a combining accent names the same incident. Lookups
    /// (an incident named on the command line, an `--incident` filter) go through this.
    public static func normalized(_ id: String) -> String {
        // ASCII is its own NFC form, and nearly every id is ASCII.
        guard id.utf8.contains(where: { $0 >= 0x80 }) else { return id }
        return id.precomposedStringWithCanonicalMapping
    }

    /// A new event with every text it carries in NFC: its stream, actor, source, correlation and
    /// causation ids, and every string (and member name) of its payload, which re-canonicalises.
    ///
    /// Applied before an event is recorded, never to recorded ones: what is stored and hashed stays
    /// exactly the bytes first written.
    public static func normalized(_ item: StreamEvent) -> StreamEvent {
        var event = item.event
        event.actor.id = normalized(event.actor.id)
        event.source = normalized(event.source)
        event.correlationID = event.correlationID.map(normalized)
        event.causationID = event.causationID.map(normalized)
        event.payload = normalized(event.payload)
        return StreamEvent(stream: normalized(item.stream), event: event)
    }

    /// The payload with every string in NFC; the very same bytes when none changed.
    static func normalized(_ payload: Payload) -> Payload {
        guard payload.canonicalBytes.contains(where: { $0 >= 0x80 }),
              case .object(let members)? = try? payload.decoded() else { return payload }
        var changed = false
        let result = normalized(members, &changed)
        return changed ? Payload(result) : payload
    }

    private static func normalized(_ members: [String: JSONValue], _ changed: inout Bool) -> [String: JSONValue] {
        var out = [String: JSONValue](minimumCapacity: members.count)
        for (key, value) in members { out[normalized(key, &changed)] = normalized(value, &changed) }
        return out
    }

    private static func normalized(_ value: JSONValue, _ changed: inout Bool) -> JSONValue {
        switch value {
        case .string(let text): return .string(normalized(text, &changed))
        case .array(let items): return .array(items.map { normalized($0, &changed) })
        case .object(let members): return .object(normalized(members, &changed))
        case .null, .bool, .integer, .number: return value
        }
    }

    /// Compared as bytes: Swift's `==` on strings already treats the two forms as equal.
    private static func normalized(_ text: String, _ changed: inout Bool) -> String {
        let result = normalized(text)
        if !result.utf8.elementsEqual(text.utf8) { changed = true }
        return result
    }
}
