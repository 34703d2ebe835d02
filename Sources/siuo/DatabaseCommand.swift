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
        static let configuration = CommandConfiguration(abstract: "Create (first time) and start the embedded cluster; a no-op when it runs.")
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
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try requireEmbedded(database)
            print(try await database.embedded.stop() ? "PostgreSQL stopped" : "PostgreSQL was not running")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether the embedded cluster exists and runs.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try requireEmbedded(database)
            let cluster = database.embedded
            switch cluster.status() {
            case .notCreated:
                print("not created (\(cluster.directory)); `siuo db start` creates it")
            case .stopped(let details):
                print("stopped\ndata: \(details.dataDirectory)")
            case .running(let pid, let details):
                print("running (pid \(pid))\ndata: \(details.dataDirectory)\nsocket: \(details.socketDirectory)\nurl: \(cluster.url())")
            }
        }
    }

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "url", abstract: "Print the database URL commands use.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            print(database.explicitURL ?? database.embedded.url())
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending schema migrations (idempotent, safe to run concurrently).")
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
