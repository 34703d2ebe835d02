import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MockProvider
import ServiceLifecycle

/// `siuo mock-provider`: an OpenAI/Anthropic/Gemini-compatible server with
/// deterministic answers, rate limits and faults, until SIGTERM/SIGINT.
struct MockProviderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-provider",
        abstract: "Serve the OpenAI, Anthropic and Gemini wire formats with deterministic answers, rate limits and faults.",
        discussion: "Answers are a pure function of (seed, model, prompt, X-Siuo-Sample). See docs/mock-provider.md for the config file.\n"
            + SiuoExit.discussion())

    @OptionGroup var logging: LogOptions

    @Option(help: ArgumentHelp("Address to listen on (port 0: any free port).", valueName: "host:port"))
    var listen = "127.0.0.1:0"

    @Option(help: "Seed of every answer.")
    var seed = 0

    @Option(help: ArgumentHelp("JSON file with model behaviour, rate limits and faults.", valueName: "file"))
    var config: String?

    @Option(
        name: .customLong("batch-delay"),
        help: ArgumentHelp("Seconds after which every model's batches end (overrides batch_delay_s in the config).", valueName: "seconds"))
    var batchDelay: Double?

    @Flag(name: .customLong("exit-with-parent"), help: ArgumentHelp("Stop when the parent process dies (used by `siuo run`).", visibility: .hidden))
    var exitWithParent = false

    func run() async throws {
        if exitWithParent { ParentWatch.terminateWithParent() }
        let (host, port) = try CoordinatorCommand.parse(listen)
        // MockConfigError reads as one line naming the file and field.
        var settings = try config.map { try MockConfig.load(file: $0) } ?? MockConfig()
        if let batchDelay {
            guard batchDelay >= 0, batchDelay.isFinite else { throw ValidationError("--batch-delay must be a number of seconds ≥ 0") }
            settings.setBatchDelay(batchDelay)
        }
        let logger = try logging.bootstrap(label: "siuo.mock-provider", defaultLevel: .warning)
        let server = MockServer(seed: seed, config: settings, logger: logger)
        let app = server.application(host: host, port: port) { bound in
            // Unbuffered: parents read this line through a pipe to learn the port.
            FileHandle.standardOutput.write(Data("mock-provider listening on http://\(host):\(bound)\n".utf8))
        }
        // Listed after the app, so graceful shutdown reaches it first and
        // releases hung requests before the app waits for requests to finish.
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app), .init(service: HangReleaser(server: server))],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}

/// Waits for graceful shutdown, then ends the mock's hung requests.
private struct HangReleaser: Service {
    let server: MockServer

    func run() async throws {
        try? await gracefulShutdown()
        server.releaseHangs()
    }
}

/// A child that must not outlive the `siuo run` that started it, even if
/// that one is killed: once its parent is gone, it exits.
enum ParentWatch {
    static func terminateWithParent() {
        let parent = getppid()
        Thread.detachNewThread {
            while getppid() == parent { Thread.sleep(forTimeInterval: 0.5) }
            exit(0)
        }
    }
}
