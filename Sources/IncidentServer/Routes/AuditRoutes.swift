import Foundation
import HTTPTypes
import Hummingbird
import IncidentService
import LedgerAudit
import LedgerModel
import LedgerStore
import NIOCore

/// Audit: `POST /v1/checkpoint` signs a checkpoint of the ledger as it stands (the signed note, as
/// `incidents checkpoint` prints it), and `GET /v1/export` sends a signed export bundle (the events
/// the filters select, as `incidents export` writes it) as a tar archive; both verifiers check the
/// unpacked directory as it is. Signing uses the ledger's key (`incidents keys create`).
struct AuditRoutes {
    let service: LedgerService

    func add(to router: RouterGroup<ServerContext>) {
        router.post("checkpoint") { _, context in
            _ = try context.require(.audit)
            let service = self.service
            let checkpoint = try await Offload.run { try service.checkpoint(keys: CheckpointKeyFiles(ledgerPath: service.ledger.path)) }
            return HTTPIO.body(checkpoint.text, contentType: "text/plain; charset=utf-8", status: .created)
        }
        router.get("export") { request, context in try await export(request, context) }
    }

    func export(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.audit)
        let query = Query(request)
        return try await export(try EventRoutes.filter(query), csv: try query.flag("csv"))
    }

    /// The bundle of the events `filter` selects, as a tar archive to download.
    func export(_ filter: EventQuery, csv: Bool) async throws -> Response {
        let service = self.service
        let archive = try await Offload.run {
            // The bundle is written beside, never inside, the ledger, then sent and removed.
            let scratch = FileManager.default.temporaryDirectory.path + "/incidents-export-\(UUID().uuidString.prefix(12))"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let bundle = scratch + "/bundle"
            let manifest = try service.export(filter, csv: csv, to: bundle, keys: CheckpointKeyFiles(ledgerPath: service.ledger.path))
            let name = "incidents-export-\(manifest.treeHead.size)"
            return (name, try TarStream.archive(directory: bundle, prefix: name))
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-tar", .contentDisposition: "attachment; filename=\"\(archive.0).tar\""],
            body: .init(byteBuffer: ByteBuffer(bytes: archive.1)))
    }
}
