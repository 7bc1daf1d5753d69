import Foundation

/// Runs a chapter's executable as a reader would and captures what it printed: the shared
/// helper of the end-to-end chapter tests.
public struct ChapterRun: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum ChapterProcess {
    /// The built chapter executable (e.g. `01-tensors`), next to the test bundle.
    public static func executable(_ product: String) -> URL {
        Bundle.main.bundleURL.appendingPathComponent(product)
    }

    /// Runs `product` with `arguments` and waits for it.
    public static func run(_ product: String, _ arguments: [String]) throws -> ChapterRun {
        let process = Process()
        process.executableURL = executable(product)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read stderr on another thread so neither pipe can fill up and block the chapter.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return ChapterRun(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder for a run's figures and checkpoints.
    public static func scratchFolder(_ label: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    }

    /// Whether the MNIST files are in the data folder; under CI their absence is a failure the
    /// caller must report, never a silent skip.
    public static var mnistAvailable: Bool {
        let root = ProcessInfo.processInfo.environment["SIAMESE_DATA"] ?? "data"
        return FileManager.default.fileExists(atPath: "\(root)/mnist/train-images-idx3-ubyte.gz")
    }

    /// True when the Omniglot archives are in the data folder.
    public static var omniglotAvailable: Bool {
        let root = ProcessInfo.processInfo.environment["SIAMESE_DATA"] ?? "data"
        return FileManager.default.fileExists(atPath: "\(root)/omniglot/images_background.zip")
            && FileManager.default.fileExists(atPath: "\(root)/omniglot/images_evaluation.zip")
    }

    /// True under CI (`CI` set): data-backed tests must then fail rather than skip.
    public static var underCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }
}
