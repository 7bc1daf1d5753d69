import ChapterTesting
import Foundation
import Testing
@testable import SiameseKit

/// Runs `02-convolutions --quick` as a reader would, on the real MNIST files.
@Suite("Chapter 02 end to end")
struct Chapter02RunTests {
    static func run(_ arguments: [String]) throws -> ChapterRun { try ChapterProcess.run("02-convolutions", arguments) }

    @Test func quickRunTrainsDrawsAndSavesACheckpoint() throws {
        let folder = DataFolder()
        guard folder.contains("mnist/train-images-idx3-ubyte.gz") else {
            // Never silently: under CI the data must be there.
            #expect(ProcessInfo.processInfo.environment["CI"] == nil,
                    "MNIST is missing from \(folder); run Scripts/fetch-data.sh")
            return
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ch02-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try Self.run(["--quick", "--figures", scratch.appendingPathComponent("figures").path,
                                   "--checkpoints", scratch.appendingPathComponent("checkpoints").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for heading in ["1. Real digits", "2. A hand-made edge filter", "3. im2col", "4. Pooling",
                        "5. A convolutional network", "6. What the network learned", "7. A checkpoint", "Summary"] {
            #expect(result.stdout.contains(heading), "missing section \(heading)")
        }
        for name in ["mnist-samples", "edge-filters", "im2col", "pooling", "training-loss", "filters", "feature-maps", "confusion"] {
            let png = scratch.appendingPathComponent("figures/02-\(name).png").path
            #expect(FileManager.default.fileExists(atPath: png), "missing figure 02-\(name)")
        }
        let checkpoint = scratch.appendingPathComponent("checkpoints/02-mnist-cnn.safetensors")
        var g = SeededGenerator(seed: 1)
        let model = MNISTNetworks.classifier(using: &g)
        let metadata = try Checkpoint.load(into: model, from: checkpoint)
        #expect(metadata["epoch"] == "1")
        // Even the quick run learns something: well above the 10% of guessing.
        let accuracy = Float(metadata["test_accuracy"] ?? "0") ?? 0
        #expect(accuracy > 0.5, "quick-run test accuracy \(accuracy)")
    }

    @Test func missingDataIsOneClearLine() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let result = try Self.run(["--quick", "--no-figures", "--data", empty.path])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("error: missing data file") == true)
        #expect(result.stderr.contains("train-images-idx3-ubyte.gz"))
        #expect(result.stderr.contains("fetch-data.sh"))
    }

    @Test func corruptDataIsOneClearLine() throws {
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString)")
        let mnist = broken.appendingPathComponent("mnist")
        try FileManager.default.createDirectory(at: mnist, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: broken) }
        // A gzip file cut off in the middle.
        let whole = Gzip.compress(Array(repeating: 7, count: 100_000))
        for name in ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"] {
            try Data(whole.prefix(whole.count / 2)).write(to: mnist.appendingPathComponent(name))
        }
        let result = try Self.run(["--quick", "--no-figures", "--data", broken.path])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.hasPrefix("error: "))
        #expect(result.stderr.contains("-ubyte.gz"))
        #expect(!result.stderr.contains("missing"))
    }
}
