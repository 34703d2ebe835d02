import Hummingbird
import Prometheus
import Shared

/// What `siuo worker --metrics-listen` serves (docs/operations.md, "A
/// worker's probes and metrics"): `GET /healthz` (the process is up),
/// `GET /readyz` (it reached its coordinator within
/// `CoordinatorContact.readyWindow`) and `GET /metrics` (the registry in
/// Prometheus text). No token: nothing here is a secret.
public struct WorkerProbes: Sendable {
    /// The registry `/metrics` serves.
    public let registry: PrometheusCollectorRegistry
    /// When the coordinator last answered.
    public let contact: CoordinatorContact

    /// Probes serving `registry`, ready by `contact`.
    public init(registry: PrometheusCollectorRegistry, contact: CoordinatorContact) {
        self.registry = registry
        self.contact = contact
    }

    /// The routes.
    public var router: Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/readyz") { _, _ in
            guard contact.isReady else {
                let since = contact.sinceLastAnswer.map { "last answered \(Int($0.seconds)) s ago" } ?? "never answered"
                return Self.text(.serviceUnavailable, "coordinator \(since)\n")
            }
            return Self.text(.ok, "ready\n")
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return router
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
