import Hummingbird
import Logging

/// The coordinator's HTTP API: every route, wired to its stores.
public struct CoordinatorAPI {
    /// The router to serve.
    public let router: Router<APIContext>
    /// Every route served, for the OpenAPI check.
    public let routes: [RouteDescription]
    /// This API's counters and histograms (`siuo coordinator` bootstraps swift-metrics with their factory).
    public let metrics: CoordinatorMetrics
    /// Wakes waiting lease requests; the maintenance loops share it.
    public let signal: WorkSignal
    /// Whether `/readyz` still says ready; ``DrainOnShutdown`` turns it off on SIGTERM.
    public let serving = ServingState()

    /// Builds the API on `pool`; `tokens` guard every route under `/v1`, and
    /// `authLimiter` answers 429 to addresses that keep failing them. Waiting
    /// lease requests re-check for work as `leaseWait` says; a
    /// ``JobNotificationListener`` on ``signal`` wakes them when other
    /// replicas make work.
    public init(
        pool: PostgresPool, tokens: APITokens, latestMigration: Int, metrics: CoordinatorMetrics = CoordinatorMetrics(),
        authLimiter: FailedAuthLimiter = FailedAuthLimiter(), leaseWait: LeaseWaitTiming = LeaseWaitTiming()
    ) {
        let router = Router(context: APIContext.self)
        // Before the routes: Hummingbird applies middleware to routes added after it.
        // Requests, statuses and latency per route, through swift-metrics (a no-op until bootstrapped).
        router.add(middleware: MetricsMiddleware<APIContext>())
        let table = RouteTable()
        router.add(middleware: MethodNotAllowedMiddleware(table: table))
        router.add(middleware: FailedAuthMiddleware(limiter: authLimiter))
        router.add(middleware: TokenRoleMiddleware(tokens: tokens))
        router.add(middleware: NoSniffMiddleware())
        let signal = WorkSignal()
        var registrar = RouteRegistrar(router: router)
        HealthRoutes(
            health: HealthStore(pool: pool), metricsStore: MetricsStore(pool: pool), metrics: metrics,
            latestMigration: latestMigration, serving: serving, signal: signal
        ).register(on: &registrar)
        WorkerRoutes(
            jobs: JobStore(pool: pool), sweeps: SweepStore(pool: pool), images: ImageStore(pool: pool),
            cache: ResponseCacheStore(pool: pool), signal: signal, metrics: metrics, timing: leaseWait
        ).register(on: &registrar)
        BatchRoutes(batches: BatchStore(pool: pool), signal: signal).register(on: &registrar)
        AdminRoutes(sweeps: SweepStore(pool: pool), signal: signal).register(on: &registrar)
        ReportRoutes(reports: ReportStore(pool: pool)).register(on: &registrar)
        LabelRoutes(labels: LabelStore(pool: pool)).register(on: &registrar)
        CaseRoutes(cases: CaseStore(pool: pool)).register(on: &registrar)
        ViewerRoutes.register(on: router)
        table.set(registrar.routes)
        self.router = router
        self.routes = registrar.routes
        self.signal = signal
        self.metrics = metrics
    }
}
