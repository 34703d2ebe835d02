import Foundation
import Shared
import SiuoTestSupport
import Testing
import Yams

/// The deployment files under `deploy/` (Dockerfile, compose, Kubernetes,
/// systemd) against the `siuo` binary they run: every YAML file parses, every
/// `siuo <subcommand> --flag` they use is a flag of the built binary, ports,
/// probe paths, environment variables and stop timeouts agree with what the
/// binary does. No Docker or cluster needed.
@Suite struct DeployFilesTests {
    /// The port every deployment gives the coordinator's `--listen`.
    static let coordinatorPort = 8080

    /// What a stop timeout must leave after `--grace`: the 15 s bound on reporting
    /// results and releases in `WorkerService.run`. The lease request a worker may
    /// still have in flight first (≤ 2 s, `WorkerSettings.leaseWait`) is not part of it.
    static let workerShutdownTail = 15.0

    // MARK: - YAML

    @Test func everyYAMLFileParses() throws {
        let files = DeployFiles.all(withExtensions: ["yaml", "yml"])
        #expect(files.count >= 8, "expected compose and Kubernetes files under deploy/, found \(files)")
        for file in files {
            let documents = try DeployFiles.documents(file)
            #expect(!documents.isEmpty, "\(file): no YAML document")
        }
    }

    @Test func everyKubernetesDocumentNamesItsKindAndName() throws {
        for file in DeployFiles.all(withExtensions: ["yaml"], under: "k8s") where !file.hasSuffix("kustomization.yaml") {
            for document in try DeployFiles.documents(file) {
                #expect(document.string("apiVersion") != nil, "\(file): a document without apiVersion")
                #expect(document.string("kind") != nil, "\(file): a document without kind")
                #expect(document.string("metadata", "name") != nil, "\(file): a document without metadata.name")
            }
        }
    }

    @Test func kustomizationListsFilesThatExistButNotTheExampleSecret() throws {
        let file = DeployFiles.path("k8s/kustomization.yaml")
        let resources = try #require(try DeployFiles.documents(file).first?.array("resources")).compactMap { $0 as? String }
        #expect(!resources.isEmpty)
        for resource in resources {
            #expect(FileManager.default.fileExists(atPath: DeployFiles.path("k8s/" + resource)), "kustomization lists missing \(resource)")
        }
        #expect(!resources.contains("secret-example.yaml"), "placeholder Secrets must not be applied with the rest")
    }

    // MARK: - Dockerfile

    @Test func dockerfileBuildsStaticallyAndRunsAsNonRoot() throws {
        let text = try String(contentsOfFile: DeployFiles.path("Dockerfile"), encoding: .utf8)
        let lines = DeployFiles.dockerInstructions(text)
        let stages = lines.indices.filter { lines[$0].uppercased().hasPrefix("FROM ") }
        #expect(stages.count >= 2, "a multi-stage build")
        let runtime = lines[(stages.last ?? 0)...]
        let build = lines[..<(stages.last ?? 0)]

        #expect(
            build.contains {
                $0.contains("swift build") && $0.contains("-c release") && $0.contains("--static-swift-stdlib") && $0.contains("--product siuo")
            })
        for package in ["libpq-dev", "libcurl4-openssl-dev", "pkg-config"] {
            #expect(build.contains { $0.contains(package) }, "the build stage installs \(package)")
        }

