import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The last checkpoint the key signed, kept beside the key in `checkpoint.last`.
///
/// The ledger also records its last signed tree head inside `data.mdb`, but an older copy of
/// `data.mdb` put back from a backup carries its own older record. This file lives outside the
/// ledger's files, so signing after such a restore sees that the log is smaller (or different) than
/// what was signed, and refuses. It holds the signed note itself, so it cannot be edited unseen:
/// it is checked with the key before it is believed.
extension CheckpointKeyFiles {
    public var lastCheckpointPath: String { directory + "/checkpoint.last" }

    /// The last checkpoint signed with `key`, or nil when none was remembered yet (a key made, or
    /// a ledger signed, before checkpoints were remembered: remembering starts with the next one).
    public func lastCheckpoint(verifiedWith key: CheckpointVerifierKey) throws(AuditError) -> SignedCheckpoint? {
        guard let data = FileManager.default.contents(atPath: lastCheckpointPath) else {
            guard !FileManager.default.fileExists(atPath: lastCheckpointPath) else {
                throw AuditError(.invalidInput, "cannot read \(lastCheckpointPath), the last checkpoint signed — make it readable")
            }
            return nil
        }
        do {
            let signed = try SignedCheckpoint(text: String(decoding: data, as: UTF8.self))
            try signed.verify(with: key)
            return signed
        } catch {
            throw AuditError(
                .verificationFailed,
                "\(lastCheckpointPath), the last checkpoint signed, is damaged or not of this key (\(error.message)) — put back a copy of it, or of a checkpoint the ledger handed out, before signing again")
        }
    }

    /// Replaces the last checkpoint signed: synced before it returns, so a checkpoint is only
    /// handed out once it is remembered.
    func remember(_ signed: SignedCheckpoint) throws(AuditError) {
        try Self.writeAtomically(signed.text, to: lastCheckpointPath, mode: 0o644, replacing: true)
    }

    /// Runs `body` holding an exclusive lock on the key directory, so two signers one after the
    /// other each see the checkpoint the other remembered.
    func withSigningLock<Result>(_ body: () throws -> Result) throws -> Result {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw AuditError(.missingKey, "cannot open the key directory \(directory): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw AuditError(.invalidInput, "cannot lock the key directory \(directory): \(String(cString: strerror(errno)))")
            }
        }
        return try body()
    }
}
