import Foundation
import Hummingbird
import IncidentReports
import IncidentService
import LedgerAudit
import LedgerModel
import LedgerStore

/// The audit page: the chain head and the last checkpoint, `verify` and a new checkpoint on demand,
/// and an export bundle to download (the same tar as `GET /v1/export`).
struct AuditPageRoutes {
    let service: LedgerService
    let configuration: ServerConfiguration
    let audit: AuditRoutes

    func add(to router: RouterGroup<ServerContext>) {
        router.get("audit") { _, context in try await page(context) }
        router.post("audit/verify") { request, context in
            _ = try context.require(.audit)
            _ = try await FormBody.read(request, limit: configuration.maximumBodyBytes, session: context.session)
            let service = self.service
            let verification = try await Offload.run { try service.verify() }
            let result: (ok: Bool, report: String) =
                switch verification.verdict {
                case .success(let lines): (true, lines.joined(separator: "\n"))
                case .failure(let failure): (false, failure.message)
                }
            return try await page(context, verification: result)
        }
        router.post("audit/checkpoint") { request, context in
            _ = try context.require(.audit)
            _ = try await FormBody.read(request, limit: configuration.maximumBodyBytes, session: context.session)
            let service = self.service
            let checkpoint = try await Offload.run { try service.checkpoint(keys: CheckpointKeyFiles(ledgerPath: service.ledger.path)) }
            return try await page(context, notice: "Signed a checkpoint of \(checkpoint.checkpoint.treeHead.size) events.")
        }
        router.get("audit/export") { request, context in
            _ = try context.require(.audit)
            // The form's times as a person types them; its empty fields left out.
            let query = Query(request)
            let filter = EventQuery(
                incident: query["incident"].map(EnvelopeRules.normalized), types: [],
                since: try query["since"].map { try FormBody.time($0, field: "the since time") },
                until: try query["until"].map { try FormBody.time($0, field: "the until time") })
            return try await audit.export(filter, csv: try query.flag("csv"))
        }
    }

    func page(_ context: ServerContext, verification: (ok: Bool, report: String)? = nil, notice: String? = nil) async throws -> Response {
        _ = try context.require(.audit)
        let viewer = try context.viewer()
        let state = try await service.auditState()
        let model = AuditPage.Model(
            ledgerPath: service.ledger.path, headPosition: state.head.position, headHash: state.head.hash.hex,
            headRecordedAt: state.head.position == 0 ? nil : state.head.recordedAt.rfc3339, checkpoint: state.lastCheckpoint?.text,
            verification: verification, publicKey: state.verifierKey?.text)
        return PageIO.html(AuditPage.render(model, viewer: viewer, notice: notice))
    }
}
