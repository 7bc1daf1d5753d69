import Foundation
import Testing
@testable import SiameseKit

/// MetricTrainer's early stopping: the epoch kept is the best once the learning rate is lowered,
/// and patience counts from the learning-rate drop at the earliest.
@Suite("Early stopping")
struct EarlyStoppingTests {
    /// Trains a tiny conv4 on toy Omniglot whose validation score after epoch e is `scores[e - 1]`
    /// (default: one that only falls, so the best epoch is the first, or with a learning-rate
    /// drop the first lowered one); returns the trainer.
    func trained(epochs: Int, decayFraction: Double, patience: Int, timeBudget: Double? = nil, checkpoint: URL? = nil,
                 scores: [Float]? = nil) throws -> MetricTrainer {
        let benchmark = OmniglotBenchmark(background: ToyOmniglot.make(), evaluation: ToyOmniglot.make(split: .evaluation),
                                          validationAlphabets: 1, validationWays: 5, validationTrials: 10)
        var g = SeededGenerator(seed: 3)
        var plan = MetricTrainingPlan()
        (plan.classesPerBatch, plan.perClass, plan.stepsPerEpoch, plan.epochs, plan.patience) = (6, 2, 1, epochs, patience)
        plan.decayFraction = decayFraction
        plan.timeBudget = timeBudget
        let trainer = MetricTrainer(model: EmbeddingModel(card: ModelCard(architecture: .conv4, side: 16, embeddingSize: 8), using: &g),
                                    plan: plan)
        if let checkpoint { try trainer.resume(from: checkpoint) }
        let scores = scores ?? (1...epochs).map { 1 - 0.1 * Float($0) }
        var epoch = trainer.history.count
        try trainer.train(on: benchmark.trainingSet(quarterTurns: false), validate: { _ in epoch += 1; return scores[epoch - 1] },
                          checkpoint: checkpoint)
        return trainer
    }

    /// The epochs run with a falling validation score; checks which epoch is kept.
    func epochsRun(epochs: Int, decayFraction: Double, patience: Int, timeBudget: Double? = nil, checkpoint: URL? = nil) throws -> [Int] {
        let trainer = try trained(epochs: epochs, decayFraction: decayFraction, patience: patience, timeBudget: timeBudget, checkpoint: checkpoint)
        let lowered = trainer.history.first { $0.learningRate < trainer.plan.learningRate }
        #expect(trainer.best?.epoch == (lowered?.epoch ?? 1))
        return trainer.history.map(\.epoch)
    }

    @Test func theBestLoweredEpochIsKept() throws {
        // A lucky early epoch (0.9) before the learning-rate drop at epoch 4 loses to the best
        // of the lowered epochs, 4 to 6; its weights are the ones left in the model.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("best-lowered-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = folder.appendingPathComponent("m.safetensors")
        let trainer = try trained(epochs: 6, decayFraction: 0.5, patience: 6, checkpoint: checkpoint, scores: [0.5, 0.9, 0.6, 0.7, 0.8, 0.75])
        #expect(trainer.history.map(\.epoch) == Array(1...6))
        #expect(trainer.best?.epoch == 5)
        let saved = try EmbeddingModel.load(from: checkpoint)
        #expect(saved.card.notes["training.best-epoch"] == "5")
        #expect(zip(saved.namedState, trainer.model.namedState).allSatisfy { $0.variable.value == $1.variable.value })
        // Without a drop, the best of all epochs is kept.
        #expect(try trained(epochs: 3, decayFraction: 0, patience: 6, scores: [0.5, 0.9, 0.6]).best?.epoch == 2)
        // A checkpoint that kept another epoch (the older rule: epoch 2, the best of all, here
        // other weights) is resumed with the last epoch's weights when that is the best lowered one.
        let older = folder.appendingPathComponent("older.safetensors")
        _ = try trained(epochs: 4, decayFraction: 0.5, patience: 6, checkpoint: older, scores: [0.5, 0.9, 0.6, 0.7])
        let last = try Checkpoint.read(from: MetricTrainer.resumeURL(for: older))
        var stale = try Checkpoint.read(from: older).metadata
        stale["training.best-epoch"] = "2"
        var g = SeededGenerator(seed: 99)
        let other = EmbeddingModel(card: ModelCard(architecture: .conv4, side: 16, embeddingSize: 8), using: &g)
        try other.save(to: older, notes: stale.filter { !$0.key.hasPrefix("siamese.") })
        let resumed = try trained(epochs: 4, decayFraction: 0.5, patience: 6, checkpoint: older)
        #expect(resumed.best?.epoch == 4)
        let weights = Dictionary(uniqueKeysWithValues: last.namedTensors.map { ($0.name, $0.tensor) })
        #expect(resumed.model.namedState.allSatisfy { weights[$0.name] == $0.variable.value })
    }

    @Test func patienceWaitsForTheLearningRateDrop() throws {
        // 8 epochs, the last 4 decayed (from epoch 5): epoch 5 is the best lowered epoch, and
        // patience 2 runs epochs 6 and 7 after it, then stops.
        #expect(try epochsRun(epochs: 8, decayFraction: 0.5, patience: 2) == Array(1...7))
    }

    @Test func aTimeBudgetBringsTheDropForward() {
        // 10 epochs, the last 30% lowered: epochs 8 to 10; with a 100-second budget, also any
        // epoch that starts after 70 seconds of training, so a run cut short still gets the drop.
        var plan = MetricTrainingPlan()
        (plan.epochs, plan.decayFraction) = (10, 0.3)
        #expect(MetricTrainer.decayFrom(plan) == 7)
        #expect(!MetricTrainer.lowersRate(epoch: 7, plan: plan, trainingSeconds: 1e9))
        #expect(MetricTrainer.lowersRate(epoch: 8, plan: plan, trainingSeconds: 0))
        plan.timeBudget = 100
        #expect(!MetricTrainer.lowersRate(epoch: 3, plan: plan, trainingSeconds: 69.9))
        #expect(MetricTrainer.lowersRate(epoch: 3, plan: plan, trainingSeconds: 70))
        plan.decayFraction = 0
        #expect(!MetricTrainer.lowersRate(epoch: 9, plan: plan, trainingSeconds: 99))
    }

    @Test func withoutDecayPatienceCountsFromTheBestEpoch() throws {
        #expect(try epochsRun(epochs: 8, decayFraction: 0, patience: 2) == [1, 2, 3])
    }

    @Test func aRunThatStoppedStaysStoppedWhenResumed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("early-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Stopped by patience after epoch 3 of 8: running again trains nothing more.
        let patience = folder.appendingPathComponent("patience.safetensors")
        #expect(try epochsRun(epochs: 8, decayFraction: 0, patience: 2, checkpoint: patience) == [1, 2, 3])
        #expect(try epochsRun(epochs: 8, decayFraction: 0, patience: 2, checkpoint: patience) == [1, 2, 3])
        // Stopped at a time budget after epoch 1: the same budget is still spent on resuming.
        let budget = folder.appendingPathComponent("budget.safetensors")
        #expect(try epochsRun(epochs: 8, decayFraction: 0, patience: 8, timeBudget: 1e-6, checkpoint: budget) == [1])
        #expect(try epochsRun(epochs: 8, decayFraction: 0, patience: 8, timeBudget: 1e-6, checkpoint: budget) == [1])
        // A larger budget continues where it stopped.
        #expect(try epochsRun(epochs: 3, decayFraction: 0, patience: 8, timeBudget: 3600, checkpoint: budget) == [1, 2, 3])
    }
}
