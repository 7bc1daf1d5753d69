import ChapterTesting
import Foundation
import Testing
@testable import SiameseKit

@Suite("Chapter 07 exercises")
struct Chapter07ExerciseTests {
    @Test("1. Four quarter turns give the drawing back")
    func exercise1() {
        var g = SeededGenerator(seed: 1)
        let image = Tensor.randomUniform([2, 1, 5, 5], using: &g)
        #expect(QuarterTurns.rotated(QuarterTurns.rotated(image, turns: 2), turns: 2) == image)
        #expect((1...4).reduce(image) { turned, _ in QuarterTurns.rotated(turned, turns: 1) } == image)
        // One counter-clockwise turn of [[1, 2], [3, 4]] is [[2, 4], [1, 3]].
        #expect(QuarterTurns.rotated(Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4]), turns: 1).scalars == [2, 4, 1, 3])
    }

    @Test("2. Trials stay inside one alphabet and the query's drawer drew no support")
    func exercise2() {
        let benchmark = OmniglotBenchmark(background: ToyOmniglot.make(), evaluation: ToyOmniglot.make(split: .evaluation),
                                          validationAlphabets: 2, validationWays: 5, validationTrials: 100)
        let omniglot = benchmark.evaluation
        for trial in benchmark.evaluationTrials(ways: 5, count: 100, seed: 3) {
            #expect(Set(trial.characters.map { omniglot.characters[$0].alphabet }) == [trial.alphabet])
            #expect(trial.supports.joined().allSatisfy { omniglot.imageDrawers[$0] != trial.queryDrawer })
        }
        // Validation trials only use the held-out background alphabets, which training never sees.
        #expect(benchmark.validationAlphabets.count == 2)
        #expect(benchmark.validationTrials.allSatisfy { benchmark.validationAlphabets.contains($0.alphabet) })
        #expect(benchmark.trainingCharacters.allSatisfy { !benchmark.validationAlphabets.contains(benchmark.background.characters[$0].alphabet) })
    }

    @Test("3. Pixel baseline: a query identical to a support chooses it")
    func exercise3() {
        let support = Tensor([[0, 0, 1, 1], [1, 0, 0, 1], [1, 1, 0, 0], [0, 1, 1, 0]])
        let embeddings = Tensor.concatenateRows([support, support.rows(2..<3)])      // image 4 = copy of image 2
        let trial = OneShotTrial(alphabet: 0, characters: [0, 1, 2, 3], supports: [[0], [1], [2], [3]], query: 4, answer: 2,
                                 supportDrawers: [1], queryDrawer: 2)
        #expect(score([trial], embeddings: embeddings).correct == 1)
    }