        let users = runtime.filter { $0.uppercased().hasPrefix("USER ") }
        let user = try #require(users.last, "the runtime stage sets USER")
        let name = user.dropFirst(5).split(separator: ":").first.map(String.init) ?? ""
        #expect(!["root", "0", ""].contains(name), "USER \(name) is root")
        #expect(runtime.contains { $0.replacingOccurrences(of: " ", with: "") == #"ENTRYPOINT["siuo"]"# })
        #expect(runtime.contains { $0 == "EXPOSE \(Self.coordinatorPort)" })
        for package in ["libpq5", "libcurl4", "ca-certificates"] {
            #expect(runtime.contains { $0.contains(package) }, "the runtime stage installs \(package)")
        }
        #expect(!runtime.contains { $0.contains("-dev") && $0.contains("install") }, "no -dev packages at runtime")
        // The migrations are a SwiftPM resource bundle that Bundle.module
        // finds beside the executable: without it the binary cannot migrate.
        #expect(build.contains { $0.contains(".resources") }, "the build stage stages the resource bundle")
        #expect(runtime.contains { $0.hasPrefix("COPY --from=") && $0.contains("/usr/local/bin") }, "binary and bundle copied side by side")
    }

    @Test func dockerignoreKeepsBuildOutputAndStateOut() throws {
        let text = try String(contentsOfFile: RepositoryPaths.root + "/.dockerignore", encoding: .utf8)
        let entries = Set(
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") }
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "/")) })
        for entry in [".build", ".siuo", ".git"] {
            #expect(entries.contains(entry), ".dockerignore lacks \(entry)")
        }
    }

    // MARK: - Flags

    @Test func everyFlagUsedIsAFlagOfTheBinary() throws {
        guard SiuoProcess.requireBinary() else { return }
        let invocations = try Invocation.all()
        let commands = Set(invocations.map { $0.command.joined(separator: " ") })
        for expected in ["coordinator", "worker", "db migrate", "mock-provider"] {
            #expect(commands.contains(expected), "no deployment runs siuo \(expected); found \(commands.sorted())")
        }
        var flagsByCommand: [[String]: Set<String>] = [:]
        for invocation in invocations {
            if flagsByCommand[invocation.command] == nil {
                flagsByCommand[invocation.command] = try HelpText.flags(of: invocation.command)
            }
            let known = flagsByCommand[invocation.command] ?? []
            #expect(!known.isEmpty, "siuo \(invocation.command.joined(separator: " ")) --help lists no flags")
            for flag in invocation.flags.keys {
                #expect(
                    known.contains(flag),
                    "\(invocation.origin): siuo \(invocation.command.joined(separator: " ")) has no \(flag) (it has \(known.sorted()))")
            }
        }
    }

    @Test func theHelpParserSeesRealFlags() throws {
        guard SiuoProcess.requireBinary() else { return }
        let worker = try HelpText.flags(of: ["worker"])
        #expect(worker.isSuperset(of: ["--coordinator", "--concurrency", "--grace", "--worker-token-file"]))
        #expect(!worker.contains("--no-such-flag"))
        #expect(throws: (any Error).self) { try HelpText.flags(of: ["no-such-subcommand"]) }
    }

    // MARK: - Ports

    @Test func coordinatorListensOnThePortEverythingElseUses() throws {
        let port = Self.coordinatorPort
        let invocations = try Invocation.all()
        let coordinators = invocations.filter { $0.command == ["coordinator"] }
        #expect(coordinators.count == 3, "compose, Kubernetes and systemd each run a coordinator")
        for coordinator in coordinators {
            let listen = try #require(coordinator.flags["--listen"] ?? nil, "\(coordinator.origin): no --listen (the default is loopback only)")
            #expect(listen == "0.0.0.0:\(port)", "\(coordinator.origin): --listen \(listen)")
        }
        // Workers reach the coordinator at that port.
        for worker in invocations where worker.command == ["worker"] {
            guard let url = worker.flags["--coordinator"] ?? nil else { continue }
            #expect(URLComponents(string: url)?.port == port, "\(worker.origin): --coordinator \(url)")
        }
        let workerEnv = try DeployFiles.environmentFile(DeployFiles.path("systemd/worker.env.example"))
        let systemdURL = try #require(workerEnv["SIUO_COORDINATOR_URL"])
        #expect(URLComponents(string: systemdURL)?.port == port)
    }

    @Test func composePortsAndHealthcheckMatchTheListenPort() throws {
        let compose = try #require(try DeployFiles.documents(DeployFiles.path("compose.yaml")).first)
        let coordinator = try #require(compose.dictionary("services", "coordinator"))
        let ports = (coordinator["ports"] as? [Any] ?? []).compactMap { $0 as? String }
        #expect(!ports.isEmpty)
        for mapping in ports {
            #expect(mapping.split(separator: ":").last.map(String.init) == "\(Self.coordinatorPort)", "ports: \(mapping)")
        }
        let check = (coordinator.array("healthcheck", "test") ?? []).compactMap { $0 as? String }.joined(separator: " ")
        #expect(check.contains("/dev/tcp/127.0.0.1/\(Self.coordinatorPort)") && check.contains("/readyz"), "healthcheck: \(check)")
    }

    @Test func kubernetesPortsProbesAndServiceMatchTheListenPort() throws {
        let port = Self.coordinatorPort
        let deployment = try #require(try DeployFiles.kubernetes(kind: "Deployment", name: "siuo-coordinator"))
        let container = try #require(deployment.containers.first)
        let containerPorts = (container.array("ports") ?? []).compactMap { $0 as? [String: Any] }
        #expect(containerPorts.map { $0.int("containerPort") } == [port])
        let portNames = Dictionary(
            uniqueKeysWithValues: containerPorts.compactMap { entry in entry.string("name").map { ($0, entry.int("containerPort") ?? -1) } })
        func resolve(_ value: Any?) -> Int? {
            if let number = value as? Int { return number }
            if let name = value as? String { return portNames[name] ?? Int(name) }
            return nil
        }
        #expect(resolve(container.value("readinessProbe", "httpGet", "port")) == port)
        #expect(resolve(container.value("livenessProbe", "httpGet", "port")) == port)
        #expect(container.string("readinessProbe", "httpGet", "path") == "/readyz")
        #expect(container.string("livenessProbe", "httpGet", "path") == "/healthz")
        // Migrations may hold a starting coordinator on another replica's lock: the startup probe
        // allows minutes before liveness counts.
        #expect(resolve(container.value("startupProbe", "httpGet", "port")) == port)
        #expect(container.string("startupProbe", "httpGet", "path") == "/healthz")
        let startupBudget = (container.int("startupProbe", "periodSeconds") ?? 10) * (container.int("startupProbe", "failureThreshold") ?? 3)
        #expect(startupBudget >= 300, "startup probe allows \(startupBudget) s")
        // Drain: a preStop pause, then --drain-seconds of 503 from /readyz, inside the grace period.
        let preStop = container.int("lifecycle", "preStop", "sleep", "seconds") ?? 0
        #expect(preStop > 0)
        let coordinatorArgs = (container.array("args") ?? []).map { "\($0)" }
        let drain = try #require(Int((Invocation(origin: "coordinator", words: coordinatorArgs).flags["--drain-seconds"] ?? nil) ?? ""))
        #expect(drain > 0)
        let grace = deployment.int("spec", "template", "spec", "terminationGracePeriodSeconds") ?? 30
        #expect(
            grace >= preStop + drain + 20,
            "terminationGracePeriodSeconds \(grace) must cover preStop \(preStop) + drain \(drain) + requests finishing")

        let annotations = try #require(deployment.dictionary("spec", "template", "metadata", "annotations"))
        #expect(annotations.string("prometheus.io/scrape") == "true")
        #expect(annotations.string("prometheus.io/port") == "\(port)")
        #expect(annotations.string("prometheus.io/path") == "/metrics")

        let service = try #require(try DeployFiles.kubernetes(kind: "Service", name: "siuo-coordinator"))
        let servicePorts = (service.array("spec", "ports") ?? []).compactMap { $0 as? [String: Any] }
        #expect(servicePorts.count == 1)
        #expect(resolve(servicePorts.first?.value("targetPort")) == port)
        #expect(
            service.dictionary("spec", "selector")?.string("app.kubernetes.io/name")
                == deployment.dictionary("spec", "template", "metadata", "labels")?.string("app.kubernetes.io/name"))
        // Workers name the Service and its port.
        let worker = try #require(try DeployFiles.kubernetes(kind: "Deployment", name: "siuo-worker"))
        let args = (worker.containers.first?.array("args") ?? []).compactMap { $0 as? String }
        let url = try #require(Invocation(origin: "worker", words: args).flags["--coordinator"] ?? nil)
        #expect(URLComponents(string: url)?.host == "siuo-coordinator")
        #expect(URLComponents(string: url)?.port == servicePorts.first?.int("port"))
    }

    @Test func workersAreProbedAndScrapedOnTheirMetricsPort() throws {
        let worker = try #require(try DeployFiles.kubernetes(kind: "Deployment", name: "siuo-worker"))
        let container = try #require(worker.containers.first)
        let args = (container.array("args") ?? []).map { "\($0)" }
        let listen = try #require((Invocation(origin: "worker", words: args).flags["--metrics-listen"] ?? nil))
        let port = try #require(Int(listen.split(separator: ":").last ?? ""))
        let ports = (container.array("ports") ?? []).compactMap { $0 as? [String: Any] }
        let named = try #require(ports.first { $0.int("containerPort") == port }?.string("name"))
        for probe in ["readinessProbe", "livenessProbe"] {
            #expect(container.string(probe, "httpGet", "port") == named || container.int(probe, "httpGet", "port") == port, "\(probe)")
        }
        #expect(container.string("readinessProbe", "httpGet", "path") == "/readyz")
        #expect(container.string("livenessProbe", "httpGet", "path") == "/healthz")
        #expect(worker.string("spec", "template", "metadata", "annotations", "prometheus.io/port") == String(port))
        // The PodMonitor scrapes both parts by their port names.
        let monitor = try #require(try DeployFiles.kubernetes(kind: "PodMonitor", name: "siuo"))
        let endpoints = (monitor.array("spec", "podMetricsEndpoints") ?? []).compactMap { $0 as? [String: Any] }
        #expect(Set(endpoints.compactMap { $0.string("port") }) == ["http", named])
        #expect(endpoints.allSatisfy { $0.string("path") == "/metrics" })
        #expect(monitor.string("spec", "selector", "matchLabels", "app.kubernetes.io/part-of") == "siuo-sweep")
    }

    @Test func networkPoliciesDenyByDefaultAndOpenOnlyWhatEachPartUses() throws {
        let policies = try DeployFiles.documents(DeployFiles.path("k8s/network-policies.yaml"))
        let deny = try #require(policies.first { $0.string("metadata", "name") == "siuo-default-deny" })
        #expect((deny.dictionary("spec", "podSelector") ?? ["x": 1]).isEmpty, "the default deny selects every pod")
        #expect(Set((deny.array("spec", "policyTypes") ?? []).map { "\($0)" }) == ["Ingress", "Egress"])
        #expect(deny.array("spec", "ingress") == nil && deny.array("spec", "egress") == nil)
        func policy(for name: String) throws -> [String: Any] {
            try #require(policies.first { $0.string("spec", "podSelector", "matchLabels", "app.kubernetes.io/name") == name }, "\(name)")
        }
        func ports(_ rules: [Any]?) -> Set<Int> {
            Set(
                (rules ?? []).compactMap { $0 as? [String: Any] }.flatMap {
                    ($0.array("ports") ?? []).compactMap { ($0 as? [String: Any])?.int("port") }
                })
        }
        #expect(ports(try policy(for: "siuo-coordinator").array("spec", "ingress")) == [Self.coordinatorPort])
        #expect(ports(try policy(for: "siuo-coordinator").array("spec", "egress")) == [5432])
        #expect(ports(try policy(for: "siuo-worker").array("spec", "ingress")) == [9090])
        #expect(ports(try policy(for: "siuo-worker").array("spec", "egress")) == [Self.coordinatorPort, 443])
        #expect(ports(try policy(for: "siuo-migrate").array("spec", "egress")) == [5432])
        #expect(try policy(for: "siuo-migrate").array("spec", "ingress") == nil)
        // Every workload is selected by its policy (the labels agree).
        for workload in try DeployFiles.kubernetesWorkloads() {
            let name = workload.string("spec", "template", "metadata", "labels", "app.kubernetes.io/name") ?? ""
            _ = try policy(for: name)
        }
        let resources = (try DeployFiles.documents(DeployFiles.path("k8s/kustomization.yaml")).first?.array("resources") ?? []).map { "\($0)" }
        #expect(resources.contains("network-policies.yaml"))
        #expect(!resources.contains("podmonitor.yaml"), "the PodMonitor needs the Prometheus Operator's CRDs")
    }

    @Test func tokensAreFilesFromSecretsAndCredentialsNotEnvironment() throws {
        let secrets = try DeployFiles.documents(DeployFiles.path("k8s/secret-example.yaml"))
        for name in ["siuo-coordinator", "siuo-worker"] {
            let deployment = try #require(try DeployFiles.kubernetes(kind: "Deployment", name: name))
            let container = try #require(deployment.containers.first)
            let env = (container.array("env") ?? []).compactMap { ($0 as? [String: Any])?.string("name") }
            #expect(!env.contains { $0.hasSuffix("_TOKEN") }, "\(name): tokens in the environment")
            let files = EnvironmentUse.tokenFiles(words: (container.array("args") ?? []).map { "\($0)" })
            #expect(files.keys.contains("SIUO_WORKER_TOKEN"))
            #expect(files.keys.contains("SIUO_ADMIN_TOKEN") == (name == "siuo-coordinator"))
            let mounts = (container.array("volumeMounts") ?? []).compactMap { $0 as? [String: Any] }
            let volumes = (deployment.array("spec", "template", "spec", "volumes") ?? []).compactMap { $0 as? [String: Any] }
            for path in files.values {
                let folder = (path as NSString).deletingLastPathComponent
                let mount = try #require(mounts.first { $0.string("mountPath") == folder }, "\(name): nothing mounted at \(folder)")
                #expect(mount.value("readOnly") as? Bool == true)
                let volume = try #require(volumes.first { $0.string("name") == mount.string("name") })
                let secretName = try #require(volume.string("secret", "secretName"))
                let items = (volume.array("secret", "items") ?? []).compactMap { $0 as? [String: Any] }
                let item = try #require(items.first { $0.string("path") == (path as NSString).lastPathComponent }, "\(name): \(path)")
                let secret = secrets.first { $0.string("metadata", "name") == secretName }
                #expect(secret?.dictionary("stringData")?[item.string("key") ?? ""] != nil, "\(name): \(secretName)/\(item.string("key") ?? "")")
                #expect(deployment.int("spec", "template", "spec", "securityContext", "fsGroup") != nil, "\(name): the 0440 file needs fsGroup")
            }
        }
        for unit in ["siuo-coordinator.service", "siuo-worker@.service"] {
            let settings = try DeployFiles.unitSettings(DeployFiles.path("systemd/" + unit))
            let credentials = Set((settings["LoadCredential"] ?? []).compactMap { $0.split(separator: ":").first.map(String.init) })
            let words = (settings["ExecStart"] ?? []).flatMap { $0.split(separator: " ").map(String.init) }
            let files = EnvironmentUse.tokenFiles(words: words)
            #expect(!files.isEmpty, "\(unit)")
            for path in files.values {
                #expect(path.hasPrefix("${CREDENTIALS_DIRECTORY}/"), "\(unit): \(path)")
                #expect(credentials.contains((path as NSString).lastPathComponent), "\(unit): \(path) is not a LoadCredential")
            }
        }
        for file in ["siuo.env.example", "worker.env.example"] {
            let names = try DeployFiles.environmentFile(DeployFiles.path("systemd/" + file)).keys
            #expect(!names.contains { $0.hasSuffix("_TOKEN") }, "\(file): tokens belong in credentials")
        }
    }

    @Test func theDashboardQueriesOnlyMetricsTheCodeEmits() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: DeployFiles.path("grafana/siuo-dashboard.json")))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = (dashboard.array("panels") ?? []).compactMap { $0 as? [String: Any] }
        let expressions = panels.flatMap { ($0.array("targets") ?? []).compactMap { ($0 as? [String: Any])?.string("expr") } }
        #expect(expressions.count >= 20)
        // Every siuo_ name a source file writes as a literal, and Hummingbird's route metrics as renamed.
        var emitted = try SourceNames.metricNames()
        emitted.formUnion([
            "siuo_http_requests_total", "siuo_http_request_errors_total", "siuo_http_request_duration_seconds", "siuo_http_active_requests",
        ])
        let used = Set(
            expressions.flatMap { expression in
                expression.matches(of: #/siuo_[a-z_]+/#).map { match in
                    String(match.output).replacing(#/_(bucket|sum|count)$/#, with: "")
                }
            })
        #expect(!used.isEmpty)
        for name in used { #expect(emitted.contains(name), "the dashboard queries \(name), which nothing emits") }
        // The database-derived gauges are aggregated with max, never summed across replicas.
        for expression in expressions where expression.contains("scope=\"cluster\"") {
            #expect(expression.hasPrefix("max") || expression.hasPrefix("min"), "\(expression)")
        }
        // The sections the operators look for.
        let rows = Set(panels.filter { $0.string("type") == "row" }.compactMap { $0.string("title") })
        #expect(rows.isSuperset(of: ["Sweeps", "Endpoints", "Rate limits", "Workers", "Coordinator API and errors"]))
    }

    @Test func probePathsAreTheCoordinatorsPublicRoutes() throws {
        let routes = try String(contentsOfFile: RepositoryPaths.root + "/Sources/Coordinator/API/HealthRoutes.swift", encoding: .utf8)
        for path in ["/healthz", "/readyz", "/metrics"] {
            #expect(routes.contains("\"\(path)\", .public"), "\(path) is not a public route of the coordinator")
        }
    }

    // MARK: - Environment

    @Test func environmentVariablesAreOnesTheBinaryReads() throws {
        let read = try SourceNames.siuoEnvironment()
        #expect(read.isSuperset(of: ["SIUO_DATABASE_URL", "SIUO_WORKER_TOKEN", "SIUO_ADMIN_TOKEN", "SIUO_COORDINATOR_URL"]), "read: \(read)")
        let providerKeys = try SourceNames.providerKeyDefaults()
        #expect(providerKeys == ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"])
        for (origin, names) in try EnvironmentUse.all() {
            for name in names {
                if name.hasPrefix("SIUO_") {
                    #expect(read.contains(name), "\(origin): \(name) is not read by siuo (it reads \(read.sorted()))")
                } else {
                    #expect(providerKeys.contains(name), "\(origin): \(name) is neither a SIUO_ setting nor a default api_key_env")
                }
            }
        }
    }

    @Test func eachPartGetsTheSecretsItNeedsAndNoMore() throws {
        let uses = try EnvironmentUse.byRole()
        for (origin, names) in uses.coordinators {
            #expect(names.isSuperset(of: ["SIUO_DATABASE_URL", "SIUO_WORKER_TOKEN", "SIUO_ADMIN_TOKEN"]), "\(origin): \(names)")
            #expect(
                names.isDisjoint(with: ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"]),
                "\(origin): the coordinator never sees a key")
        }
        for (origin, names) in uses.workers {
            #expect(names.contains("SIUO_WORKER_TOKEN"), "\(origin): \(names)")
            #expect(
                names.isDisjoint(with: ["SIUO_DATABASE_URL", "SIUO_ADMIN_TOKEN"]),
                "\(origin): a worker needs neither the database nor the admin token")
        }
        #expect(uses.coordinators.count == 3 && uses.workers.count == 3)
    }

    @Test func kubernetesSecretReferencesExistInTheExample() throws {
        let secrets = try DeployFiles.documents(DeployFiles.path("k8s/secret-example.yaml")).filter { $0.string("kind") == "Secret" }
        var keys: [String: Set<String>] = [:]
        for secret in secrets {
            let data = secret.dictionary("stringData") ?? [:]
            keys[secret.string("metadata", "name") ?? ""] = Set(data.keys)
            for (key, value) in data {
                #expect((value as? String)?.contains("CHANGE_ME") == true, "secret-example \(key) must be a placeholder")
            }
        }
        for document in try DeployFiles.kubernetesWorkloads() {
            for container in document.containers {
                for entry in (container.array("env") ?? []).compactMap({ $0 as? [String: Any] }) {
                    guard let reference = entry.dictionary("valueFrom", "secretKeyRef") else { continue }
                    let name = reference.string("name") ?? ""
                    let key = reference.string("key") ?? ""
                    #expect(
                        keys[name]?.contains(key) == true,
                        "\(document.string("metadata", "name") ?? ""): secret \(name)/\(key) not in secret-example.yaml")
                }
                for entry in (container.array("envFrom") ?? []).compactMap({ $0 as? [String: Any] }) {
                    guard let name = entry.string("secretRef", "name") else { continue }
                    #expect(keys[name] != nil, "envFrom secret \(name) not in secret-example.yaml")
                }
            }
        }
    }

    @Test func composeRequiresItsSecrets() throws {
        let text = try String(contentsOfFile: DeployFiles.path("compose.yaml"), encoding: .utf8)
        for name in ["POSTGRES_PASSWORD", "SIUO_WORKER_TOKEN", "SIUO_ADMIN_TOKEN"] {
            #expect(text.contains("${\(name):?"), "compose.yaml must fail without \(name)")
        }
        let compose = try #require(try DeployFiles.documents(DeployFiles.path("compose.yaml")).first)
        let services = try #require(compose.dictionary("services"))
        #expect(Set(services.keys).isSuperset(of: ["postgres", "migrate", "coordinator", "worker", "mock-provider"]))
        let postgresCheck = (services.dictionary("postgres")?.array("healthcheck", "test") ?? []).compactMap { $0 as? String }
        #expect(postgresCheck.joined(separator: " ").contains("pg_isready"))
        let needs = services.dictionary("coordinator")?.dictionary("depends_on")
        #expect(needs?.string("postgres", "condition") == "service_healthy")
        #expect(needs?.string("migrate", "condition") == "service_completed_successfully")
        #expect((services.dictionary("mock-provider")?.array("profiles") as? [String]) == ["mock"])
        #expect(services.dictionary("worker")?["ports"] == nil, "workers publish no port, so they scale")
    }

    // MARK: - Stopping

    @Test func workersGetLongerThanTheirGraceToStop() throws {
        let defaultGrace = try HelpText.defaultGrace()
        let workers = try Invocation.all().filter { $0.command == ["worker"] }
        #expect(workers.count == 3)
        for worker in workers {
            let grace = try (worker.flags["--grace"] ?? nil).map { try #require(Double($0), "\(worker.origin): --grace \($0)") } ?? defaultGrace
            let stop = try #require(try StopTimeouts.of(worker.origin), "\(worker.origin): no stop timeout")
            #expect(stop > grace, "\(worker.origin): stop timeout \(stop) s must exceed --grace \(grace) s")
            #expect(
                stop >= grace + Self.workerShutdownTail, "\(worker.origin): stop timeout \(stop) s leaves no time to report after --grace \(grace) s")
        }
    }

    @Test func durationsParse() {
        #expect(StopTimeouts.seconds("45s") == 45)
        #expect(StopTimeouts.seconds("1m30s") == 90)
        #expect(StopTimeouts.seconds("2min 5s") == 125)
        #expect(StopTimeouts.seconds("45") == 45)
        #expect(StopTimeouts.seconds("500ms") == 0.5)
        #expect(StopTimeouts.seconds("soon") == nil)
    }

    // MARK: - Hardening

    @Test func kubernetesContainersAreLockedDown() throws {
        let workloads = try DeployFiles.kubernetesWorkloads()
        #expect(workloads.count == 3, "coordinator, worker, migrate")
        for workload in workloads {
            let name = workload.string("metadata", "name") ?? ""
            let pod = workload.dictionary("spec", "template", "spec") ?? [:]
            #expect(pod.value("securityContext", "runAsNonRoot") as? Bool == true, "\(name): runAsNonRoot")
            for container in workload.containers {
                #expect(container.value("securityContext", "readOnlyRootFilesystem") as? Bool == true, "\(name): readOnlyRootFilesystem")
                #expect(container.value("securityContext", "allowPrivilegeEscalation") as? Bool == false, "\(name): allowPrivilegeEscalation")
                #expect(
                    container.dictionary("resources", "requests") != nil && container.dictionary("resources", "limits") != nil, "\(name): resources")
            }
        }
        let coordinator = try #require(try DeployFiles.kubernetes(kind: "Deployment", name: "siuo-coordinator"))
        #expect((coordinator.int("spec", "replicas") ?? 0) >= 2)
        let budgets = try DeployFiles.documents(DeployFiles.path("k8s/pdb.yaml"))
        let coordinatorBudget = budgets.first { $0.string("spec", "selector", "matchLabels", "app.kubernetes.io/name") == "siuo-coordinator" }
        #expect(coordinatorBudget?.int("spec", "minAvailable") == 1)
        #expect(budgets.contains { $0.string("spec", "selector", "matchLabels", "app.kubernetes.io/name") == "siuo-worker" })
    }

    @Test func systemdUnitsAreHardened() throws {
        for unit in ["siuo-coordinator.service", "siuo-worker@.service"] {
            let settings = try DeployFiles.unitSettings(DeployFiles.path("systemd/" + unit))
            for (key, value) in [
                ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("PrivateTmp", "yes"),
                ("KillSignal", "SIGTERM"), ("Restart", "on-failure"), ("Type", "exec"), ("SystemCallFilter", "@system-service"),
                ("SystemCallErrorNumber", "EPERM"),
            ] {
                #expect(settings[key]?.last == value, "\(unit): \(key)=\(value)")
            }
            #expect(settings["DynamicUser"]?.last == "yes" || settings["User"] != nil, "\(unit): runs as a non-root user")
            #expect(settings["EnvironmentFile"] != nil, "\(unit): EnvironmentFile")
        }
    }
}

