/// Training loops for twin networks, shared by Chapters 03-05.
public enum PairTraining {
    /// Trains on balanced pairs: each step draws `pairsPerStep` pairs (half same, half
    /// different), embeds both sides with the shared encoder and minimises `loss(ea, eb, labels)`.
    /// `report` is called every `reportEvery` steps (progress lines); `schedule`, when given,
    /// sets the learning rate before each step (steps count from 1). At each report the batch's
    /// embeddings are checked for a collapse (`CollapseCheck`); the first warning goes to `warn`
    /// (printed by default).
    @discardableResult
    public static func train(_ twin: TwinNetwork, images: Tensor, sampler: PairSampler, steps: Int,
                             pairsPerStep: Int, optimizer: any Optimizer, name: String,
                             using generator: inout SeededGenerator, reportEvery: Int = 25,
                             schedule: ((Int) -> Float)? = nil,
                             report: (TrainingRun) -> Void = { _ in },
                             warn: (String) -> Void = { print("\n  " + $0) },
                             loss: (Variable, Variable, [PairLabel]) -> Variable) -> TrainingRun {
        let run = TrainingRun(name: name, steps: steps, examplesPerStep: pairsPerStep)
        var warned = false
        twin.encoder.setTraining(true)
        for step in 1...Swift.max(steps, 1) where steps > 0 {
            if let schedule { optimizer.learningRate = schedule(step) }
            let batch = sampler.batch(pairsPerStep, using: &generator)
            let a = images.gatherRows(batch.first), b = images.gatherRows(batch.second)
            var embeddings: Tensor? = nil
            run.record(trainStep(optimizer) {
                let (ea, eb) = twin(a, b)
                embeddings = ea.value
                return loss(ea, eb, batch.labels)
            })
            if step % reportEvery == 0 || step == steps {
                report(run)
                if !warned, let warning = CollapseCheck.embeddings(embeddings!) { warned = true; warn(warning) }
            }
        }
        return run
    }

    /// Trains on P×K class batches with a mined triplet loss. Returns the run and the last
    /// batch's statistics (for collapse checks); `report` also receives them.
    @discardableResult
    public static func trainTriplets(_ encoder: any Layer, images: Tensor, labels: [Int], sampler: ClassBatchSampler,
                                     steps: Int, optimizer: any Optimizer, mining: TripletMining, margin: TripletMargin,
                                     name: String, using generator: inout SeededGenerator, reportEvery: Int = 25,
                                     report: (TrainingRun, TripletBatchStats) -> Void = { _, _ in },
                                     warn: (String) -> Void = { print("\n  " + $0) }) -> TrainingRun {
        let run = TrainingRun(name: name, steps: steps, examplesPerStep: sampler.classes * sampler.perClass)
        var warned = false
        encoder.setTraining(true)
        for step in 1...Swift.max(steps, 1) where steps > 0 {
            let indices = sampler.batch(using: &generator)
            let x = images.gatherRows(indices), y = indices.map { labels[$0] }
            var stats: TripletBatchStats? = nil
            run.record(trainStep(optimizer) {
                let result = batchTripletLoss(embeddings: encoder(x), labels: y, mining: mining, margin: margin)
                stats = result.stats
                return result.loss
            })
            if step % reportEvery == 0 || step == steps {
                report(run, stats!)
                if !warned, let warning = CollapseCheck.triplet(stats!, loss: run.losses.last!, margin: margin) {
                    warned = true
                    warn(warning)
                }
            }
        }
        return run
    }

    /// Scores of `pairs` under `score` (a function of the two embeddings), computed in
    /// evaluation mode without a graph, `batchSize` pairs at a time.
    public static func scores(_ twin: TwinNetwork, images: Tensor, first: [Int], second: [Int], batchSize: Int = 500,
                              score: (Variable, Variable) -> Variable) -> [Float] {
        twin.encoder.setTraining(false)
        var out: [Float] = []
        for start in stride(from: 0, to: first.count, by: batchSize) {
            let end = Swift.min(start + batchSize, first.count)
            let a = images.gatherRows(Array(first[start..<end])), b = images.gatherRows(Array(second[start..<end]))
            out += withoutGradients {
                let (ea, eb) = twin(a, b)
                return score(ea, eb).value.scalars
            }
        }
        return out
    }
}
