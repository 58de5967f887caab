import Crypto
public import Foundation
import LedgerModel
public import LedgerStore

/// A checkpoint: the ledger's name (origin), a tree size and the root hash of the first that many
/// events, in the text form of a C2SP transparency-log checkpoint (see docs/audit.md):
///
///     incident-ledger/0190f5d2-8c3a-7b1e-9f00-2a4c6e8b0d12
///     1042
///     q1Yw…base64 of the 32-byte root…=
///
public struct Checkpoint: Sendable, Hashable {
    public var origin: String
    public var treeHead: TreeHead

    public init(origin: String, treeHead: TreeHead) {
        self.origin = origin
        self.treeHead = treeHead
    }

    /// The origin line of a ledger: its stable, unique name.
    public static func origin(ledgerID: UUID) -> String {
        "incident-ledger/\(ledgerID.uuidString.lowercased())"
    }

    /// The signed text: three lines, each ending in a newline.
    public var body: String {
        let root = treeHead.root.withUnsafeBytes { Data($0).base64EncodedString() }
        return "\(origin)\n\(treeHead.size)\n\(root)\n"
    }

    /// Reads the three lines of a checkpoint body.
    public init(body: Substring) throws(AuditError) {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 4, lines[3].isEmpty, !lines[0].isEmpty else {
            throw AuditError(.invalidInput, "a checkpoint body is three lines: origin, tree size, base64 root hash")
        }
        guard let size = UInt64(lines[1]), String(size) == lines[1] else {
            throw AuditError(.invalidInput, "the checkpoint's tree size \(MessageText.quoted(lines[1])) is not a whole number in plain decimal")
        }
        guard let raw = Data(base64Encoded: String(lines[2])), raw.count == 32, raw.base64EncodedString() == lines[2] else {
            throw AuditError(.invalidInput, "the checkpoint's root hash is not 32 bytes in standard base64")
        }
        origin = String(lines[0])
        treeHead = TreeHead(size: size, root: raw.withUnsafeBytes { Hash256(bytes: $0) })
    }
}

/// A checkpoint with its signature lines: a signed note (C2SP signed-note format).
///
/// The text is the body, a blank line, then one line per signature: an em dash, a space, the key
/// name, a space, and base64 of the key id (4 bytes) followed by the Ed25519 signature (64 bytes)
/// of the body's bytes.
public struct SignedCheckpoint: Sendable, Hashable {
    public struct Signature: Sendable, Hashable {
        public var keyName: String
        public var keyID: [UInt8]
        public var signature: [UInt8]
    }

    public var checkpoint: Checkpoint
    public var signatures: [Signature]

    /// Signs `checkpoint` with `key`.
    public init(signing checkpoint: Checkpoint, with key: CheckpointSigningKey) throws(AuditError) {
        self.checkpoint = checkpoint
        let signature: Data
        do {
            signature = try key.privateKey.signature(for: Data(checkpoint.body.utf8))
        } catch {
            throw AuditError(.missingKey, "cannot sign with the checkpoint key: \(error)")
        }
        signatures = [Signature(keyName: key.verifier.name, keyID: key.verifier.keyID, signature: Array(signature))]
    }

    /// The note text, as written to checkpoint files.
    public var text: String {
        var text = checkpoint.body + "\n"
        for signature in signatures {
            text += "\u{2014} \(signature.keyName) \(Data(signature.keyID + signature.signature).base64EncodedString())\n"
        }
        return text
    }

    /// Reads a signed checkpoint's text. The signature is not checked here; see ``verify(with:)``.
    public init(text: String) throws(AuditError) {
        guard let split = text.range(of: "\n\n") else {
            throw AuditError(.invalidInput, "a signed checkpoint is a body, a blank line, then signature lines; this has no blank line")
        }
        checkpoint = try Checkpoint(body: text[..<text.index(after: split.lowerBound)])
        var signatures = [Signature]()
        for line in text[split.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "\u{2014}", let raw = Data(base64Encoded: String(parts[2])), raw.count == 68 else {
                throw AuditError(.invalidInput, "a checkpoint signature line is '\u{2014} NAME BASE64' with 4 key-id bytes and a 64-byte Ed25519 signature")
            }
            signatures.append(Signature(keyName: String(parts[1]), keyID: Array(raw.prefix(4)), signature: Array(raw.dropFirst(4))))
        }
        guard !signatures.isEmpty else { throw AuditError(.invalidInput, "the checkpoint carries no signature") }
        guard text.hasSuffix("\n") else { throw AuditError(.invalidInput, "the checkpoint's last line is cut short") }
        self.signatures = signatures
    }

    /// Reads a signed checkpoint file.
    public init(contentsOf path: String) throws(AuditError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError(.invalidInput, "cannot read the checkpoint file \(path)")
        }
        do {
            try self.init(text: String(decoding: data, as: UTF8.self))
        } catch {
            throw AuditError(error.code, "\(path): \(error.message)")
        }
    }

    /// Checks that `key` signed this checkpoint, for the ledger the key names.
    public func verify(with key: CheckpointVerifierKey) throws(AuditError) {
        guard checkpoint.origin == key.name else {
            throw AuditError.failed("the checkpoint is of the log \(MessageText.quoted(checkpoint.origin)) but the key is for \(MessageText.quoted(key.name))")
        }
        let candidates = signatures.filter { $0.keyName == key.name && $0.keyID == key.keyID }
        guard !candidates.isEmpty else {
            throw AuditError.failed("the checkpoint is not signed by the given key (key id \(key.keyIDHex)): it was signed by another key")
        }
        let body = Data(checkpoint.body.utf8)
        guard candidates.contains(where: { key.publicKey.isValidSignature(Data($0.signature), for: body) }) else {
            throw AuditError.failed("the checkpoint's signature does not verify with the given key: the checkpoint was altered or signed by another key")
        }
    }
}

extension Data {
    /// Lower-case hexadecimal.
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