// MARK: - Reading the files

/// Paths and parsed contents of `deploy/`.
enum DeployFiles {
    static let root = RepositoryPaths.root + "/deploy"

    static func path(_ relative: String) -> String { root + "/" + relative }

    static func all(withExtensions extensions: Set<String>, under folder: String? = nil) -> [String] {
        let base = folder.map { path($0) } ?? root
        let enumerator = FileManager.default.enumerator(atPath: base)
        var files: [String] = []
        while let entry = enumerator?.nextObject() as? String {
            if extensions.contains((entry as NSString).pathExtension) { files.append(base + "/" + entry) }
        }
        return files.sorted()
    }

    /// The non-empty documents of a YAML file, each a mapping.
    static func documents(_ file: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var documents: [[String: Any]] = []
        for document in try Yams.load_all(yaml: text) {
            if document is NSNull { continue }
            guard let mapping = document as? [String: Any] else {
                throw DeployFileError("\(file): a document is not a mapping")
            }
            documents.append(mapping)
        }
        return documents
    }

    static func kubernetesDocuments() throws -> [[String: Any]] {
        try all(withExtensions: ["yaml"], under: "k8s").filter { !$0.hasSuffix("kustomization.yaml") }.flatMap { try documents($0) }
    }

    static func kubernetes(kind: String, name: String) throws -> [String: Any]? {
        try kubernetesDocuments().first { $0.string("kind") == kind && $0.string("metadata", "name") == name }
    }

