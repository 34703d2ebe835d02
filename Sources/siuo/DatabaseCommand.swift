import ArgumentParser
import Coordinator
import Foundation

/// `siuo db …`: the embedded PostgreSQL cluster and the schema.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the database: the embedded cluster and schema migrations.",
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self, Migrate.self]
    )

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create (first time) and start the embedded cluster; a no-op when it runs.", discussion: SiuoExit.discussion())
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try requireEmbedded(database)
            let cluster = database.embedded
            let result = try await cluster.start()
            let pool = PostgresPool(url: cluster.url(), size: 1)
            try await Migrator(pool: pool).migrate()
            switch result {
            case .alreadyRunning: print("PostgreSQL is already running")
            case .started: print("PostgreSQL started")
            case .created: print("PostgreSQL cluster created and started")
            }
            print(cluster.url())
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster.", discussion: SiuoExit.discussion())
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try requireEmbedded(database)
            print(try await database.embedded.stop() ? "PostgreSQL stopped" : "PostgreSQL was not running")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether the embedded cluster exists and runs.", discussion: SiuoExit.discussion())
        @Flag(
            help:
                "Print one JSON document on stdout: state (not_created, stopped, running), directory, and when created data_directory, socket_directory, pid, url."
        )
        var json = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try requireEmbedded(database)
            let cluster = database.embedded
            let status = cluster.status()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                return print(String(decoding: try encoder.encode(StatusDocument(status, cluster: cluster)), as: UTF8.self))
            }
            switch status {
            case .notCreated:
                print("not created (\(cluster.directory)); `siuo db start` creates it")
            case .stopped(let details):
                print("stopped\ndata: \(details.dataDirectory)")
            case .running(let pid, let details):
                print("running (pid \(pid))\ndata: \(details.dataDirectory)\nsocket: \(details.socketDirectory)\nurl: \(cluster.url())")
            }
        }
    }

    /// `db status --json`: the embedded cluster's state; absent fields are null.
    struct StatusDocument: Encodable {
        var state: String
        var directory: String
        var dataDirectory: String?
        var socketDirectory: String?
        var pid: Int?
        var url: String?

        init(_ status: EmbeddedPostgres.Status, cluster: EmbeddedPostgres) {
            directory = cluster.directory
            switch status {
            case .notCreated:
                state = "not_created"
            case .stopped(let details):
                state = "stopped"
                dataDirectory = details.dataDirectory
                socketDirectory = details.socketDirectory
            case .running(let pid, let details):
                state = "running"
                dataDirectory = details.dataDirectory
                socketDirectory = details.socketDirectory
                self.pid = pid
                url = cluster.url()
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(state, forKey: .state)
            try container.encode(directory, forKey: .directory)
            try container.encode(dataDirectory, forKey: .dataDirectory)
            try container.encode(socketDirectory, forKey: .socketDirectory)
            try container.encode(pid, forKey: .pid)
            try container.encode(url, forKey: .url)
        }

        enum CodingKeys: String, CodingKey {
            case state, directory, pid, url, dataDirectory = "data_directory", socketDirectory = "socket_directory"
        }
    }

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url", abstract: "Print the database URL commands use.", discussion: SiuoExit.discussion())
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            print(database.explicitURL ?? database.embedded.url())
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending schema migrations (idempotent, safe to run concurrently).", discussion: SiuoExit.discussion())
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let url: String
            if let explicit = database.explicitURL {
                url = explicit
            } else {
                try await database.embedded.start()
                url = database.embedded.url()
            }
            let migrator = try Migrator(pool: PostgresPool(url: url, size: 1))
            let applied = try await migrator.migrate()
            if applied.isEmpty {
                print("schema is up to date (version \(migrator.latestVersion))")
            } else {
                for migration in applied { print("applied \(migration.version) \(migration.name)") }
            }
        }
    }
}

private func requireEmbedded(_ database: DatabaseOptions) throws {
    if database.explicitURL != nil {
        throw ValidationError("this command manages the embedded cluster; it does nothing with --database-url/SIUO_DATABASE_URL")
    }
}
