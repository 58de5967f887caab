/// Audit, for the auditor's role: the chain head, the latest signed checkpoint, `verify` on demand
/// with its result, an export bundle for a period or an incident, and how to check it independently.
public enum AuditPage {
    /// What the page shows; values already in their published forms.
    public struct Model: Sendable {
        public var ledgerPath: String
        public var headPosition: UInt64
        public var headHash: String
        public var headRecordedAt: String?
        /// The latest signed checkpoint's note, as `incidents checkpoint` prints it; nil when none was made.
        public var checkpoint: String?
        /// The result of `verify` just run: whether the ledger verified, and its report.
        public var verification: (ok: Bool, report: String)?
        /// The public key that checks checkpoints and bundles (`incidents keys export`); nil without keys.
        public var publicKey: String?
        /// Whether the ledger has signing keys (`incidents keys create`), which checkpoints and exports need.
        public var hasKeys: Bool { publicKey != nil }

        public init(
            ledgerPath: String, headPosition: UInt64, headHash: String, headRecordedAt: String?, checkpoint: String?,
            verification: (ok: Bool, report: String)? = nil, publicKey: String?
        ) {
            self.ledgerPath = ledgerPath
            self.headPosition = headPosition
            self.headHash = headHash
            self.headRecordedAt = headRecordedAt
            self.checkpoint = checkpoint
            self.verification = verification
            self.publicKey = publicKey
        }
    }

    public static func render(_ model: Model, viewer: PageViewer, notice: String? = nil, error: String? = nil) -> String {
        let e = HTML.escape
        var out = "<header>\n<h1>Audit</h1>\n<p class=\"note\">The ledger at <code>\(e(model.ledgerPath))</code>: one append-only, hash-chained log. Nothing in it is ever overwritten; corrections are new events.</p>\n</header>\n"
        if let notice { out += "<p class=\"ok\" role=\"status\">\(e(notice))</p>\n" }
        if let error { out += "<p class=\"error\" role=\"alert\">\(e(error))</p>\n" }
        out += "<section id=\"head\">\n<h2>Chain head</h2>\n<dl class=\"facts\">\n"
        out += "<dt>Position</dt><dd data-field=\"position\">\(model.headPosition)</dd>\n"
        out += "<dt>Hash</dt><dd data-field=\"hash\"><code>\(e(model.headHash))</code></dd>\n"
        out += "<dt>Last recorded</dt><dd>\(e(model.headRecordedAt ?? "—"))</dd>\n</dl>\n</section>\n"

        out += "<section id=\"verify\">\n<h2>Verify the ledger</h2>\n<p>Re-reads every record, recomputes every hash of the chain and the Merkle tree, and checks them against what is stored — what <code>incidents verify</code> does.</p>\n"
        out += "<form id=\"verify-form\" method=\"post\" action=\"/audit/verify\">\(viewer.csrfField)<button type=\"submit\">Verify now</button></form>\n"
        if let verification = model.verification {
            out += "<section id=\"verify-result\" data-ok=\"\(verification.ok)\">\n<h3>\(verification.ok ? "Verified" : "Verification failed")</h3>\n"
            out += "<p class=\"\(verification.ok ? "ok" : "error")\" role=\"status\">\(verification.ok ? "Every record and hash checks out." : "The ledger does not verify — see below, and docs/reliability.md.")</p>\n"
            out += "<pre><code>\(e(verification.report))</code></pre>\n</section>\n"
        }
        out += "</section>\n"

        out += "<section id=\"checkpoint\">\n<h2>Latest signed checkpoint</h2>\n"
        if let checkpoint = model.checkpoint {
            out += "<pre><code>\(e(checkpoint))</code></pre>\n"
        } else {
            out += "<p class=\"muted\">No checkpoint has been signed yet.</p>\n"
        }
        if model.hasKeys {
            out += "<form id=\"checkpoint-form\" method=\"post\" action=\"/audit/checkpoint\">\(viewer.csrfField)<button type=\"submit\">Sign a checkpoint now</button></form>\n"
        } else {
            out += "<p class=\"note\">Signing needs the ledger's keys: <code>incidents keys create</code> on the server.</p>\n"
        }
        out += "</section>\n"

        out += "<section id=\"export\">\n<h2>Export a bundle</h2>\n<p>A signed bundle of the events the filters select, with the inclusion proofs that they belong to the chain, as a tar archive — what <code>incidents export</code> writes.</p>\n"
        out += "<form id=\"export-form\" class=\"inline\" method=\"get\" action=\"/audit/export\">\n"
        out += "<label for=\"export-since\">Since (UTC)<input id=\"export-since\" type=\"text\" name=\"since\" placeholder=\"2026-07-01\"></label>\n"
        out += "<label for=\"export-until\">Until (UTC)<input id=\"export-until\" type=\"text\" name=\"until\" placeholder=\"2026-10-01\"></label>\n"
        out += "<label for=\"export-incident\">Incident<input id=\"export-incident\" type=\"text\" name=\"incident\" placeholder=\"any\"></label>\n"
        out += "<label for=\"export-csv\"><span>Also CSV</span><input id=\"export-csv\" type=\"checkbox\" name=\"csv\" value=\"true\"></label>\n"
        out += "<button type=\"submit\"\(model.hasKeys ? "" : " disabled")>Download the bundle</button>\n</form>\n</section>\n"

        out += "<section id=\"how-to-check\">\n<h2>How to check a bundle</h2>\n<p>Unpack it and run either verifier; both check the signature, every record's hash, and every inclusion proof against the signed tree head, and say what is wrong if anything is:</p>\n"
        out += "<pre><code>tar -xf incidents-export-N.tar\nincidents verify-export incidents-export-N --key ledger.pub\npython3 Tools/verify-export.py incidents-export-N --key ledger.pub</code></pre>\n"
        if let key = model.publicKey {
            out += "<p><code>ledger.pub</code> is the ledger's public key. This server says it is:</p>\n<pre><code id=\"public-key\">\(e(key))</code></pre>\n"
            out += "<p class=\"note\">Take the key from somewhere you trust (signed off by the system's owner), not from the server whose records you check, and keep the checkpoints you receive to pass with <code>--previous</code>: a rewritten log cannot be consistent with them.</p>\n"
        }
        out += "<p class=\"note\">The Python verifier is independent of this program (it needs only Python’s cryptography package); docs/audit.md says what each check proves.</p>\n</section>\n"
        return WebPage.render(title: "Audit", viewer: viewer, section: .audit, main: out)
    }
}