    /// Deployments and Jobs: the documents with a pod template.
    static func kubernetesWorkloads() throws -> [[String: Any]] {
        try kubernetesDocuments().filter { ["Deployment", "Job", "StatefulSet", "DaemonSet"].contains($0.string("kind") ?? "") }
    }

    /// Dockerfile instructions, one per element, continuation lines joined.
    static func dockerInstructions(_ text: String) -> [String] {
        var instructions: [String] = []
        var current = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { continue }
            if line.hasSuffix("\\") {
                current += line.dropLast() + " "
            } else {
                current += line
                let instruction = current.trimmingCharacters(in: .whitespaces)
                if !instruction.isEmpty { instructions.append(instruction) }
                current = ""
            }
        }
        return instructions
    }

    /// `KEY=value` lines of a systemd unit, every value of each key in order.
    static func unitSettings(_ file: String) throws -> [String: [String]] {
        var settings: [String: [String]] = [:]
        var pending = ""
        for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty, text.hasPrefix("#") || text.hasPrefix(";") { continue }
            // A trailing backslash continues the setting on the next line (systemd.syntax).
            if text.hasSuffix("\\") {
                pending += text.dropLast().trimmingCharacters(in: .whitespaces) + " "
                continue
            }
            let whole = pending + text
            pending = ""
            guard let equals = whole.firstIndex(of: "=") else { continue }
            settings[String(whole[..<equals]), default: []].append(String(whole[whole.index(after: equals)...]))
        }
        return settings
    }

    /// `KEY=value` lines of an environment file.
    static func environmentFile(_ file: String) throws -> [String: String] {
        var values: [String: String] = [:]
        for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.hasPrefix("#"), let equals = text.firstIndex(of: "=") else { continue }
            values[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return values
    }
}

