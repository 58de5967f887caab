import Hummingbird
import IncidentEvents
import IncidentReports
import IncidentService
import LedgerModel

/// The playbook page: the policy in force and the template library, read only, for every role that
/// reads incidents (as `GET /v1/policy` and `GET /v1/templates`).
struct PlaybookPageRoutes {
    let service: LedgerService

    func add(to router: RouterGroup<ServerContext>) {
        router.get("playbook") { _, context in
            _ = try context.require(.readIncidents)
            let viewer = try context.viewer()
            let service = self.service
            let (inForce, library) = try await Offload.run { (try service.policyInForce(), try service.templateLibrary().all) }
            let origin = PlaybookPage.Origin(position: inForce.position, setAt: inForce.setAt, setBy: inForce.setBy?.description)
            return PageIO.html(PlaybookPage.render(policy: inForce.policy, origin: origin, templates: library, viewer: viewer))
        }
    }
}