    @Test("4. A resumed run continues exactly where it stopped")
    func exercise4() throws {
        let folder = ChapterProcess.scratchFolder("ch07-resume")
        defer { try? FileManager.default.removeItem(at: folder) }
        let benchmark = OmniglotBenchmark(background: ToyOmniglot.make(), evaluation: ToyOmniglot.make(split: .evaluation),
                                          validationAlphabets: 1, validationWays: 5, validationTrials: 20)
        func trainer(epochs: Int) -> MetricTrainer {
            var g = SeededGenerator(seed: 9)
            var plan = MetricTrainingPlan()
            (plan.classesPerBatch, plan.perClass, plan.stepsPerEpoch, plan.epochs, plan.patience) = (6, 2, 3, epochs, 100)
            plan.decayFraction = 0     // the schedule depends on the epoch count; keep it out of the comparison
            return MetricTrainer(model: EmbeddingModel(card: ModelCard(architecture: .conv4, side: 16, embeddingSize: 8), using: &g), plan: plan)
        }
        let data = benchmark.trainingSet(quarterTurns: true)
        let oneGo = trainer(epochs: 3)
        try oneGo.train(on: data, validate: { benchmark.validate($0) }, checkpoint: folder.appendingPathComponent("a.safetensors"))
        let first = trainer(epochs: 2), url = folder.appendingPathComponent("b.safetensors")
        try first.train(on: data, validate: { benchmark.validate($0) }, checkpoint: url)
        let second = trainer(epochs: 3)
        #expect(try second.resume(from: url) == 2)
        try second.train(on: data, validate: { benchmark.validate($0) }, checkpoint: url)
        #expect(second.history.map(\.epoch) == [1, 2, 3])
        #expect(second.history.map(\.meanLoss) == oneGo.history.map(\.meanLoss))
        let a = try Checkpoint.read(from: MetricTrainer.resumeURL(for: folder.appendingPathComponent("a.safetensors")))
        let b = try Checkpoint.read(from: MetricTrainer.resumeURL(for: url))
        #expect(a.tensors == b.tensors)
        // A resume file from another layout is refused with one line that says what to do.
        var card = ModelCard(architecture: .conv4, side: 16, embeddingSize: 8)
        card.growth = 2
        var g = SeededGenerator(seed: 9)
        let other = MetricTrainer(model: EmbeddingModel(card: card, using: &g), plan: MetricTrainingPlan())
        #expect {
            try other.resume(from: url)
        } throws: { error in
            guard case ModelError.resumeFromOtherModel = error else { return false }
            return "\(error)".contains("start afresh") && !"\(error)".contains("\n")
        }
        // So is one with the same tensors that saw other inputs (here: drawings in ink boxes).
        var framed = ModelCard(architecture: .conv4, side: 16, embeddingSize: 8)
        framed.inkBox = 0.9
        let reframed = MetricTrainer(model: EmbeddingModel(card: framed, using: &g), plan: MetricTrainingPlan())
        #expect {
            try reframed.resume(from: url)
        } throws: { error in
            guard case ModelError.resumeFromOtherModel = error else { return false }
            return "\(error)".contains("ink box filling 0.9")
        }
    }

    @Test("5. Batch norm: evaluation mode embeds an image the same alone or in a batch")
    func exercise5() {
        var g = SeededGenerator(seed: 5)
        let model = EmbeddingModel(card: ModelCard(architecture: .conv4, side: 16, embeddingSize: 4), using: &g)
        let batch = Tensor.randomUniform([6, 1, 16, 16], using: &g)
        let alone = model.embed(batch.rows(0..<1)), inBatch = model.embed(batch).rows(0..<1)
        #expect(alone.scalars.indices.allSatisfy { Swift.abs(alone.scalars[$0] - inBatch.scalars[$0]) < 1e-4 })
        model.setTraining(true)
        let trainingAlone = model(batch.rows(0..<2)).value.rows(0..<1), trainingBatch = model(batch).value.rows(0..<1)
        #expect(trainingAlone.scalars != trainingBatch.scalars)       // batch statistics differ
    }

    @Test("6. Test-time shifts: a one-pixel shift and back loses only the edge that fell off")
    func exercise6() {
        let image = Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(TestTimeShifts.shifted(image, dx: 1, dy: 0).scalars == [0, 1, 2, 0, 4, 5, 0, 7, 8])
        #expect(TestTimeShifts.shifted(image, dx: 0, dy: -1).scalars == [4, 5, 6, 7, 8, 9, 0, 0, 0])
        let back = TestTimeShifts.shifted(TestTimeShifts.shifted(image, dx: -1, dy: 0), dx: 1, dy: 0)
        #expect(back.scalars == [0, 2, 3, 0, 5, 6, 0, 8, 9])
        // The averaged embedding is the mean of the five views' embeddings.
        let mean = TestTimeShifts.averaged(image) { $0.reshaped([1, 9]) }
        let views = TestTimeShifts.offsets.map { TestTimeShifts.shifted(image, dx: $0.0, dy: $0.1).scalars }
        let expected = (0..<9).map { i in views.map { $0[i] }.reduce(0, +) / 5 }
        #expect(mean.scalars.indices.allSatisfy { Swift.abs(mean.scalars[$0] - expected[$0]) < 1e-6 })
        // A model's shifted embedding of a blank image is its plain one (every view is blank).
        var g = SeededGenerator(seed: 6)
        let model = EmbeddingModel(card: ModelCard(architecture: .conv4, side: 16, embeddingSize: 4), using: &g)
        let blank = Tensor.zeros([2, 1, 16, 16])
        let plain = model.embed(blank), shifted = model.embed(blank, shifts: true)
        #expect(plain.scalars.indices.allSatisfy { Swift.abs(plain.scalars[$0] - shifted.scalars[$0]) < 1e-5 })
    }

    @Test("7. Test-time turns: the four-view distance adds up the four views' squared distances")
    func exercise7() {
        var g = SeededGenerator(seed: 7)
        let model = EmbeddingModel(card: ModelCard(architecture: .conv4, side: 16, embeddingSize: 4), using: &g)
        let images = Tensor.randomUniform([2, 1, 16, 16], using: &g)
        let viewed = model.embed(images, shifts: false, turns: true)
        let d = model.embed(images).shape[1]
        #expect(viewed.shape == [2, 4 * d])
        let squared = { (a: [Float], b: [Float]) in zip(a, b).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        let sum = (0..<4).reduce(Float(0)) { total, q in
            let view = model.embed(QuarterTurns.rotated(images, turns: q))
            return total + squared(Array(view.scalars[0..<d]), Array(view.scalars[d..<(2 * d)]))
        }
        let whole = squared(Array(viewed.scalars[0..<(4 * d)]), Array(viewed.scalars[(4 * d)...]))
        #expect(Swift.abs(whole - sum) <= 1e-4 * Swift.max(1, sum))
        // The first view is the drawing as it is.
        #expect(Array(viewed.scalars[0..<d]) == Array(model.embed(images).scalars[0..<d]))
    }

    @Test("8. An ensemble: one member decides as it does alone, and a member's scale does not count")
    func exercise8() {
        let split = ToyOmniglot.make(side: 16, split: .evaluation)
        var g = SeededGenerator(seed: 8)
        let card = ModelCard(architecture: .conv4, side: 16, embeddingSize: 4)
        let a = EmbeddingModel(card: card, using: &g), b = EmbeddingModel(card: card, using: &g)
        let trials = OneShotTrialGenerator(split).trials(ways: 5, count: 40, using: &g)
        #expect(EmbeddingEnsemble([a]).accuracy(on: trials, of: split).correct == a.accuracy(on: trials, of: split).correct)
        // The vote adds each member's scores divided by their mean size in the trial, so
        // stretching one member's embeddings tenfold changes nothing.
        let images = split.images(at: Array(0..<split.count))
        let ea = a.embed(images), eb = b.embed(images)
        let pair = EmbeddingEnsemble([a, b])
        for trial in trials {
            let sa = a.characterScores(trial, embeddings: ea) { $0 }, sb = b.characterScores(trial, embeddings: eb) { $0 }
            let size = { (s: [Float]) in s.reduce(0) { $0 + Swift.abs($1) } / Float(s.count) }
            let expected = sa.indices.map { sa[$0] / size(sa) + sb[$0] / size(sb) }
            let combined = pair.combinedScores(trial, embeddings: [ea, eb]) { $0 }
            let stretched = pair.combinedScores(trial, embeddings: [ea, eb * 10]) { $0 }
            #expect(combined.indices.allSatisfy { Swift.abs(combined[$0] - expected[$0]) < 1e-4 })
            #expect(stretched.indices.allSatisfy { Swift.abs(stretched[$0] - expected[$0]) < 1e-4 })
        }
    }

    @Test("9. Ink-box framing: where and how large a character is drawn no longer matters")
    func exercise9() {
        // An L-shaped stroke drawn small in one corner and twice as large in the middle of a
        // 64x64 page: resized whole they differ; framed in their ink boxes they are the same.
        func page(_ left: Int, _ top: Int, _ size: Int) -> [Float] {
            var ink = [Float](repeating: 0, count: 64 * 64)
            for k in 0..<size {
                for t in 0..<(size / 8) {
                    ink[(top + k) * 64 + left + t] = 1                  // the upright
                    ink[(top + size - 1 - t) * 64 + left + k] = 1       // the foot
                }
            }
            return ink
        }
        let small = page(2, 3, 24), large = page(8, 10, 48)
        let framedSmall = Framing.inkBox(small, width: 64, height: 64, side: 16, fill: 0.75)
        let framedLarge = Framing.inkBox(large, width: 64, height: 64, side: 16, fill: 0.75)
        let whole = { Resampling.resize($0, width: 64, height: 64, toWidth: 16, toHeight: 16) }
        let gap = { (a: [Float], b: [Float]) in zip(a, b).reduce(Float(0)) { $0 + Swift.abs($1.0 - $1.1) } }
        #expect(gap(framedSmall, framedLarge) < 1e-4)
        #expect(gap(whole(small), whole(large)) > 10)
        // The box fills 12 of the 16 pixels (fill 0.75), centred: two blank pixels each side.
        let columns = (0..<16).filter { c in (0..<16).contains { framedLarge[$0 * 16 + c] > 0.01 } }
        #expect(columns == Array(2..<14))
        // Ink is kept, not invented: the framed drawing holds the same share of ink per pixel.
        let inkShare = { (v: [Float], n: Int) in v.reduce(0, +) / Float(n) }
        #expect(Swift.abs(inkShare(framedLarge, 12 * 12) - inkShare(large, 48 * 48)) < 0.02)
        // A dot is not blown up to fill the frame: the crop is at least 0.38 of the page.
        var dot = [Float](repeating: 0, count: 64 * 64)
        dot[30 * 64 + 30] = 1
        #expect(Framing.inkBox(dot, width: 64, height: 64, side: 16).filter { $0 > 0 }.count <= 2)
        // The model card carries the framing, so the tool frames images as in training.
        var card = ModelCard(architecture: .conv4, side: 16, embeddingSize: 0)
        card.inkBox = 0.75
        #expect(ModelCard(metadata: card.metadata)?.inkBox == 0.75)
        var g = SeededGenerator(seed: 9)
        let model = EmbeddingModel(card: card, using: &g)
        let paper = GrayImage(width: 64, height: 64, pixels: large.map { UInt8(255 - 255 * $0) })
        #expect(gap(model.input(from: paper).scalars, framedLarge) < 1e-4)
    }

    @Test("10. Batches of look-alikes: every batch's classes come from two alphabets, each in one turn")
    func exercise10() throws {
        // 4 alphabets of 6 characters, 4 turns each: 16 groups (alphabet, turn) of 6 classes.
        let omniglot = ToyOmniglot.make(alphabets: 4, characters: 6, drawers: 4)
        let data = ClassImages.omniglot(omniglot, quarterTurns: true)
        let groups = try #require(data.groups)
        #expect(groups.count == 96 && Set(groups).count == 16)
        #expect(groups[6] == 1 && groups[24] == 4)     // character 6 is alphabet 1's; class 24 is turn 1 of alphabet 0
        let sampler = ClassBatchSampler(labels: data.labels, classes: 8, perClass: 2, groups: groups, groupsPerBatch: 2)
        var g = SeededGenerator(seed: 9)
        for _ in 0..<20 {
            let batch = sampler.batch(using: &g)
            let classes = batch.map { data.labels[$0] }
            #expect(batch.count == 16 && Set(classes).count == 8)
            #expect(Set(classes.map { groups[$0] }).count == 2)      // 4 classes from each of two groups
        }
        // A group smaller than its share is topped up from the next: 10 classes from groups of 6.
        let topped = ClassBatchSampler(labels: data.labels, classes: 10, perClass: 2, groups: groups, groupsPerBatch: 1)
        let classes = topped.batch(using: &g).map { data.labels[$0] }
        #expect(Set(classes).count == 10 && Set(classes.map { groups[$0] }).count == 2)
    }
}