struct DeployFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One `siuo …` command line found in a deployment file.
struct Invocation {
    /// Where it was found, e.g. `compose.yaml services.worker`.
    let origin: String
    /// The subcommand path, e.g. `["db", "migrate"]`.
    let command: [String]
    /// Each `--flag` with its value (`nil` when the next word is a flag).
    let flags: [String: String?]

    /// Parses the words after `siuo`.
    init(origin: String, words: [String]) {
        self.origin = origin
        command = Array(words.prefix { !$0.hasPrefix("-") })
        var flags: [String: String?] = [:]
        var index = command.count
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("--") else { continue }
            if let equals = word.firstIndex(of: "=") {
                flags[String(word[..<equals])] = String(word[word.index(after: equals)...])
            } else if index < words.count, !words[index].hasPrefix("--") {
                flags[word] = words[index]
                index += 1
            } else {
                flags[word] = .some(nil)
            }
        }
        self.flags = flags
    }

    /// Every `siuo` command line in compose (`command:`), Kubernetes
    /// (`command:`/`args:` of containers running the siuo image) and systemd
    /// (`ExecStart=`).
    static func all() throws -> [Invocation] {
        var found: [Invocation] = []
        let compose = try DeployFiles.documents(DeployFiles.path("compose.yaml")).first ?? [:]
        for (name, service) in compose.dictionary("services") ?? [:] {
            guard let service = service as? [String: Any], Self.isSiuoImage(service) else { continue }
            guard let words = words(service["command"]) else { continue }
            found.append(Invocation(origin: "compose.yaml services.\(name)", words: words))
        }
        for workload in try DeployFiles.kubernetesWorkloads() {
            for container in workload.containers where (container.string("image") ?? "").hasPrefix("siuo") {
                var all = (words(container["command"]) ?? []) + (words(container["args"]) ?? [])
                if let first = all.first, first == "siuo" || first.hasSuffix("/siuo") { all.removeFirst() }
                found.append(Invocation(origin: "k8s \(workload.string("metadata", "name") ?? "?")", words: all))
            }
        }
        for unit in DeployFiles.all(withExtensions: ["service"], under: "systemd") {
            for line in try DeployFiles.unitSettings(unit)["ExecStart"] ?? [] {
                let all = line.split(separator: " ").map(String.init)
                guard let binary = all.first, binary.hasSuffix("/siuo") else { continue }
                found.append(Invocation(origin: "systemd \((unit as NSString).lastPathComponent)", words: Array(all.dropFirst())))
            }
        }
        return found
    }

    private static func isSiuoImage(_ service: [String: Any]) -> Bool {
        service["build"] != nil || (service.string("image") ?? "").contains("siuo")
    }

    private static func words(_ value: Any?) -> [String]? {
        if let list = value as? [Any] { return list.map { "\($0)" } }
        if let text = value as? String { return text.split(separator: " ").map(String.init) }
        return nil
    }
}

