import Foundation
import Shared
import Testing

/// A headless Chromium driven over the W3C WebDriver protocol through `chromedriver`, for the viewer's
/// browser tests (docs/architecture.md, "The viewer"). Tests skip when Debian's `chromium` and
/// `chromium-driver` are not installed (`Chromium.isAvailable`).
public enum Chromium {
    /// The browser binary: `$SIUO_CHROMIUM`, else Debian's.
    public static var browser: String { ProcessInfo.processInfo.environment["SIUO_CHROMIUM"] ?? "/usr/bin/chromium" }
    /// The driver binary: `$SIUO_CHROMEDRIVER`, else Debian's.
    public static var driver: String { ProcessInfo.processInfo.environment["SIUO_CHROMEDRIVER"] ?? "/usr/bin/chromedriver" }

    /// Whether both are installed.
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: browser) && FileManager.default.isExecutableFile(atPath: driver)
    }

    /// Starts a driver and a browser session, runs `body` with it, and ends both.
    public static func with<T: Sendable>(width: Int = 1400, height: Int = 1000, _ body: (WebDriverSession) async throws -> T) async throws -> T {
        let driver = try DriverProcess()
        defer { driver.stop() }
        try await driver.waitUntilReady()
        let session = try await WebDriverSession.start(driverURL: driver.url, width: width, height: height)
        do {
            let result = try await body(session)
            await session.end()
            return result
        } catch {
            await session.end()
            throw error
        }
    }
}

/// A `chromedriver` child process on a free loopback port, started with
/// `posix_spawn` (`SpawnedProcess`): `Foundation.Process` crashes the test
/// process now and then (see `PosixSpawn`).
final class DriverProcess: @unchecked Sendable {
    let process: SpawnedProcess
    let url: String

    init() throws {
        let port = try FreePort.find()
        url = "http://127.0.0.1:\(port)"
        process = try SpawnedProcess(
            Chromium.driver, ["--port=\(port)", "--allowed-ips=127.0.0.1", "--log-level=SEVERE"],
            environment: ProcessInfo.processInfo.environment, stdout: .discard, stderr: .discard)
    }

    /// Returns once `/status` answers 200 (`waitUntil`: Chromium on a loaded machine is slow to start).
    func waitUntilReady() async throws {
        try await waitUntil("chromedriver answers at \(url)", every: .milliseconds(100)) {
            // Refused until the driver listens: not ready yet.
            (try? await TestHTTP.send(url + "/status"))?.status == 200
        }
    }

    /// Kills it: chromedriver ignores SIGTERM. Its browser is gone once the session ended.
    func stop() {
        process.kill()
        process.waitUntilExit()
    }
}

/// What went wrong talking to the browser.
public struct WebDriverError: Error, CustomStringConvertible {
    /// The driver's or the test's message.
    public var message: String
    /// The message.
    public var description: String { message }
}

