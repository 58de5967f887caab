public import LedgerModel
public import LedgerStore

extension Ledger {
    /// Appends `events` (of any streams) in their order, in batches of at most `chunk` events, each
    /// run of one stream's events as one `StreamAppend`.
    public func append(inOrder events: ArraySlice<StreamEvent>, chunk: Int = 500) async throws {
        var rest = events
        while !rest.isEmpty {
            let part = rest.prefix(chunk)
            rest = rest.dropFirst(part.count)
            var batch = [StreamAppend]()
            for item in part {
                if batch.last?.stream == item.stream {
                    batch[batch.count - 1].events.append(item.event)
                } else {
                    batch.append(StreamAppend(stream: item.stream, events: [item.event]))
                }
            }
            _ = try await append(batch)
        }
    }
}
