import ChapterTesting
import Foundation
import Testing
@testable import SiameseKit

@Suite("Chapter 06 exercises")
struct Chapter06ExerciseTests {
    @Test("1. Framing like MNIST keeps the ink inside the 20x20 box")
    func exercise1() {
        let full = Tensor.ones([2, 1, 56, 56])
        let framed = Framing.centred(full, box: 20, in: 28)
        #expect(framed.shape == [2, 1, 28, 28])
        for r in 0..<28 {
            for c in 0..<28 {
                let inside = (4..<24).contains(r) && (4..<24).contains(c)
                #expect(framed.scalars[r * 28 + c] == (inside ? 1 : 0))
            }
        }
    }

    @Test("2. The pixel baseline does better with fewer ways")
    func exercise2() {
        // One alphabet of 20 noisy characters, 6 drawers.
        var g = SeededGenerator(seed: 2)
        var characterOf: [Int] = [], drawerOf: [Int] = [], rows: [Float] = []
        let prototypes = Tensor.randomNormal([20, 16], using: &g)
        for c in 0..<20 {
            for d in 1...6 {
                characterOf.append(c)
                drawerOf.append(d)
                let noise = Tensor.randomNormal([16], using: &g)
                rows += (0..<16).map { prototypes.scalars[c * 16 + $0] + 1.2 * noise.scalars[$0] }
            }
        }
        let pixels = Tensor(shape: [characterOf.count, 16], scalars: rows)
        let generator = OneShotTrialGenerator(characterAlphabet: Array(repeating: 0, count: 20), imageCharacters: characterOf,
                                              imageDrawers: drawerOf)
        let two = score(generator.trials(ways: 2, count: 400, using: &g), embeddings: pixels)
        let twenty = score(generator.trials(ways: 20, count: 400, using: &g), embeddings: pixels)
        #expect(two.accuracy > twenty.accuracy + 0.2, "2-way \(two), 20-way \(twenty)")
    }

    @Test("3. A support identical to the query is ranked first")
    func exercise3() {
        var g = SeededGenerator(seed: 3)
        let model = EmbeddingModel(card: ModelCard(architecture: .mnist, side: 28, embeddingSize: 16), using: &g)
        let supports = Tensor.randomUniform([8, 1, 28, 28], using: &g)
        let query = supports.rows(5..<6)
        let e = model.embed(supports), q = model.embed(query)
        let scores = model.scores(e, against: q)
        #expect(scores.indices.max { scores[$0] < scores[$1] } == 5)
    }

    @Test("4. MNIST one-shot trials: ten classes, and the query is never its own support")
    func exercise4() {
        // Every example has its own random embedding and classes carry no structure: if a query
        // could be its own support, accuracy would be 100%; drawn correctly it is about 1 in 10.
        var g = SeededGenerator(seed: 4)
        let labels = (0..<200).map { $0 % 10 }
        let embeddings = Tensor.randomNormal([200, 8], using: &g)
        let result = oneShotAccuracy(embeddings: embeddings, labels: labels, ways: 10, trials: 400, using: &g)
        #expect(result.accuracy < 0.25, "\(result)")
        // With class structure it is always right.
        let clean = Tensor(shape: [200, 10], scalars: labels.flatMap { l in (0..<10).map { $0 == l ? Float(1) : 0 } })
        #expect(oneShotAccuracy(embeddings: clean, labels: labels, ways: 10, trials: 100, using: &g).accuracy == 1)
    }
}

@Suite("Chapter 06 end to end")
struct Chapter06RunTests {
    @Test func quickRun() throws {
        guard ChapterProcess.mnistAvailable && ChapterProcess.omniglotAvailable else {
            #expect(!ChapterProcess.underCI, "MNIST or Omniglot is missing; run Scripts/fetch-data.sh")
            return
        }
        let scratch = ChapterProcess.scratchFolder("ch06")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try ChapterProcess.run("06-mnist-to-omniglot", ["--quick", "--figures", scratch.appendingPathComponent("f").path,
                                                                    "--checkpoints", scratch.appendingPathComponent("c").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for heading in ["1. Two data sets, one input size", "2. A digit twin network", "3. The same network trained on Omniglot",
                        "4. What helps the transfer", "5. Accuracy against the number of ways", "6. One trial, and neighbours",
                        "7. The other direction: Omniglot to MNIST", "Summary"] {
            #expect(result.stdout.contains(heading), "missing section \(heading)")
        }
        for name in ["inputs", "accuracy-vs-ways", "trial-mnist", "trial-omniglot", "neighbours"] {
            #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("f/06-\(name).png").path), "missing 06-\(name)")
        }
        let flag = try ChapterProcess.run("06-mnist-to-omniglot", ["--long"])
        #expect(flag.status != 0 && flag.stderr.contains("--long is not an option of this chapter"))
    }
}
