import ArgumentParser
import Coordinator
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `siuo view [SWEEP]`: the web viewer over the local database, on loopback, with fresh tokens
/// (docs/operations.md, "The viewer").
struct ViewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Serve the web viewer over the local database on 127.0.0.1 and print its address (until Ctrl-C).",
        discussion: SiuoExit.discussion())

    @Argument(help: "Open this sweep's page (default: the list of sweeps).") var sweep: String?
    @Option(help: "Port on 127.0.0.1 (0: any free port).") var port = 0
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        // Fresh tokens each run: the printed address carries the reviewer's, which reads and labels; the
        // others exist only because the API needs them, and nobody learns them.
        let reviewer = Self.randomToken()
        let tokens = try APITokens(worker: Self.randomToken(), admin: Self.randomToken(), reviewer: reviewer)
        var logger = Logger(label: "siuo.view")
        logger.logLevel = .warning
        let pool = try await database.open(poolSize: 4)
        let api = CoordinatorAPI(pool: pool, tokens: tokens, latestMigration: try Migrator(pool: pool).latestVersion)
        let page = sweep.map { "/ui/sweeps/" + (Self.pathSegment($0)) } ?? "/ui/"
        let app = Application(
            router: api.router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "siuo-view"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                // Unbuffered: tests read this line through a pipe. The fragment never reaches the server.
                let line = "viewer on http://127.0.0.1:\(bound)\(page)#token=\(reviewer)\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// 32 random bytes as hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// A sweep name as one path segment (names are `A-Z a-z 0-9 . _ -`, but a typo should not break the URL).
    static func pathSegment(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "._-"))) ?? name
    }
}
