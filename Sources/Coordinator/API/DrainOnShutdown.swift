import Logging
import ServiceLifecycle

/// On graceful shutdown, marks the coordinator as draining (`/readyz` 503) and holds the shutdown for
/// `delay`, so load balancers stop sending requests before the HTTP server stops taking them.
///
/// Put it last in the service group: ServiceLifecycle shuts services down in reverse order, so the
/// server stops only after this returns.
public struct DrainOnShutdown: Service {
    let serving: ServingState
    let delay: Duration
    let logger: Logger

    /// Drains `serving` for `delay` once shutdown begins.
    public init(serving: ServingState, delay: Duration, logger: Logger) {
        self.serving = serving
        self.delay = delay
        self.logger = logger
    }

    /// Waits for graceful shutdown, then drains.
    public func run() async throws {
        // Cancelled (not a graceful shutdown): nothing to drain for.
        guard (try? await gracefulShutdown()) != nil else { return }
        serving.startDraining()
        logger.info("draining: /readyz answers 503 before the server stops", metadata: ["seconds": "\(delay.components.seconds)"])
        try? await Task.sleep(for: delay)
    }
}
