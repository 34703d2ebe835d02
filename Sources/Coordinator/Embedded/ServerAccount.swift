import Foundation

/// The OS account the server runs as: ourselves, or `postgres` when we are
/// root (initdb and postgres refuse to run as root).
struct ServerAccount: Sendable {
    /// The account's name when it is not ourselves.
    var userName: String?
    var uid: uid_t
    var gid: gid_t

    var runner: CommandRunner { CommandRunner(runAsUser: userName) }

    static func current() throws -> ServerAccount {
        guard geteuid() == 0 else {
            return ServerAccount(userName: nil, uid: geteuid(), gid: getegid())
        }
        if let account = lookUp("postgres") { return account }
        // Debian's postgresql package creates the account; without it, make one.
        let outcome = try? CommandRunner().run(
            "/usr/sbin/useradd", ["--system", "--user-group", "--home-dir", "/var/lib/postgresql", "--shell", "/bin/sh", "postgres"])
        if let account = lookUp("postgres") { return account }
        throw EmbeddedPostgresError.noServerAccount(
            reason: outcome.map { $0.output.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "useradd is not available")
    }

    private static func lookUp(_ name: String) -> ServerAccount? {
        guard let entry = getpwnam(name) else { return nil }
        return ServerAccount(userName: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// Creates `path` (and its parents) owned by this account, mode 0700.
    func makePrivateFolder(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw EmbeddedPostgresError.folder(path: path, reason: "cannot create: \(error.localizedDescription)")
        }
        if userName != nil, chown(path, uid, gid) != 0 {
            throw EmbeddedPostgresError.folder(path: path, reason: "cannot hand to the postgres account: \(String(cString: strerror(errno)))")
        }
        chmod(path, 0o700)
    }

    /// Whether this account can create files in `path` (we are root, it may not
    /// be able to pass through a parent such as a private home folder).
    func canWrite(_ path: String) -> Bool {
        guard userName != nil else { return true }
        return (try? runner.run("/usr/bin/test", ["-w", path]).succeeded) ?? false
    }
}
