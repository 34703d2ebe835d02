import Foundation
import Synchronization

/// The process's HTTP client: one libcurl multi handle driven by one
/// dedicated thread, so thousands of requests can be in flight without a
/// thread each, and connections to a host are reused across requests.
///
/// Each `send` is an `async` call resumed when its transfer completes;
/// cancelling the calling task removes the transfer and frees its handle.
public final class CurlMultiClient: Sendable {
    /// The client most callers share (one multi handle per process).
    public static let shared = CurlMultiClient()

    private let loop: CurlMultiLoop
    /// Responses larger than this fail instead of filling memory.
    public let maxResponseBytes: Int

    /// A client with its own multi handle, thread and connection cache.
    public init(maxResponseBytes: Int = 64 << 20) {
        CurlGlobal.initialize()
        self.loop = CurlMultiLoop()
        self.maxResponseBytes = maxResponseBytes
    }

    deinit {
        loop.shutDown()
    }

    /// Sends `request` and returns the whole response, or throws
    /// `HTTPClientError` (no response) or `CancellationError`.
    public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let transfer = CurlTransfer(request: request, maxResponseBytes: maxResponseBytes)
        let loop = self.loop
        // The client (and with it the loop's thread) must outlive its requests.
        defer { withExtendedLifetime(self) {} }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.attach(continuation)
                loop.submit(transfer)
            }
        } onCancel: {
            transfer.markCancelled()
            loop.cancel(transfer)
        }
    }

    /// Transfers currently added to the multi handle or waiting to be.
    public var inFlight: Int { loop.inFlight }
}
