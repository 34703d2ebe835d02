import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`: stdin from /dev/null, stdout
/// and stderr as asked, every other descriptor closed, and its end seen
/// through `waitpid`.
///
/// Not `Foundation.Process`: on Linux its `run()` reads `/proc/self/fd`
/// entries past the end of their buffer and crashes the parent now and then
/// (a process with many descriptors open, a test run say, makes it likely;
/// fixed in swift-corelibs-foundation after Swift 6.3.1).
public final class SpawnedProcess: @unchecked Sendable {
    /// Where the child's stdout or stderr goes.
    public enum Output: Sendable {
        /// Nowhere (/dev/null).
        case discard
        /// A file, created or truncated.
        case file(String)
        /// A pipe whose read end is `standardOutput` / `standardError`.
        case pipe
        /// Wherever stdout goes (for stderr: the two merged).
        case sameAsStdout
    }

    /// The child's process id.
    public let pid: pid_t
    /// The read end of its stdout, when it goes to a pipe.
    public let standardOutput: FileHandle?
    /// The read end of its stderr, when it goes to a pipe.
    public let standardError: FileHandle?
    /// Its exit status once reaped; reaped under the lock, so once.
    private let exit = Mutex<Int32?>(nil)
    /// Which of stdout and stderr a reader thread already reads.
    private let reading = Mutex<Set<Int32>>([])

    /// Starts `executable` (a path) with `arguments` and exactly `environment`,
    /// in `workingDirectory` when given (else ours).
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String], stdout: Output, stderr: Output,
        workingDirectory: String? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var parentEnds: [Int32?] = [nil, nil]
        var childEnds: [Int32] = []
        defer { childEnds.forEach { close($0) } }
        for (index, output) in [stdout, stderr].enumerated() {
            let target = Int32(index + 1)
            switch output {
            case .discard:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .pipe:
                var ends: [Int32] = [0, 0]
                guard pipe(&ends) == 0 else {
                    parentEnds.compactMap { $0 }.forEach { close($0) }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE)
                }
                parentEnds[index] = ends[0]
                childEnds.append(ends[1])
                posix_spawn_file_actions_adddup2(&actions, ends[1], target)
            case .sameAsStdout:
                posix_spawn_file_actions_adddup2(&actions, 1, target)
            }
        }
        Self.closeInheritedDescriptors(&actions)
        if let workingDirectory { Self.changeDirectory(&actions, to: workingDirectory) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            parentEnds.compactMap { $0 }.forEach { close($0) }
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL)
        }
        self.pid = pid
        standardOutput = parentEnds[0].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        standardError = parentEnds[1].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
    }

    /// Whether it still runs (reaping it when it has ended).
    public var isRunning: Bool { reap(waiting: false) == nil }

    /// Sends SIGTERM if it still runs; returns at once.
    public func terminate() {
        if isRunning { Glibc.kill(pid, SIGTERM) }
    }

    /// Sends SIGKILL if it still runs; returns at once.
    public func kill() {
        if isRunning { Glibc.kill(pid, SIGKILL) }
    }

    /// Waits for its end (blocking the calling thread); returns its exit status.
    @discardableResult
    public func waitUntilExit() -> Int32 {
        reap(waiting: true) ?? 255
    }

    /// Blocks (never on Swift's cooperative pool) until the child's first
    /// stdout line, its end of output, or `seconds`; returns what arrived and
    /// from then on drains stdout, so the child never blocks on a full pipe.
    public func firstLine(within seconds: TimeInterval) -> String {
        guard let output = standardOutput else { return "" }
        let collector = LineCollector()
        guard startReading(output, into: collector) else { return "" }
        return collector.wait(seconds: seconds)
    }

    /// Drains the child's piped stdout and stderr (those no reader reads
    /// yet) until it closes them, so it never blocks on a full pipe.
    public func drainOutput() {
        for handle in [standardOutput, standardError].compactMap({ $0 }) { startReading(handle, into: nil) }
    }

    /// The loopback URL (`http://127.0.0.1:PORT`) a child announced in `line`, if any.
    public static func loopbackURL(in line: String) -> String? {
        line.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression).map { String(line[$0]) }
    }

    /// Reads `handle`'s pipe on a thread of its own until end of file, giving
    /// `collector` what arrives until it has its line, and dropping the rest.
    /// The thread reads a duplicate of the descriptor and closes it at the
    /// end, so the handle may close at any time. Answers whether this call
    /// started the reader (a pipe has one at most).
    ///
    /// Not `FileHandle.readabilityHandler`: the dispatch read sources behind
    /// it crashed the test process in libdispatch's event loop
    /// (`_dispatch_event_loop_drain`) while tests killed children and their
    /// pipes closed.
    @discardableResult
    private func startReading(_ handle: FileHandle, into collector: LineCollector?) -> Bool {
        let started = reading.withLock { $0.insert(handle.fileDescriptor).inserted }
        guard started else { return false }
        let descriptor = dup(handle.fileDescriptor)
        guard descriptor >= 0 else {
            collector?.append(Data())
            return true
        }
        let thread = Thread {
            var collector = collector
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                if let wanting = collector, !wanting.append(Data(buffer[0..<count])) { collector = nil }
            }
            close(descriptor)
            collector?.append(Data())
        }
        thread.name = "siuo-pipe-reader"
        thread.start()
        return true
    }

    /// A `waitpid` status as a shell reports it: the exit code, or 128 + the signal.
    public static func exitStatus(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + status & 0x7f
    }

    private func reap(waiting: Bool) -> Int32? {
        if waiting, exit.withLock({ $0 }) == nil {
            // Wait for the end without reaping it, outside the lock: meanwhile `kill()`,
            // `terminate()` and `isRunning` still work (a thread waiting here must not keep
            // another from stopping the child), and the child stays waitable for the reap below.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        }
        return exit.withLock { exit in
            if let exit { return exit }
            var status: Int32 = 0
            var reaped: pid_t
            repeat { reaped = waitpid(pid, &status, waiting ? 0 : WNOHANG) } while reaped == -1 && errno == EINTR
            guard reaped == pid else { return reaped == -1 ? 255 : nil }
            exit = Self.exitStatus(status)
            return exit
        }
    }

    /// The child starts in `directory` (glibc 2.29's `posix_spawn_file_actions_addchdir_np`,
    /// looked up at run time like `closefrom`; without it, ours).
    private static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, to directory: String) {
        typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addchdir_np") else { return }
        _ = unsafeBitCast(symbol, to: ChangeDirectory.self)(&actions, directory)
    }

    /// Every descriptor from 3 up closes in the child: glibc 2.34's
    /// `posix_spawn_file_actions_addclosefrom_np` (looked up at run time: the
    /// Glibc module does not declare it), else the ones /proc lists as open.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np"),
            unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3) == 0
        {
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 && fcntl(descriptor, F_GETFD) >= 0 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }
}
