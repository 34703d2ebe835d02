// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "siuo-sweep",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "siuo", targets: ["siuo"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .target(
            name: "LoopbackHTTP",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Shared",
            dependencies: [
                "CCurl",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "Coordinator",
            dependencies: [
                "CLibPQ",
                "LoopbackHTTP",
                "Shared",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Migrations/sql")]
        ),
        .target(
            name: "Worker",
            dependencies: [
                "Shared", "CCurl",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "MockProvider",
            dependencies: [
                "LoopbackHTTP",
                "Shared",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "siuo",
            dependencies: [
                "Coordinator",
                "Shared",
                "Worker",
                "MockProvider",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "SiuoTestSupport",
            dependencies: [
                "Coordinator", "LoopbackHTTP", "Shared",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Tests/SiuoTestSupport"
        ),
        .testTarget(name: "LoopbackHTTPTests", dependencies: ["LoopbackHTTP", "Shared", .product(name: "Hummingbird", package: "hummingbird")]),
        .testTarget(name: "SharedTests", dependencies: ["Shared", "LoopbackHTTP", "SiuoTestSupport"]),
        .testTarget(name: "CoordinatorTests", dependencies: ["Coordinator", "Shared", "SiuoTestSupport"]),
        .testTarget(
            name: "WorkerTests",
            dependencies: [
                "Worker", "Coordinator", "LoopbackHTTP", "Shared", "CCurl", "MockProvider", "SiuoTestSupport",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .testTarget(name: "MockProviderTests", dependencies: ["MockProvider", "Shared", "SiuoTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Coordinator", "Shared", "MockProvider", "SiuoTestSupport", "Worker"]),
    ],
    swiftLanguageModes: [.v6]
)