/// What `siuo <command> --help` says.
enum HelpText {
    static func output(of command: [String]) throws -> String {
        guard let binary = SiuoProcess.binary else { throw DeployFileError("build siuo first (swift build)") }
        // posix_spawn, not Foundation.Process (see `PosixSpawn`).
        let process = try SpawnedProcess(
            binary, command + ["--help"], environment: ProcessInfo.processInfo.environment, stdout: .pipe, stderr: .discard)
        let data = process.standardOutput?.readDataToEndOfFile() ?? Data()
        let status = process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard status == 0, text.contains("USAGE") else {
            throw DeployFileError("siuo \(command.joined(separator: " ")) --help failed (\(status)): \(text)")
        }
        // An unknown subcommand still prints (the parent's) help and exits 0:
        // the usage line tells which command answered.
        guard text.contains("USAGE: " + (["siuo"] + command).joined(separator: " ") + " ") else {
            throw DeployFileError("siuo has no subcommand \(command.joined(separator: " ")):\n\(text)")
        }
        return text
    }

    /// The `--long-flag` names the help lists.
    static func flags(of command: [String]) throws -> Set<String> {
        let text = try output(of: command)
        let regex = try NSRegularExpression(pattern: #"(?<![A-Za-z0-9-])--[a-z0-9][a-z0-9-]*"#)
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    /// The worker's `--grace` default, as its help states it.
    static func defaultGrace() throws -> Double {
        let text = try output(of: ["worker"])
        // The option's entry under OPTIONS (its description may wrap).
        guard let entry = text.range(of: "\n  --grace ")?.upperBound,
            let start = text[entry...].range(of: "(default: ")?.upperBound,
            !text[entry..<start].contains("\n  --"),
            let end = text[start...].firstIndex(of: ")"),
            let value = Double(text[start..<end])
        else {
            throw DeployFileError("no default for --grace in siuo worker --help:\n\(text)")
        }
        return value
    }
}

/// Names the sources read from the environment.
enum SourceNames {
    /// Every `SIUO_…` string literal in `Sources/siuo` (the composition root,
    /// the only place that reads settings).
    static func siuoEnvironment() throws -> Set<String> {
        try literals(matching: #""(SIUO_[A-Z_]+)""#, in: RepositoryPaths.root + "/Sources/siuo")
    }

    /// The default `api_key_env` of each provider, and the alternatives workers also read.
    /// Every `siuo_…` metric name written as a string literal under Sources/.
    static func metricNames() throws -> Set<String> {
        try literals(matching: #""(siuo_[a-z_]+)""#, in: RepositoryPaths.root + "/Sources")
    }

    static func providerKeyDefaults() throws -> Set<String> {
        try literals(matching: #""([A-Z]+_API_KEY)""#, in: RepositoryPaths.root + "/Sources/Shared/Sweep")
    }

    private static func literals(matching pattern: String, in folder: String) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern)
        var names: Set<String> = []
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let entry = enumerator?.nextObject() as? String {
            guard entry.hasSuffix(".swift") else { continue }
            let text = try String(contentsOfFile: folder + "/" + entry, encoding: .utf8)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { names.insert(String(text[range])) }
            }
        }
        return names
    }
}

/// The environment variables each deployed part is given.
enum EnvironmentUse {
    struct Roles {
        var coordinators: [String: Set<String>] = [:]
        var workers: [String: Set<String>] = [:]
    }

    /// Every place that sets variables for a siuo process, with the names.
    static func all() throws -> [String: Set<String>] {
        var uses: [String: Set<String>] = [:]
        let compose = try DeployFiles.documents(DeployFiles.path("compose.yaml")).first ?? [:]
        for (name, service) in compose.dictionary("services") ?? [:] where name != "postgres" {
            uses["compose.yaml services.\(name)"] = composeNames((service as? [String: Any])?["environment"])
        }
        for workload in try DeployFiles.kubernetesWorkloads() {
            for container in workload.containers {
                uses["k8s \(workload.string("metadata", "name") ?? "?")"] = kubernetesNames(container)
            }
        }
        for secret in try DeployFiles.documents(DeployFiles.path("k8s/secret-example.yaml"))
        where secret.string("metadata", "name") == "siuo-provider-keys" {
            uses["k8s secret siuo-provider-keys"] = Set((secret.dictionary("stringData") ?? [:]).keys)
        }
        for file in ["siuo.env.example", "worker.env.example"] {
            uses["systemd \(file)"] = Set(try DeployFiles.environmentFile(DeployFiles.path("systemd/" + file)).keys)
        }
        return uses
    }

    /// The variables the coordinators and the workers of each deployment get.
    static func byRole() throws -> Roles {
        var roles = Roles()
        let compose = try DeployFiles.documents(DeployFiles.path("compose.yaml")).first ?? [:]
        roles.coordinators["compose"] = composeNames(compose.value("services", "coordinator", "environment"))
        roles.workers["compose"] = composeNames(compose.value("services", "worker", "environment"))
        let secrets = try DeployFiles.documents(DeployFiles.path("k8s/secret-example.yaml"))
        for (role, name) in [("coordinator", "siuo-coordinator"), ("worker", "siuo-worker")] {
            let deployment = try DeployFiles.kubernetes(kind: "Deployment", name: name)
            var names = Set<String>()
            for container in deployment?.containers ?? [] {
                names.formUnion(kubernetesNames(container))
                names.formUnion(tokenFiles(words: (container.array("args") ?? []).map { "\($0)" }).keys)
                for entry in (container.array("envFrom") ?? []).compactMap({ $0 as? [String: Any] }) {
                    let secret = secrets.first { $0.string("metadata", "name") == entry.string("secretRef", "name") }
                    names.formUnion((secret?.dictionary("stringData") ?? [:]).keys)
                }
            }
            if role == "coordinator" { roles.coordinators["k8s"] = names } else { roles.workers["k8s"] = names }
        }
        func unitNames(_ unit: String) throws -> Set<String> {
            var names = Set<String>()
            for file in try DeployFiles.unitSettings(DeployFiles.path("systemd/" + unit))["EnvironmentFile"] ?? [] {
                let example = DeployFiles.path(
                    "systemd/" + (file.trimmingCharacters(in: CharacterSet(charactersIn: "-")) as NSString).lastPathComponent + ".example")
                names.formUnion(try DeployFiles.environmentFile(example).keys)
            }
            for line in try DeployFiles.unitSettings(DeployFiles.path("systemd/" + unit))["ExecStart"] ?? [] {
                names.formUnion(tokenFiles(words: line.split(separator: " ").map(String.init)).keys)
            }
            return names
        }
        roles.coordinators["systemd"] = try unitNames("siuo-coordinator.service")
        roles.workers["systemd"] = try unitNames("siuo-worker@.service")
        return roles
    }

    /// The tokens a command line reads from files: the variable each flag stands for, with the path.
    static func tokenFiles(words: [String]) -> [String: String] {
        let flags = [
            "--worker-token-file": "SIUO_WORKER_TOKEN", "--admin-token-file": "SIUO_ADMIN_TOKEN",
            "--viewer-token-file": "SIUO_VIEWER_TOKEN", "--reviewer-token-file": "SIUO_REVIEWER_TOKEN",
        ]
        var found: [String: String] = [:]
        for (index, word) in words.enumerated() where index + 1 < words.count {
            if let name = flags[word] { found[name] = words[index + 1] }
        }
        return found
    }

    private static func composeNames(_ environment: Any?) -> Set<String> {
        if let mapping = environment as? [String: Any] { return Set(mapping.keys) }
        if let list = environment as? [Any] {
            return Set(list.compactMap { ($0 as? String)?.split(separator: "=").first.map(String.init) })
        }
        return []
    }

    private static func kubernetesNames(_ container: [String: Any]) -> Set<String> {
        Set((container.array("env") ?? []).compactMap { ($0 as? [String: Any])?.string("name") })
    }
}

/// How long each worker deployment lets a worker take to stop.
enum StopTimeouts {
    static func of(_ origin: String) throws -> Double? {
        if origin.hasPrefix("compose.yaml services.") {
            let compose = try DeployFiles.documents(DeployFiles.path("compose.yaml")).first ?? [:]
            let name = String(origin.dropFirst("compose.yaml services.".count))
            return (compose.value("services", name, "stop_grace_period") as? String).flatMap(seconds)
        }
        if origin.hasPrefix("k8s ") {
            let workload = try DeployFiles.kubernetesWorkloads().first { $0.string("metadata", "name") == String(origin.dropFirst(4)) }
            return (workload?.int("spec", "template", "spec", "terminationGracePeriodSeconds")).map(Double.init)
        }
        if origin.hasPrefix("systemd ") {
            let settings = try DeployFiles.unitSettings(DeployFiles.path("systemd/" + origin.dropFirst(8)))
            return (settings["TimeoutStopSec"]?.last).flatMap(seconds)
        }
        return nil
    }

    /// Go durations (`1m30s`) and systemd time spans (`2min 5s`, `45`).
    static func seconds(_ text: String) -> Double? {
        let compact = text.replacingOccurrences(of: " ", with: "")
        if let plain = Double(compact) { return plain }
        let units: [(String, Double)] = [("ms", 0.001), ("min", 60), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(compact)
        var total = 0.0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * factor
        }
        return total
    }
}

// MARK: - Walking parsed YAML

extension Dictionary where Key == String, Value == Any {
    func value(_ path: String...) -> Any? { value(path) }

    func value(_ path: [String]) -> Any? {
        var current: Any? = self
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }

    func string(_ path: String...) -> String? {
        switch value(path) {
        case let text as String: text
        case let number as Int: String(number)
        case let flag as Bool: String(flag)
        default: nil
        }
    }

    func int(_ path: String...) -> Int? { value(path) as? Int }
    func array(_ path: String...) -> [Any]? { value(path) as? [Any] }
    func dictionary(_ path: String...) -> [String: Any]? { value(path) as? [String: Any] }

    /// The containers of a workload's pod template.
    var containers: [[String: Any]] {
        (value(["spec", "template", "spec", "containers"]) as? [Any] ?? []).compactMap { $0 as? [String: Any] }
    }
}