/// One browser session: navigate, run scripts, find elements, press keys, take screenshots.
public struct WebDriverSession: Sendable {
    let base: String
    /// The W3C element reference key.
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    static func start(driverURL: String, width: Int, height: Int) async throws -> WebDriverSession {
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": Chromium.browser,
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=\(width),\(height)",
                            "--no-first-run", "--disable-extensions",
                        ],
                    ],
                ]
            ]
        ]
        let answer = try await call(driverURL + "/session", method: "POST", body: capabilities)
        guard let value = answer as? [String: Any], let id = value["sessionId"] as? String else {
            throw WebDriverError(message: "chromedriver did not open a session: \(String(describing: answer))")
        }
        return WebDriverSession(base: driverURL + "/session/" + id)
    }

    /// Ends the session (closes the browser).
    public func end() async {
        _ = try? await Self.call(base, method: "DELETE", body: nil)
    }

    /// Opens `url`.
    public func open(_ url: String) async throws {
        _ = try await command("/url", ["url": url])
    }

    /// Runs `script` (a function body; `arguments[0]`… are `args`) and returns its value.
    @discardableResult
    public func execute(_ script: String, _ args: [Any] = []) async throws -> Any? {
        try await command("/execute/sync", ["script": script, "args": args])
    }

    /// Runs an async script: its last argument is the callback to call with the result.
    @discardableResult
    public func executeAsync(_ script: String, _ args: [Any] = []) async throws -> Any? {
        try await command("/execute/async", ["script": script, "args": args])
    }

    /// The first element matching the CSS `selector`'s reference, or nil.
    public func find(_ selector: String) async throws -> String? {
        do {
            let value = try await command("/element", ["using": "css selector", "value": selector])
            return (value as? [String: Any])?[Self.elementKey] as? String
        } catch let error as WebDriverError where error.message.contains("no such element") {
            return nil
        }
    }

    /// Clicks the element matching `selector`.
    public func click(_ selector: String) async throws {
        guard let element = try await find(selector) else { throw WebDriverError(message: "no element matches \(selector)") }
        _ = try await command("/element/\(element)/click", [:])
    }

    /// Types `text` into the element matching `selector`.
    public func type(_ selector: String, _ text: String) async throws {
        guard let element = try await find(selector) else { throw WebDriverError(message: "no element matches \(selector)") }
        _ = try await command("/element/\(element)/value", ["text": text])
    }

    /// Presses and releases each key of `keys` on the keyboard, as a person would, wherever focus is.
    public func press(_ keys: String) async throws {
        let actions: [[String: Any]] = keys.flatMap { key in
            [["type": "keyDown", "value": String(key)], ["type": "keyUp", "value": String(key)]]
        }
        _ = try await command("/actions", ["actions": [["type": "key", "id": "keyboard", "actions": actions]]])
    }

    /// The page's address.
    public func currentURL() async throws -> String {
        (try await Self.call(base + "/url", method: "GET", body: nil) as? String) ?? ""
    }

    /// A PNG of the viewport.
    public func screenshot() async throws -> Data {
        guard let text = try await Self.call(base + "/screenshot", method: "GET", body: nil) as? String, let data = Data(base64Encoded: text) else {
            throw WebDriverError(message: "no screenshot")
        }
        return data
    }

    /// Sets the window's size.
    public func resize(width: Int, height: Int) async throws {
        _ = try await command("/window/rect", ["width": width, "height": height])
    }

    /// Waits (`waitUntil`, which records an issue at the caller when it runs out) until `script` (a function
    /// body) returns a truthy value, and returns it; when it runs out, the error names the last value and the page's error.
    @discardableResult
    public func waitFor(
        _ what: String, _ script: String, _ args: [Any] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Any {
        var last: Any?
        do {
            try await waitUntil(what, every: .milliseconds(100), sourceLocation: sourceLocation) {
                last = try await execute(script, args)
                return last.map(Self.isTruthy) ?? false
            }
            if let value = last { return value }
        } catch is WaitTimedOut {}
        let error = (try? await execute("return document.getElementById('error') && document.getElementById('error').textContent")) ?? nil
        throw WebDriverError(message: "timed out waiting for \(what) (last: \(String(describing: last)); page error: \(String(describing: error)))")
    }

    static func isTruthy(_ value: Any) -> Bool {
        switch value {
        case is NSNull: return false
        case let bool as Bool: return bool
        case let number as NSNumber: return number != 0
        case let text as String: return !text.isEmpty
        default: return true
        }
    }

    private func command(_ path: String, _ body: [String: Any]) async throws -> Any? {
        try await Self.call(base + path, method: "POST", body: body)
    }

    private static func call(_ url: String, method: String, body: [String: Any]?) async throws -> Any? {
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
        let response = try await TestHTTP.send(url, method: method, body: bytes)
        let object = try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed]) as? [String: Any]
        let value = object?["value"]
        guard (200..<300).contains(response.status) else {
            let message = ((value as? [String: Any])?["message"] as? String) ?? response.text
            let kind = ((value as? [String: Any])?["error"] as? String) ?? "error"
            throw WebDriverError(message: "\(method) \(url): \(response.status) \(kind): \(message)")
        }
        return value is NSNull ? nil : value
    }
}
