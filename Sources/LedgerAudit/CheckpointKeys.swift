public import Crypto
import Foundation
import LedgerModel

#if canImport(Glibc)
import Glibc
#endif

/// A public key that checks checkpoints, with its name (the ledger's origin) and key id, in the
/// signed-note verifier-key text form `NAME+KEYID+BASE64(0x01 ‖ public key)`.
public struct CheckpointVerifierKey: Sendable {
    /// Signed-note algorithm byte for Ed25519.
    static let ed25519: UInt8 = 0x01

    public var name: String
    public var publicKey: Curve25519.Signing.PublicKey

    public init(name: String, publicKey: Curve25519.Signing.PublicKey) {
        self.name = name
        self.publicKey = publicKey
    }

    /// The first four bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), as signed notes define it.
    public var keyID: [UInt8] {
        var input = Array(name.utf8)
        input.append(0x0A)
        input.append(Self.ed25519)
        input.append(contentsOf: publicKey.rawRepresentation)
        return Array(SHA256.hash(data: input).prefix(4))
    }

    /// The key id in hexadecimal, as the verifier-key line shows it.
    public var keyIDHex: String { Data(keyID).hexString }

    /// The verifier-key line.
    public var text: String {
        "\(name)+\(keyIDHex)+\(Data([Self.ed25519] + publicKey.rawRepresentation).base64EncodedString())"
    }

    /// Reads a verifier-key line (surrounding white space is ignored).
    public init(text: String) throws(AuditError) {
        // Base64 may hold "+": split off only the fields before it.
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let raw = Data(base64Encoded: String(parts[2])), raw.count == 33, raw.first == Self.ed25519,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw.dropFirst())
        else {
            throw AuditError(.invalidInput, "not a checkpoint public key: expected NAME+KEYID+BASE64 as `incidents keys export` prints")
        }
        self.init(name: String(parts[0]), publicKey: key)
        guard keyIDHex == parts[1] else {
            throw AuditError(.invalidInput, "the public key's id \(parts[1]) does not match its name and key")
        }
    }

    /// Reads a public key file.
    public init(contentsOf path: String) throws(AuditError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError(.invalidInput, "cannot read the public key file \(path)")
        }
        do {
            try self.init(text: String(decoding: data, as: UTF8.self))
        } catch {
            throw AuditError(error.code, "\(path): \(error.message)")
        }
    }
}

/// The ledger's Ed25519 checkpoint-signing key.
public struct CheckpointSigningKey: Sendable {
    public var privateKey: Curve25519.Signing.PrivateKey
    public var verifier: CheckpointVerifierKey

    public init(name: String, privateKey: Curve25519.Signing.PrivateKey = .init()) {
        self.privateKey = privateKey
        verifier = CheckpointVerifierKey(name: name, publicKey: privateKey.publicKey)
    }

    /// The private-key line: `PRIVATE+KEY+NAME+KEYID+BASE64(0x01 ‖ 32-byte seed)`.
    var text: String {
        "PRIVATE+KEY+\(verifier.name)+\(verifier.keyIDHex)+\(Data([CheckpointVerifierKey.ed25519] + privateKey.rawRepresentation).base64EncodedString())"
    }

    init(text: String) throws(AuditError) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY", let raw = Data(base64Encoded: String(parts[4])), raw.count == 33,
            raw.first == CheckpointVerifierKey.ed25519,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw.dropFirst())
        else {
            throw AuditError(.missingKey, "the private key file is not a checkpoint signing key")
        }
        self.init(name: String(parts[2]), privateKey: key)
    }
}

/// Where a ledger's keys live and how they are made: `<ledger>/keys/checkpoint.key` (the private
/// key, mode 0600), `<ledger>/keys/checkpoint.pub` (the public key) and
/// `<ledger>/keys/checkpoint.last` (the last checkpoint the key signed; see
/// CheckpointKeyFiles+LastCheckpoint.swift).
public struct CheckpointKeyFiles: Sendable {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The default key directory of the ledger at `ledgerPath`.
    public init(ledgerPath: String) {
        directory = ledgerPath + "/keys"
    }

    public var privateKeyPath: String { directory + "/checkpoint.key" }
    public var publicKeyPath: String { directory + "/checkpoint.pub" }

    /// Makes a new key pair named `name`. Refuses to replace an existing key: checkpoints already
    /// handed out are checked with it.
    public func create(name: String) throws(AuditError) -> CheckpointSigningKey {
        if FileManager.default.fileExists(atPath: privateKeyPath) {
            throw AuditError(.alreadyExists, "a checkpoint key already exists at \(privateKeyPath); it was kept — checkpoints signed with it are checked with it")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw AuditError.system(error, "cannot create the key directory \(directory)")
        }
        let key = CheckpointSigningKey(name: name)
        try Self.writeAtomically(key.text + "\n", to: privateKeyPath, mode: 0o600)
        try Self.writeAtomically(key.verifier.text + "\n", to: publicKeyPath, mode: 0o644)
        return key
    }

    /// Reads the private key. Like ssh, refuses a key file that its group or others may read or
    /// write: the mode bits are checked, not access(2), so running as root changes nothing.
    public func signingKey() throws(AuditError) -> CheckpointSigningKey {
        let descriptor = open(privateKeyPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT {
                throw AuditError(.missingKey, "no checkpoint signing key at \(privateKeyPath) — create one with `incidents keys create`")
            }
            throw AuditError(.missingKey, "cannot read the checkpoint signing key \(privateKeyPath): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw AuditError(.missingKey, "the checkpoint signing key \(privateKeyPath) is not a regular file")
        }
        let permissions = status.st_mode & 0o7777
        guard permissions & 0o077 == 0 else {
            throw AuditError(
                .missingKey,
                "permissions \(String(format: "%04o", permissions)) for \(privateKeyPath) are too open: the private key must be readable by its owner only — run `chmod 600 \(privateKeyPath)`")
        }
        let data = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).readDataToEndOfFile()
        do {
            return try CheckpointSigningKey(text: String(decoding: data, as: UTF8.self))
        } catch {
            throw AuditError(.missingKey, "\(privateKeyPath): \(error.message)")
        }
    }

    /// Reads the public key.
    public func verifierKey() throws(AuditError) -> CheckpointVerifierKey {
        guard FileManager.default.fileExists(atPath: publicKeyPath) else {
            throw AuditError(.missingKey, "no checkpoint public key at \(publicKeyPath) — create one with `incidents keys create`")
        }
        return try CheckpointVerifierKey(contentsOf: publicKeyPath)
    }

    /// Writes a key file with ``AtomicFile``: a reader never sees a half-written key, and an
    /// existing file (or symbolic link) at `path` is never followed or replaced unless `replacing`.
    static func writeAtomically(_ text: String, to path: String, mode: mode_t, replacing: Bool = false) throws(AuditError) {
        do {
            try AtomicFile.write(Array(text.utf8), to: path, permissions: Int(mode), replacing: replacing)
        } catch {
            if error.errno == EEXIST { throw AuditError(.alreadyExists, "\(path) exists already; it was kept") }
            throw AuditError.system(SystemFailure(errno: error.errno), "cannot write \(path)")
        }
    }
}
