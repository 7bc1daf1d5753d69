// swift-tools-version: 6.1
// Siamese: one-shot learning with Siamese networks, built from scratch in Swift.
import PackageDescription

/// On x86-64, release builds of the core use AVX2 and FMA (Haswell's set: every x86 server and
/// desktop since 2013-2015), so its SIMD loops run 8 floats per instruction instead of SSE's 4.
#if arch(x86_64)
let vectorFlags = ["-target-cpu", "haswell"]
#else
let vectorFlags: [String] = []
#endif

/// Release builds let chapters inline the core's small and generic functions across the module
/// boundary (the developers' guide measured generic code called from another module to be tens
/// of times slower without it; the core's own kernels run inside the library either way).
let coreSwiftSettings: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"] + vectorFlags, .when(configuration: .release)),
]

let package = Package(
    name: "Siamese",
    products: [
        .library(name: "SiameseKit", targets: ["SiameseKit"]),
        .executable(name: "01-tensors", targets: ["Ch01Tensors"]),
        .executable(name: "02-convolutions", targets: ["Ch02Convolutions"]),
        .executable(name: "03-twin-network", targets: ["Ch03TwinNetwork"]),
        .executable(name: "04-contrastive-loss", targets: ["Ch04ContrastiveLoss"]),
        .executable(name: "05-triplet-loss", targets: ["Ch05TripletLoss"]),
        .executable(name: "06-mnist-to-omniglot", targets: ["Ch06MNISTToOmniglot"]),
        .executable(name: "07-omniglot-benchmark", targets: ["Ch07OmniglotBenchmark"]),
        .executable(name: "siamese", targets: ["SiameseTool"]),
        .executable(name: "bench", targets: ["Bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CGzip", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CSystem"),
        // A C API over gnuplot-iostream (C++17, Boost.Iostreams); Swift calls the C API.
        .target(
            name: "CGnuplot",
            linkerSettings: [
                .linkedLibrary("boost_iostreams"),
                .linkedLibrary("boost_filesystem"),
            ]),

        // The shared core every chapter calls.
        .target(
            name: "SiameseKit",
            dependencies: [
                "COpenBLAS", "CGnuplot", "CGzip", "CPNG", "CSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: coreSwiftSettings),

        // Chapters: one executable each, read as the text of the book.
        .executableTarget(
            name: "Ch01Tensors", dependencies: ["SiameseKit"],
            path: "Chapters/01-Tensors"),
        .executableTarget(
            name: "Ch02Convolutions", dependencies: ["SiameseKit"],
            path: "Chapters/02-Convolutions"),
        .executableTarget(
            name: "Ch03TwinNetwork", dependencies: ["SiameseKit"],
            path: "Chapters/03-TwinNetwork"),
        .executableTarget(
            name: "Ch04ContrastiveLoss", dependencies: ["SiameseKit"],
            path: "Chapters/04-ContrastiveLoss"),
        .executableTarget(
            name: "Ch05TripletLoss", dependencies: ["SiameseKit"],
            path: "Chapters/05-TripletLoss"),
        .executableTarget(
            name: "Ch06MNISTToOmniglot", dependencies: ["SiameseKit"],
            path: "Chapters/06-MNISTToOmniglot"),
        .executableTarget(
            name: "Ch07OmniglotBenchmark", dependencies: ["SiameseKit"],
            path: "Chapters/07-OmniglotBenchmark"),

        // The command-line tool: train, embed, verify, classify.
        .executableTarget(
            name: "SiameseTool",
            dependencies: ["SiameseKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/siamese"),

        // The speed benchmark (Benchmarks/compare.sh runs it beside PyTorch and TensorFlow).
        .executableTarget(
            name: "Bench",
            dependencies: ["SiameseKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/Bench"),

        // Tests: one suite per chapter; they double as the reader's exercises.
        .target(name: "ChapterTesting", path: "Tests/ChapterTesting"),
        .testTarget(
            name: "Chapter01Tests", dependencies: ["SiameseKit", "ChapterTesting", "Ch01Tensors"]),
        .testTarget(
            name: "Chapter02Tests", dependencies: ["SiameseKit", "ChapterTesting", "Ch02Convolutions"]),
        .testTarget(
            name: "Chapter03Tests", dependencies: ["SiameseKit", "ChapterTesting", "Ch03TwinNetwork"]),
        .testTarget(
            name: "Chapter04Tests", dependencies: ["SiameseKit", "ChapterTesting", "Ch04ContrastiveLoss"]),
        .testTarget(
            name: "Chapter05Tests", dependencies: ["SiameseKit", "ChapterTesting", "Ch05TripletLoss"]),
        .testTarget(
            name: "Chapter06Tests", dependencies: ["SiameseKit", "ChapterTesting", "Ch06MNISTToOmniglot"]),
        .testTarget(
            name: "Chapter07Tests", dependencies: ["SiameseKit", "ChapterTesting", "Ch07OmniglotBenchmark"]),
        .testTarget(
            name: "SiameseToolTests", dependencies: ["SiameseKit", "ChapterTesting", "SiameseTool"]),
        .testTarget(
            name: "BenchTests", dependencies: ["SiameseKit", "ChapterTesting", "Bench"]),
    ],
    cxxLanguageStandard: .cxx17
)
