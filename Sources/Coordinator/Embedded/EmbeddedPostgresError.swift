/// Why the private PostgreSQL cluster could not be set up, started or stopped.
public enum EmbeddedPostgresError: Error, CustomStringConvertible {
    /// initdb/pg_ctl are not installed.
    case binariesNotFound
    /// We are root, PostgreSQL refuses root, and there is no account to run it as.
    case noServerAccount(reason: String)
    /// A helper program failed; its output says why.
    case commandFailed(command: String, output: String)
    /// The server did not come up; the tail of its log says why.
    case startFailed(log: String)
    /// A folder could not be created or handed to the server account.
    case folder(path: String, reason: String)
    /// A database name the launcher will not put into SQL.
    case badDatabaseName(String)

    /// What happened and what to do about it.
    public var description: String {
        switch self {
        case .binariesNotFound:
            return "PostgreSQL server programs (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin; "
                + "install them (Debian/Ubuntu: apt-get install postgresql) or pass --database-url"
        case .noServerAccount(let reason):
            return "PostgreSQL will not run as root and there is no 'postgres' account to run it as (\(reason)); "
                + "create one with `useradd --system --create-home postgres`, run siuo as a normal user, or pass --database-url"
        case .commandFailed(let command, let output):
            return "\(command) failed:\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .startFailed(let log):
            return "the embedded PostgreSQL server did not start; end of its log:\n\(log)"
        case .folder(let path, let reason):
            return "\(path): \(reason)"
        case .badDatabaseName(let name):
            return "database name \"\(name)\" may hold only a-z, 0-9 and _ (at most 63 characters)"
        }
    }
}
