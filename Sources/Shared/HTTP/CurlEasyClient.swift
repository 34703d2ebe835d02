import CCurl
import Foundation

/// A blocking libcurl client on its own thread: one request at a time, with
/// connection reuse between requests. For the CLI and tests; the worker's
/// many-requests client is the multi-handle one.
public final class CurlEasyClient: Sendable {
    private let thread = DedicatedThread(name: "siuo-http")
    private let handle: EasyHandle
    /// Responses larger than this fail instead of filling memory.
    public let maxResponseBytes: Int

    /// A client with its own connection cache.
    public init(maxResponseBytes: Int = 64 << 20) {
        CurlGlobal.initialize()
        self.handle = EasyHandle()
        self.maxResponseBytes = maxResponseBytes
    }

    /// Sends `request` and waits for the whole response.
    public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let handle = self.handle
        let limit = maxResponseBytes
        return try await thread.run { try handle.perform(request, maxResponseBytes: limit) }
    }
}

/// `curl_global_init` must run once before any other call.
enum CurlGlobal {
    private static let done: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    static func initialize() {
        _ = done
    }
}

/// One easy handle, used only on the client's thread.
private final class EasyHandle: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer

    init() {
        pointer = curl_easy_init()
    }

    deinit {
        curl_easy_cleanup(pointer)
    }

    func perform(_ request: HTTPClientRequest, maxResponseBytes: Int) throws -> HTTPClientResponse {
        // Reset keeps live connections, so requests to one host reuse them.
        curl_easy_reset(pointer)
        let sink = ResponseSink(limit: maxResponseBytes)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        // An empty Expect stops curl from waiting for "100 Continue" on larger bodies.
        headerList = curl_slist_append(headerList, "Expect:")
        defer { curl_slist_free_all(headerList) }

        siuo_curl_easy_setopt_string(pointer, CURLOPT_URL, request.url)
        siuo_curl_easy_setopt_string(pointer, CURLOPT_CUSTOMREQUEST, request.method)
        siuo_curl_easy_setopt_long(pointer, CURLOPT_NOSIGNAL, 1)
        siuo_curl_easy_setopt_long(pointer, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1000))
        siuo_curl_easy_setopt_long(pointer, CURLOPT_CONNECTTIMEOUT_MS, Int(min(request.timeout, 10) * 1000))
        siuo_curl_easy_setopt_slist(pointer, CURLOPT_HTTPHEADER, headerList)
        siuo_curl_easy_setopt_pointer(pointer, CURLOPT_WRITEDATA, context.toOpaque())
        siuo_curl_easy_setopt_pointer(pointer, CURLOPT_HEADERDATA, context.toOpaque())
        siuo_curl_easy_setopt_write_callback(pointer, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue().appendBody(data, size * count)
        }
        siuo_curl_easy_setopt_write_callback(pointer, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue().appendHeader(data, size * count)
        }
        let body = request.body ?? []
        let code: CURLcode = body.withUnsafeBytes { bytes in
            if request.body != nil {
                siuo_curl_easy_setopt_off_t(pointer, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
                siuo_curl_easy_setopt_pointer(pointer, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
            return curl_easy_perform(pointer)
        }
        guard code == CURLE_OK else {
            let message = sink.overflowed ? "response larger than \(maxResponseBytes) bytes" : String(cString: curl_easy_strerror(code))
            throw HTTPClientError(code: Int(code.rawValue), message: message, url: request.url)
        }
        var status = 0
        siuo_curl_easy_getinfo_long(pointer, CURLINFO_RESPONSE_CODE, &status)
        return HTTPClientResponse(status: status, headers: sink.headers, body: sink.body)
    }
}

/// Collects what curl's callbacks deliver.
private final class ResponseSink {
    let limit: Int
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    func appendBody(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        guard body.count + length <= limit else {
            overflowed = true
            return 0  // makes curl abort the transfer
        }
        body += UnsafeRawBufferPointer(start: data, count: length)
        return length
    }

    func appendHeader(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        if line.hasPrefix("HTTP/") { headers = [:] }  // a new response (after a redirect or 100)
        if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return length
    }
}
