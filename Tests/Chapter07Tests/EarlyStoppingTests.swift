import Testing
@testable import SiameseKit

/// MetricTrainer's early stopping: patience counts from the learning-rate drop at the earliest.
@Suite("Early stopping")
struct EarlyStoppingTests {
    /// Trains a tiny conv4 on toy Omniglot with a validation score that only falls, so the
    /// best epoch is the first; returns the epochs run.
    func epochsRun(epochs: Int, decayFraction: Double, patience: Int) throws -> [Int] {
        let benchmark = OmniglotBenchmark(background: ToyOmniglot.make(), evaluation: ToyOmniglot.make(split: .evaluation),
                                          validationAlphabets: 1, validationWays: 5, validationTrials: 10)
        var g = SeededGenerator(seed: 3)
        var plan = MetricTrainingPlan()
        (plan.classesPerBatch, plan.perClass, plan.stepsPerEpoch, plan.epochs, plan.patience) = (6, 2, 1, epochs, patience)
        plan.decayFraction = decayFraction
        let trainer = MetricTrainer(model: EmbeddingModel(card: ModelCard(architecture: .conv4, side: 16, embeddingSize: 8), using: &g),
                                    plan: plan)
        var score: Float = 1
        try trainer.train(on: benchmark.trainingSet(quarterTurns: false), validate: { _ in score -= 0.1; return score }, checkpoint: nil)
        #expect(trainer.best?.epoch == 1)
        return trainer.history.map(\.epoch)
    }

    @Test func patienceWaitsForTheLearningRateDrop() throws {
        // 8 epochs, the last 4 decayed (from epoch 5): patience 2 runs epochs 5 and 6, then stops.
        #expect(try epochsRun(epochs: 8, decayFraction: 0.5, patience: 2) == Array(1...6))
    }

    @Test func withoutDecayPatienceCountsFromTheBestEpoch() throws {
        #expect(try epochsRun(epochs: 8, decayFraction: 0, patience: 2) == [1, 2, 3])
    }
}
