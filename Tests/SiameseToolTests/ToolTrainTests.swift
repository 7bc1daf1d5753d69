import ChapterTesting
import Foundation
import Testing
@testable import SiameseKit

/// `siamese train` on real MNIST: a few steps, a model that `verify` can use, then a resume.
@Suite("siamese train")
struct ToolTrainTests {
    @Test func trainsOnMNISTThenResumes() throws {
        guard ChapterProcess.mnistAvailable else {
            // Never silently under CI: the data must be there.
            #expect(!ChapterProcess.underCI, "MNIST is missing from the data folder; run Scripts/fetch-data.sh")
            return
        }
        let scratch = ChapterProcess.scratchFolder("siamese-train")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("m.safetensors")
        let common = ["train", "--dataset", "mnist", "--steps-per-epoch", "5", "--output", output.path]

        let first = try siamese(common + ["--epochs", "1"])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("epoch 1/1"), "stdout: \(first.stdout)")
        #expect(first.stdout.contains("verify threshold:"))
        #expect(first.stdout.contains("saved: \(output.path)"))
        #expect(FileManager.default.fileExists(atPath: output.path))
        #expect(FileManager.default.fileExists(atPath: MetricTrainer.resumeURL(for: output).path))
        let model = try EmbeddingModel.load(from: output)
        #expect(model.card.architecture == .mnist && model.card.side == 28 && model.card.embeddingSize == 32)
        #expect(model.card.notes["training.data"] == "mnist")
        #expect(model.card.notes["verify.accuracy"] != nil)
        #expect(model.card.threshold < 0)                        // a negative distance, calibrated

        let fixture = try ToolFixture.get()
        let verify = try siamese(["verify", "--model", output.path, fixture.pngs[.ring]![0], fixture.pngs[.diagonal]![0]])
        #expect(verify.status == 0, "stderr: \(verify.stderr)")
        #expect(verify.stdout.hasPrefix("same\t") || verify.stdout.hasPrefix("different\t"), "stdout: \(verify.stdout)")

        let second = try siamese(common + ["--epochs", "2", "--resume"])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stdout.contains("resuming after epoch 1"), "stdout: \(second.stdout)")
        #expect(second.stdout.contains("epoch 2/2"))
        #expect(!second.stdout.contains("epoch 1/2"))
        let resumed = try EmbeddingModel.load(from: output)
        #expect(resumed.card.notes["training.history"]?.split(separator: ";").count == 2)
    }

    @Test func trainsChapter07sGrowingEncoder() throws {
        guard ChapterProcess.mnistAvailable else {
            #expect(!ChapterProcess.underCI, "MNIST is missing from the data folder; run Scripts/fetch-data.sh")
            return
        }
        let scratch = ChapterProcess.scratchFolder("siamese-train-growth")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("g.safetensors")
        let common = ["train", "--dataset", "mnist", "--arch", "conv4", "--side", "32", "--steps-per-epoch", "2", "--output", output.path]
        let run = try siamese(common + ["--maps", "4", "--growth", "2", "--epochs", "1"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let model = try EmbeddingModel.load(from: output)
        #expect(model.card.width == 4 && model.card.growth == 2 && model.card.outputSize == 32 * 2 * 2)
        // Resuming with another layout is refused in one line that names the options.
        let other = try siamese(common + ["--maps", "4", "--epochs", "2", "--resume"])
        #expect(other.status != 0)
        #expect(other.stderr.contains("--growth") && other.stderr.split(separator: "\n").count == 1, "stderr: \(other.stderr)")
        // Ink-box framing is for Omniglot's drawings; MNIST's digits are framed already.
        let boxed = try siamese(common + ["--ink-box", "0.8", "--epochs", "1"])
        #expect(boxed.status != 0 && boxed.stderr.contains("--ink-box applies to --dataset omniglot"), "stderr: \(boxed.stderr)")
    }

    @Test func trainsOnOmniglotInInkBoxes() throws {
        guard ChapterProcess.omniglotAvailable else {
            #expect(!ChapterProcess.underCI, "Omniglot is missing; run Scripts/fetch-data.sh")
            return
        }
        let scratch = ChapterProcess.scratchFolder("siamese-train-inkbox")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("o.safetensors")
        let run = try siamese(["train", "--dataset", "omniglot", "--side", "32", "--maps", "4", "--ink-box", "0.8125",
                               "--alphabets-per-batch", "2", "--steps-per-epoch", "2", "--epochs", "1", "--output", output.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let model = try EmbeddingModel.load(from: output)
        #expect(model.card.inkBox == 0.8125 && model.card.notes["training.data"] == "omniglot")
        // classify frames the support and query images the same way.
        let fixture = try ToolFixture.get()
        let ring = fixture.pngs[.ring]!, diagonal = fixture.pngs[.diagonal]!
        let classify = try siamese(["classify", "--model", output.path, "--support", ring[0], diagonal[0], "--query", ring[1]])
        #expect(classify.status == 0, "stderr: \(classify.stderr)")
        #expect(classify.stdout.split(separator: "\t").count == 3, "stdout: \(classify.stdout)")
        // Resuming without the framing is refused: the model would see other inputs.
        let plain = try siamese(["train", "--dataset", "omniglot", "--side", "32", "--maps", "4",
                                 "--steps-per-epoch", "2", "--epochs", "2", "--resume", "--output", output.path])
        #expect(plain.status != 0 && plain.stderr.contains("ink box"), "stderr: \(plain.stderr)")
        // Batches from a few alphabets need alphabets: one clear line otherwise.
        for (flags, message) in [(["--alphabets-per-batch", "0"], "at least 1"),
                                 (["--dataset", "mnist", "--alphabets-per-batch", "2"], "needs --dataset omniglot")] {
            let bad = try siamese(["train"] + flags + ["--output", output.path])
            #expect(bad.status != 0 && bad.stderr.contains(message), "stderr: \(bad.stderr)")
        }
    }
}
