import ChapterTesting
import Foundation
import Testing
@testable import SiameseKit

@Suite("Chapter 05 exercises")
struct Chapter05ExerciseTests {
    @Test("1. Hard and soft margin by hand")
    func exercise1() {
        let dap = Variable(Tensor([1])), dan = Variable(Tensor([3]))
        #expect(TripletMargin.hard(1).loss(positive: dap, negative: dan).value.scalar == 0)       // max(0, 1 − 3 + 1)
        #expect(abs(TripletMargin.soft.loss(positive: dap, negative: dan).value.scalar - 0.126928) < 1e-5)   // log(1 + e⁻²)
    }

    @Test("2. Batch-all triplets of classes [0, 0, 1, 1]")
    func exercise2() {
        let d = Tensor.zeros([4, 4])
        #expect(TripletMining.batchAll.select(distances: d, labels: [0, 0, 1, 1]).count == 8)
    }

    @Test("3. Batch-hard on a line")
    func exercise3() {
        // Anchor 0 at 0; positives at 1 and 4 (farthest: 4); negatives at 2 and 6 (nearest: 2).
        let positions: [Float] = [0, 1, 4, 2, 6]
        let d = Tensor(shape: [5, 5], scalars: positions.flatMap { a in positions.map { b in abs(a - b) } })
        let t = TripletMining.batchHard.select(distances: d, labels: [0, 0, 0, 1, 1])
        #expect(t.first == Triplet(0, 2, 3))
    }

    @Test("4. A P x K batch")
    func exercise4() {
        var g = SeededGenerator(seed: 4)
        let labels = (0..<200).map { $0 % 10 }
        let batch = ClassBatchSampler(labels: labels, classes: 5, perClass: 4).batch(using: &g)
        let classes = batch.map { labels[$0] }
        #expect(batch.count == 20 && Set(batch).count == 20 && Set(classes).count == 5)
        #expect(Set(classes).allSatisfy { c in classes.filter { $0 == c }.count == 4 })
    }

    @Test("5. Identical embeddings: the loss equals the margin and the collapse is flagged")
    func exercise5() {
        let embeddings = Variable(Tensor.ones([8, 3]), requiresGrad: true)
        let (loss, stats) = batchTripletLoss(embeddings: embeddings, labels: [0, 0, 1, 1, 2, 2, 3, 3], mining: .batchHard, margin: .hard(1))
        #expect(abs(loss.value.scalar - 1) < 1e-3)
        #expect(CollapseCheck.triplet(stats, loss: loss.value.scalar, margin: .hard(1)) != nil)
        #expect(CollapseCheck.embeddings(embeddings.value) != nil)
        var g = SeededGenerator(seed: 5)
        #expect(CollapseCheck.embeddings(Tensor.randomNormal([8, 3], using: &g)) == nil)
    }
}

@Suite("Chapter 05 end to end")
struct Chapter05RunTests {
    @Test func quickRun() throws {
        guard ChapterProcess.mnistAvailable else {
            #expect(!ChapterProcess.underCI, "MNIST is missing; run Scripts/fetch-data.sh")
            return
        }
        let scratch = ChapterProcess.scratchFolder("ch05")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try ChapterProcess.run("05-triplet-loss", ["--quick", "--figures", scratch.appendingPathComponent("f").path,
                                                                "--checkpoints", scratch.appendingPathComponent("c").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for heading in ["1. Anchor, positive, negative", "2. Mining inside a batch", "3. Which triplets to learn from",
                        "4. The embedding", "5. A collapse, on purpose", "Summary"] {
            #expect(result.stdout.contains(heading), "missing section \(heading)")
        }
        for method in ["random triplets", "batch-all", "batch-hard", "semi-hard", "soft margin", "contrastive"] {
            #expect(result.stdout.contains(method), "missing method \(method) in the comparison")
        }
        // The deliberate collapse happens and is diagnosed.
        #expect(result.stdout.contains("warning: the triplet loss is stuck at the margin"))
        for name in ["embedding", "collapse"] {
            #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("f/05-\(name).png").path), "missing 05-\(name)")
        }
    }
}
