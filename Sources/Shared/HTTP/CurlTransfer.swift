import CCurl
import Foundation
import Synchronization

/// One request's easy handle, header list and response sink. Built on the
/// caller's thread, driven on the multi loop's thread, completed once.
final class CurlTransfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    private let url: String
    private let limit: Int
    private let sink: ResponseSink
    private let sinkReference: Unmanaged<ResponseSink>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let continuation = Mutex<CheckedContinuation<HTTPClientResponse, any Error>?>(nil)
    private let cancelled = Atomic<Bool>(false)

    init(request: HTTPClientRequest, maxResponseBytes: Int) {
        easy = curl_easy_init()
        url = request.url
        limit = maxResponseBytes
        sink = ResponseSink(limit: maxResponseBytes)
        sinkReference = Unmanaged.passRetained(sink)
        configure(request)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        sinkReference.release()
    }

    private func configure(_ request: HTTPClientRequest) {
        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        // An empty Expect stops curl from waiting for "100 Continue" on larger bodies.
        headerList = curl_slist_append(headerList, "Expect:")
        siuo_curl_easy_setopt_string(easy, CURLOPT_URL, request.url)
        siuo_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        siuo_curl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        siuo_curl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        siuo_curl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
        siuo_curl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, max(1, Int(request.timeout * 1000)))
        siuo_curl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(min(request.timeout, 10) * 1000)))
        siuo_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
        siuo_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, sinkReference.toOpaque())
        siuo_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, sinkReference.toOpaque())
        siuo_curl_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue().appendBody(data, size * count)
        }
        siuo_curl_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue().appendHeader(data, size * count)
        }
        if let body = request.body {
            siuo_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            // curl copies the bytes now, so the array need not outlive this call.
            body.withUnsafeBytes { bytes in
                let start = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                _ = siuo_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: start))
            }
        }
    }

    func attach(_ continuation: CheckedContinuation<HTTPClientResponse, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func markCancelled() {
        cancelled.store(true, ordering: .releasing)
    }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// The response, or why there is none, once curl reports `code`.
    func outcome(_ code: CURLcode) -> Result<HTTPClientResponse, any Error> {
        guard code == CURLE_OK else {
            // A body past the cap aborts the write (curl says 23, a write error): it is reported as
            // curl's own "maximum file size exceeded", which the same request would hit again.
            if sink.overflowed {
                return .failure(
                    HTTPClientError(code: Int(CURLE_FILESIZE_EXCEEDED.rawValue), message: "response larger than \(limit) bytes", url: url))
            }
            return .failure(HTTPClientError(code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)), url: url))
        }
        var status = 0
        siuo_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPClientResponse(status: status, headers: sink.headers, body: sink.body))
    }

    /// Resumes the caller; later calls do nothing.
    func complete(_ result: Result<HTTPClientResponse, any Error>) {
        let waiting = continuation.withLock { continuation -> CheckedContinuation<HTTPClientResponse, any Error>? in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(with: result)
    }
}