@Suite("Chapter 07 end to end")
struct Chapter07RunTests {
    @Test func quickRun() throws {
        guard ChapterProcess.omniglotAvailable else {
            #expect(!ChapterProcess.underCI, "Omniglot is missing; run Scripts/fetch-data.sh")
            return
        }
        let scratch = ChapterProcess.scratchFolder("ch07")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let args = ["--quick", "--figures", scratch.appendingPathComponent("f").path, "--checkpoints", scratch.appendingPathComponent("c").path]
        let result = try ChapterProcess.run("07-omniglot-benchmark", args)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for heading in ["1. The protocol", "2. The recipe", "3. Training with a validation curve", "4. The test", "Summary"] {
            #expect(result.stdout.contains(heading), "missing section \(heading)")
        }
        for name in ["augmentation", "ink-box", "learning-curve"] {
            #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("f/07-\(name).png").path), "missing 07-\(name)")
        }
        let model = try EmbeddingModel.load(from: scratch.appendingPathComponent("c/07-omniglot-conv4.safetensors"))
        #expect(model.card.architecture == .conv4 && model.card.side == 32 && model.card.inkBox == Framing.defaultInkBoxFill)
        // Running again resumes after the finished epoch instead of starting over.
        let again = try ChapterProcess.run("07-omniglot-benchmark", args + ["--epochs", "2"])
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(again.stdout.contains("Resuming after epoch 1"))
        // Flags of other chapters are refused in one line.
        let bad = try ChapterProcess.run("07-omniglot-benchmark", ["--arch", "resnet"])
        #expect(bad.status != 0 && bad.stderr.split(separator: "\n").count == 1)
    }

    @Test func quickLongRunTrainsAnEnsemble() throws {
        guard ChapterProcess.omniglotAvailable else {
            #expect(!ChapterProcess.underCI, "Omniglot is missing; run Scripts/fetch-data.sh")
            return
        }
        let scratch = ChapterProcess.scratchFolder("ch07-long")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try ChapterProcess.run("07-omniglot-benchmark", ["--quick", "--long", "--no-figures",
                                                                      "--checkpoints", scratch.appendingPathComponent("c").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for member in 1...3 {
            #expect(result.stdout.contains("member \(member) alone"))
            let url = scratch.appendingPathComponent("c/07-omniglot-conv4-long-\(member).safetensors")
            #expect(FileManager.default.fileExists(atPath: url.path), "missing member \(member)'s checkpoint")
        }
        #expect(result.stdout.contains("3 x conv4 + triplet"))
    }
}
