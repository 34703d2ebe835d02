import CCurl
import Foundation
import Synchronization

/// The thread that owns the multi handle. Other threads only queue work and
/// wake it (`curl_multi_wakeup` is the one thread-safe multi call).
final class CurlMultiLoop: @unchecked Sendable {
    private struct Inbox {
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var stopping = false
        var inFlight = 0
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    /// Touched by the loop thread only.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init() {
        multi = curl_multi_init()
        // Keep enough idle connections for every concurrent request to find one again.
        siuo_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 4096)
        let thread = Thread { [self] in run() }
        thread.name = "siuo-curl"
        thread.stackSize = 1 << 20
        thread.start()
    }

    // Freed only when nothing can reach the handle any more (the thread has
    // ended and the client is gone), so a late wakeup never touches freed memory.
    deinit {
        curl_multi_cleanup(multi)
    }

    var inFlight: Int { inbox.withLock { $0.inFlight } }

    func submit(_ transfer: CurlTransfer) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.stopping else { return false }
            inbox.added.append(transfer)
            inbox.inFlight += 1
            return true
        }
        guard accepted else { return transfer.complete(.failure(CancellationError())) }
        curl_multi_wakeup(multi)
    }

    func cancel(_ transfer: CurlTransfer) {
        inbox.withLock { $0.cancelled.append(transfer) }
        curl_multi_wakeup(multi)
    }

    /// Fails what is still in flight and ends the thread.
    func shutDown() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            let (added, cancelled, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.added.removeAll()
                    inbox.cancelled.removeAll()
                }
                return (inbox.added, inbox.cancelled, inbox.stopping)
            }
            if stopping {
                for transfer in added { finish(transfer, .failure(CancellationError())) }
                for (_, transfer) in active { remove(transfer, .failure(CancellationError())) }
                return
            }
            for transfer in added {
                // A task cancelled before its transfer reached this thread never starts.
                if transfer.isCancelled {
                    finish(transfer, .failure(CancellationError()))
                } else {
                    active[transfer.easy] = transfer
                    curl_multi_add_handle(multi, transfer.easy)
                }
            }
            for transfer in cancelled where active[transfer.easy] === transfer {
                remove(transfer, .failure(CancellationError()))
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinished()
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                let transfer = active[easy]
            else { continue }
            let code = message.pointee.data.result
            remove(transfer, transfer.outcome(code))
        }
    }

    private func remove(_ transfer: CurlTransfer, _ result: Result<HTTPClientResponse, any Error>) {
        active[transfer.easy] = nil
        curl_multi_remove_handle(multi, transfer.easy)
        finish(transfer, result)
    }

    private func finish(_ transfer: CurlTransfer, _ result: Result<HTTPClientResponse, any Error>) {
        inbox.withLock { $0.inFlight -= 1 }
        transfer.complete(result)
    }
}
