import Hummingbird

/// Public probes and metrics: no token, no secret.
struct HealthRoutes {
    let health: HealthStore
    let metricsStore: MetricsStore
    let metrics: CoordinatorMetrics
    let latestMigration: Int
    let serving: ServingState
    let signal: WorkSignal

    func register(on routes: inout RouteRegistrar) {
        routes.add(.get, "/healthz", .public) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        routes.add(.get, "/readyz", .public) { _, _ in
            if serving.isDraining {
                return Response(
                    status: .serviceUnavailable, headers: [.contentType: "text/plain"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "draining: shutting down\n")))
            }
            let ready = await health.isReady(latestMigration: latestMigration)
            return Response(
                status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "database unreachable or schema not current\n")))
        }
        routes.add(.get, "/metrics", .public) { _, _ in
            // A failed read shows as siuo_database_gauges_up 0, not as series that vanish.
            let gauges = try? await metricsStore.gauges()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render(gauges: gauges, listening: signal.hearsOtherReplicas))))
        }
    }
}
