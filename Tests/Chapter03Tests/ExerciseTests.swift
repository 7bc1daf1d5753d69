import ChapterTesting
import Foundation
import Testing
@testable import SiameseKit

@Suite("Chapter 03 exercises")
struct Chapter03ExerciseTests {
    static func encoder(_ g: inout SeededGenerator) -> Sequential {
        Sequential(Conv2D(1, 2, kernel: 3, using: &g), ReLU(), Flatten(), Linear(2 * 6 * 6, 4, using: &g))
    }

    @Test("1. The stacked batch equals two separate passes")
    func exercise1() {
        var g = SeededGenerator(seed: 1)
        let twin = TwinNetwork(encoder: Self.encoder(&g))
        let a = Tensor.randomNormal([3, 1, 8, 8], using: &g), b = Tensor.randomNormal([3, 1, 8, 8], using: &g)
        let (ea, eb) = twin(a, b)
        #expect(ea.value.isClose(to: twin.encoder(a).value, tolerance: 1e-6))
        #expect(eb.value.isClose(to: twin.encoder(b).value, tolerance: 1e-6))
    }

    @Test("2. Koch's head is symmetric, concatenation is not")
    func exercise2() {
        var g = SeededGenerator(seed: 2)
        let a = Variable(Tensor.randomNormal([5, 4], using: &g)), b = Variable(Tensor.randomNormal([5, 4], using: &g))
        let koch = KochHead(embeddingSize: 4, using: &g), concat = ConcatenationHead(embeddingSize: 4, using: &g)
        #expect(koch.logits(a, b).value == koch.logits(b, a).value)
        #expect(concat.logits(a, b).value != concat.logits(b, a).value)
    }

    @Test("3. A balanced batch of 100 pairs has 50 same pairs")
    func exercise3() {
        var g = SeededGenerator(seed: 3)
        let batch = PairSampler(labels: (0..<60).map { $0 % 10 }).batch(100, using: &g)
        #expect(batch.labels.filter { $0 == .same }.count == 50)
    }

    @Test("4. ROC area by hand")
    func exercise4() {
        let roc = ROCCurve(scores: [0.9, 0.8, 0.7, 0.1], labels: [.same, .different, .same, .different])
        #expect(abs(roc.area - 0.75) < 1e-6)
    }

    @Test("5. The concatenation score cannot compare: s(a,b) + s(b,a) = s(a,a) + s(b,b)")
    func exercise5() {
        var g = SeededGenerator(seed: 5)
        let head = ConcatenationHead(embeddingSize: 6, using: &g)
        let a = Variable(Tensor.randomNormal([10, 6], using: &g)), b = Variable(Tensor.randomNormal([10, 6], using: &g))
        let mixed = head.logits(a, b).value + head.logits(b, a).value
        let matched = head.logits(a, a).value + head.logits(b, b).value
        #expect(mixed.isClose(to: matched, tolerance: 1e-5))
    }
}

@Suite("Chapter 03 end to end")
struct Chapter03RunTests {
    @Test func quickRun() throws {
        guard ChapterProcess.mnistAvailable else {
            #expect(!ChapterProcess.underCI, "MNIST is missing; run Scripts/fetch-data.sh")
            return
        }
        let scratch = ChapterProcess.scratchFolder("ch03")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try ChapterProcess.run("03-twin-network", ["--quick", "--figures", scratch.appendingPathComponent("f").path,
                                                                "--checkpoints", scratch.appendingPathComponent("c").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for heading in ["1. One encoder, two inputs", "2. Distances before any training", "3. Why a classifier",
                        "4. Koch's head", "5. The design that does not work well", "6. What it never saw", "Summary"] {
            #expect(result.stdout.contains(heading), "missing section \(heading)")
        }
        for name in ["untrained-distances", "roc", "training-loss"] {
            #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("f/03-\(name).png").path), "missing 03-\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("c/03-koch-encoder.safetensors").path))
    }
}
