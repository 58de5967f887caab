public import LedgerStore

/// The behaviour every ``ProjectionStore`` must show, as a check any store's tests run on a new,
/// empty store; it throws ``EventStoreConformance/ConformanceFailure`` at the first expectation not met.
public enum ProjectionStoreConformance {
    /// States and checkpoint commit together; a commit from a moved checkpoint writes nothing; a reset drops every state.
    public static func statesAndCheckpointCommitTogether(_ store: any ProjectionStore) async throws {
        try require(try await store.checkpoint(ofProjection: "p") == nil, "a new store has a checkpoint")
        let one = ProjectionCheckpoint(version: 1, position: 5)
        try await store.commit(projection: "p", states: ["a": [1], "b": [2]], checkpoint: one, expecting: nil, reset: false)
        try require(try await store.checkpoint(ofProjection: "p") == one, "the first checkpoint")
        try require(try await store.states(ofProjection: "p", keys: ["a", "b", "c"]) == ["a": [1], "b": [2]], "the first states")
        // A commit from a checkpoint that has moved on writes nothing.
        do {
            try await store.commit(projection: "p", states: ["a": [9]], checkpoint: one, expecting: nil, reset: false)
            try require(false, "a commit from a moved checkpoint succeeded")
        } catch let error as LedgerError {
            try require(error.code == .wrongExpectedVersion, "a commit from a moved checkpoint: \(error.code)")
        }
        try require(try await store.states(ofProjection: "p", keys: ["a"]) == ["a": [1]], "a refused commit wrote a state")
        let two = ProjectionCheckpoint(version: 1, position: 9)
        try await store.commit(projection: "p", states: ["c": [3]], checkpoint: two, expecting: nil, reset: true)
        try require(try await store.checkpoint(ofProjection: "p") == two, "the checkpoint after a reset")
        try require(try await store.states(ofProjection: "p", keys: ["a", "b", "c"]) == ["c": [3]], "the states after a reset")
        // Another projection's states are its own.
        try require(try await store.states(ofProjection: "q", keys: ["c"]).isEmpty, "another projection sees these states")
    }

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        try EventStoreConformance.require(condition, message())
    }
}
