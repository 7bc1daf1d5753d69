import ChapterTesting
import Foundation
import Testing
@testable import SiameseKit

@Suite("Chapter 04 exercises")
struct Chapter04ExerciseTests {
    @Test("1. Contrastive loss by hand")
    func exercise1() {
        let same = contrastiveLoss(distances: Variable(Tensor([2])), labels: [.same], margin: 1)
        let different = contrastiveLoss(distances: Variable(Tensor([0.5])), labels: [.different], margin: 1)
        #expect(same.value.scalar == 2)            // ½ · 2²
        #expect(different.value.scalar == 0.125)   // ½ · (1 − 0.5)²
    }

    @Test("2. A different pair beyond the margin has no gradient")
    func exercise2() {
        let d = Variable(Tensor([1.5]), requiresGrad: true)
        contrastiveLoss(distances: d, labels: [.different], margin: 1).backward()
        #expect(d.grad?.scalars == [0])
    }

    @Test("3. Swapping the two images of every pair leaves the loss unchanged")
    func exercise3() {
        var g = SeededGenerator(seed: 3)
        let a = Variable(Tensor.randomNormal([8, 4], using: &g)), b = Variable(Tensor.randomNormal([8, 4], using: &g))
        let labels: [PairLabel] = (0..<8).map { $0 % 2 == 0 ? .same : .different }
        let ab = contrastiveLoss(distances: Distance.l2(a, b), labels: labels, margin: 2).value.scalar
        let ba = contrastiveLoss(distances: Distance.l2(b, a), labels: labels, margin: 2).value.scalar
        #expect(ab == ba)
    }

    @Test("4. Nearest reference on a toy set")
    func exercise4() {
        let references = Tensor([[0, 0], [5, 5], [0, 5]])
        let queries = Tensor([[1, 1], [4, 6], [0, 4], [4, 4]])
        let result = nearestReferenceAccuracy(queries: queries, queryLabels: [0, 1, 2, 1], references: references, referenceLabels: [0, 1, 2])
        #expect(result.predicted == [0, 1, 2, 1] && result.accuracy == 1)
    }

    @Test("5. Contrastive gradient through the L2 distance")
    func exercise5() {
        var g = SeededGenerator(seed: 5)
        let a = Tensor.randomNormal([6, 3], using: &g), b = Tensor.randomNormal([6, 3], using: &g)
        let labels: [PairLabel] = [.same, .different, .same, .different, .same, .different]
        let check = GradientCheck(inputs: [a, b]) { contrastiveLoss(distances: Distance.l2($0[0], $0[1]), labels: labels, margin: 1.5) }
        #expect(check.passed(), "\(check)")
    }
}

@Suite("Chapter 04 end to end")
struct Chapter04RunTests {
    @Test func quickRun() throws {
        guard ChapterProcess.mnistAvailable else {
            #expect(!ChapterProcess.underCI, "MNIST is missing; run Scripts/fetch-data.sh")
            return
        }
        let scratch = ChapterProcess.scratchFolder("ch04")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try ChapterProcess.run("04-contrastive-loss", ["--quick", "--figures", scratch.appendingPathComponent("f").path,
                                                                    "--checkpoints", scratch.appendingPathComponent("c").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for heading in ["1. The loss and its two conventions", "2. A 2-D embedding", "3. Same and different distances",
                        "4. The effect of the margin", "5. One-shot 10-way MNIST", "Summary"] {
            #expect(result.stdout.contains(heading), "missing section \(heading)")
        }
        for name in ["embedding-before", "embedding-after", "distance-histograms", "margin"] {
            #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("f/04-\(name).png").path), "missing 04-\(name)")
        }
        // Without Chapter 02's checkpoint the transfer row says so instead of failing.
        #expect(result.stdout.contains("run 02-convolutions first"))
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("c/04-contrastive-encoder.safetensors").path))
    }
}
