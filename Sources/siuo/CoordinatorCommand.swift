import ArgumentParser
import Coordinator
import Foundation
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle

/// `siuo coordinator`: the HTTP API and the maintenance loops, until SIGTERM/SIGINT.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run a coordinator: the HTTP API and maintenance loops (several may share one database).", discussion: SiuoExit.discussion())

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LogOptions

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "host:port"))
    var listen = "127.0.0.1:8080"

    @Option(
        name: .customLong("worker-token-file"), help: ArgumentHelp("File holding the worker token (default: $SIUO_WORKER_TOKEN).", valueName: "file"))
    var workerTokenFile: String?

    @Option(
        name: .customLong("admin-token-file"), help: ArgumentHelp("File holding the admin token (default: $SIUO_ADMIN_TOKEN).", valueName: "file"))
    var adminTokenFile: String?

    @Option(
        name: .customLong("viewer-token-file"),
        help: ArgumentHelp("File holding the optional read-only viewer token (default: $SIUO_VIEWER_TOKEN).", valueName: "file"))
    var viewerTokenFile: String?

    @Option(
        name: .customLong("reviewer-token-file"),
        help: ArgumentHelp("File holding the optional reviewer token: read and label (default: $SIUO_REVIEWER_TOKEN).", valueName: "file"))
    var reviewerTokenFile: String?

    @Option(help: "Database connections.")
    var poolSize = 16

    @Option(
        name: .customLong("listen-database-url"),
        help: ArgumentHelp(
            "PostgreSQL URL for the one session that LISTENs for work other coordinators make; it must reach PostgreSQL "
                + "directly or through session pooling (default: $SIUO_LISTEN_DATABASE_URL, else the database URL).",
            valueName: "url"))
    var listenDatabaseURL: String?

    @Option(
        help: ArgumentHelp("On SIGTERM, seconds /readyz answers 503 while requests are still served, so load balancers drain.", valueName: "seconds"))
    var drainSeconds = 5

    @Option(
        name: .customLong("failed-auth-limit"),
        help: ArgumentHelp("Failed authentications one address may make per minute before it gets 429.", valueName: "count"))
    var failedAuthLimit = 20

    func validate() throws {
        guard (1...1000).contains(poolSize) else { throw ValidationError("--pool-size: expected 1 to 1000 connections, got \(poolSize)") }
        guard failedAuthLimit >= 1 else { throw ValidationError("--failed-auth-limit: expected at least 1, got \(failedAuthLimit)") }
        guard (0...300).contains(drainSeconds) else { throw ValidationError("--drain-seconds: expected 0 to 300, got \(drainSeconds)") }
    }

    func run() async throws {
        let (host, port) = try Self.parse(listen)
        // Refuse to start without the worker and admin tokens, before touching
        // anything else: missing or shared tokens are bad input (exit 2), as in
        // every other command.
        let tokens: APITokens
        do {
            tokens = try APITokens(
                worker: try TokenSource.read(file: workerTokenFile, environment: "SIUO_WORKER_TOKEN"),
                admin: try TokenSource.read(file: adminTokenFile, environment: "SIUO_ADMIN_TOKEN"),
                viewer: try TokenSource.read(file: viewerTokenFile, environment: "SIUO_VIEWER_TOKEN"),
                reviewer: try TokenSource.read(file: reviewerTokenFile, environment: "SIUO_REVIEWER_TOKEN"))
        } catch let error as APITokens.MissingTokens {
            throw ValidationError(error.description)
        } catch let error as APITokens.SharedToken {
            throw ValidationError(error.description)
        }
        let logger = try logging.bootstrap(label: "siuo.coordinator", defaultLevel: .info)
        let (pool, url) = try await database.openWithURL(poolSize: poolSize)
        let metrics = CoordinatorMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        let api = CoordinatorAPI(
            pool: pool, tokens: tokens, latestMigration: try Migrator(pool: pool).latestVersion, metrics: metrics,
            authLimiter: FailedAuthLimiter(limit: failedAuthLimit))
        let app = Application(
            router: api.router, configuration: .init(address: .hostname(host, port: port), serverName: "siuo-coordinator"),
            onServerRunning: { channel in
                // Unbuffered: supervisors and tests read this line through a pipe.
                let line = "coordinator listening on http://\(host):\(channel.localAddress?.port ?? port)\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app), .init(service: LeaseRescuer(pool: pool, signal: api.signal, logger: logger)),
                    .init(
                        service: JobNotificationListener(
                            url: Setting.value(listenDatabaseURL, environment: "SIUO_LISTEN_DATABASE_URL") ?? url, settings: pool.settings,
                            signal: api.signal, logger: logger)),
                    // Last: shut down first, so the server keeps serving while load balancers drain.
                    .init(service: DrainOnShutdown(serving: api.serving, delay: .seconds(drainSeconds), logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    /// `HOST:PORT` (port 0: any free port) of the option named `option`.
    static func parse(_ address: String, option: String = "--listen") throws -> (String, Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("\(option): expected HOST:PORT, got \"\(address)\"")
        }
        return (String(address[..<colon]), port)
    }
}
