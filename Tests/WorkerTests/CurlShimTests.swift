import CCurl
import Foundation
import SiuoTestSupport
import Testing

/// The typed wrappers reach libcurl's variadic setters: a transfer of a local
/// file goes through easy handle options, a write callback and getinfo.
@Suite struct CurlShimTests {
    final class Sink {
        var bytes: [UInt8] = []
    }

    @Test func typedSettersDriveARealTransfer() throws {
        let folder = try TemporaryFolder(prefix: "siuo-curl")
        defer { folder.remove() }
        let path = try folder.write("file", "hello from curl")

        let handle = try #require(curl_easy_init())
        defer { curl_easy_cleanup(handle) }
        let sink = Sink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        #expect(siuo_curl_easy_setopt_string(handle, CURLOPT_URL, "file://" + path) == CURLE_OK)
        #expect(siuo_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1) == CURLE_OK)
        #expect(siuo_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque()) == CURLE_OK)
        #expect(
            siuo_curl_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
                let length = size * count
                sink.bytes += UnsafeRawBufferPointer(start: data, count: length)
                return length
            } == CURLE_OK)
        #expect(curl_easy_perform(handle) == CURLE_OK)
        #expect(String(decoding: sink.bytes, as: UTF8.self) == "hello from curl")

        var downloaded: curl_off_t = 0
        #expect(siuo_curl_easy_getinfo_off_t(handle, CURLINFO_SIZE_DOWNLOAD_T, &downloaded) == CURLE_OK)
        #expect(downloaded == 15)
        var effective: UnsafeMutablePointer<CChar>?
        #expect(siuo_curl_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK)
        #expect(effective.map { String(cString: $0) } == "file://" + path)
    }
}
