/// Omniglot as a one-shot benchmark (Lake et al. 2015; Koch et al. 2015): train on the
/// background alphabets minus one (or a few) held out for validation, validate on within-alphabet
/// trials of the held-out ones (early stopping), and test on within-alphabet trials of the 20
/// evaluation alphabets, which no training step ever sees.
public struct OmniglotBenchmark: Sendable {
    public let background: Omniglot, evaluation: Omniglot
    /// Background alphabets held out of training for validation.
    public let validationAlphabets: [Int]
    /// Background characters trained on (those of the other alphabets).
    public let trainingCharacters: [Int]
    /// Within-alphabet trials on the held-out alphabets, fixed for the whole run.
    public let validationTrials: [OneShotTrial]

    /// Loads both splits at `side` pixels (each drawing in its ink box with `inkBox`, see
    /// `Framing.inkBox`) and holds out `validationAlphabets` background
    /// alphabets (chosen by `seed`; one by default, Korean with seed 1: every other alphabet is
    /// trained on) with `validationTrials` trials of `validationWays` ways.
    public static func load(side: Int, inkBox: Float? = nil, from folder: DataFolder, validationAlphabets: Int = 1,
                            validationWays: Int = 20, validationTrials: Int = 400, seed: UInt64 = 1) throws -> OmniglotBenchmark {
        let background = try Omniglot.load(.background, side: side, inkBox: inkBox, from: folder)
        let evaluation = try Omniglot.load(.evaluation, side: side, inkBox: inkBox, from: folder)
        return OmniglotBenchmark(background: background, evaluation: evaluation, validationAlphabets: validationAlphabets,
                                 validationWays: validationWays, validationTrials: validationTrials, seed: seed)
    }

    public init(background: Omniglot, evaluation: Omniglot, validationAlphabets count: Int = 1, validationWays: Int = 20,
                validationTrials: Int = 400, seed: UInt64 = 1) {
        self.background = background
        self.evaluation = evaluation
        var generator = SeededGenerator(seed: seed)
        // Hold out alphabets big enough for `validationWays`-way trials.
        var candidates = background.alphabets.indices.filter { background.characters(inAlphabet: $0).count >= validationWays }
        candidates.shuffle(using: &generator)
        let held = Array(candidates.prefix(Swift.min(count, Swift.max(candidates.count - 1, 0)))).sorted()
        validationAlphabets = held
        trainingCharacters = background.characters.indices.filter { !held.contains(background.characters[$0].alphabet) }
        if held.isEmpty {
            self.validationTrials = []
        } else {
            let heldSet = Set(held)
            let generatorTables = OneShotTrialGenerator(
                characterAlphabet: background.characters.map { heldSet.contains($0.alphabet) ? $0.alphabet : -1 - $0.alphabet },
                imageCharacters: background.imageCharacters, imageDrawers: background.imageDrawers)
            // Trials only from held-out alphabets: the others are renamed to negative ids and filtered.
            var trials: [OneShotTrial] = []
            while trials.count < validationTrials {
                trials += generatorTables.trials(ways: validationWays, count: validationTrials, using: &generator)
                    .filter { heldSet.contains($0.alphabet) }
            }
            self.validationTrials = Array(trials.prefix(validationTrials))
        }
    }

    /// The training images: drawings of the training characters, with quarter turns as extra
    /// classes when asked.
    public func trainingSet(quarterTurns: Bool) -> ClassImages {
        ClassImages.omniglot(background, characters: trainingCharacters, quarterTurns: quarterTurns)
    }

    /// One-shot accuracy of `model` on the validation trials (0 when there are none).
    public func validate(_ model: EmbeddingModel) -> Float {
        validationTrials.isEmpty ? 0 : model.accuracy(on: validationTrials, of: background).accuracy
    }

    /// `count` within-alphabet `ways`-way `shots`-shot trials on the evaluation alphabets.
    public func evaluationTrials(ways: Int, shots: Int = 1, count: Int = 400, seed: UInt64) -> [OneShotTrial] {
        var generator = SeededGenerator(seed: seed)
        return OneShotTrialGenerator(evaluation).trials(ways: ways, shots: shots, count: count, using: &generator)
    }
}

extension EmbeddingModel {
    /// One-shot accuracy on `trials` over the images of `split`: each trial's images are
    /// resized to the model's input if needed and embedded (each image once), the supports of a
    /// character averaged into a prototype (distance scoring) or scored one by one and averaged
    /// (Koch's head), and the trial is right when the query's own character scores highest.
    /// With `shifts`, every embedding is the mean over the image and its one-pixel shifts
    /// (`TestTimeShifts`); with `turns`, the four quarter turns' embeddings side by side
    /// (`TestTimeTurns`).
    public func accuracy(on trials: [OneShotTrial], of split: Omniglot, shifts: Bool = false, turns: Bool = false,
                         batchSize: Int = 256) -> TrialAccuracy {
        accuracy(on: trials, shifts: shifts, turns: turns, batchSize: batchSize) { indices in
            let images = split.images(at: indices)
            return split.side == card.side ? images : Resampling.resize(images, toHeight: card.side, toWidth: card.side)
        }
    }

    /// One-shot accuracy on `trials` whose images `images(indices)` returns as this model's
    /// input `[n, 1, side, side]` (a different framing or resizing than the split's, say).
    public func accuracy(on trials: [OneShotTrial], shifts: Bool = false, turns: Bool = false, batchSize: Int = 256,
                         images: ([Int]) -> Tensor) -> TrialAccuracy {
        let (order, position) = trialImageOrder(trials)
        let embeddings = embed(images(order), shifts: shifts, turns: turns, batchSize: batchSize)
        return accuracy(on: trials, embeddings: embeddings) { position[$0]! }
    }

    /// One-shot accuracy on `trials` given `embeddings` `[M, D]` and where each image's row is.
    public func accuracy(on trials: [OneShotTrial], embeddings: Tensor, row: (Int) -> Int) -> TrialAccuracy {
        TrialAccuracy(trials) { characterScores($0, embeddings: embeddings, row: row) }
    }

    /// How much the query of `trial` looks like each of its characters (higher = more alike), in
    /// support order: minus the distance to the mean of the character's support embeddings
    /// (distance scoring), or the mean of Koch's head over the supports. `embeddings` `[M, D]`
    /// holds image `i` in row `row(i)`.
    public func characterScores(_ trial: OneShotTrial, embeddings: Tensor, row: (Int) -> Int) -> [Float] {
        let d = embeddings.shape[1]
        let query = embeddings.gatherRows([row(trial.query)])
        return trial.supports.map { supports in
            let rows = supports.map(row)
            if head != nil {
                let s = scores(embeddings.gatherRows(rows), against: query)
                return s.reduce(0, +) / Float(s.count)
            }
            let prototype = embeddings.gatherRows(rows).mean(alongAxis: 0).reshaped([1, d])
            return scores(prototype, query)[0]
        }
    }
}

extension TrialAccuracy {
    /// Counts the trials whose right answer gets the highest of `scores(trial)` (one score per
    /// character, in support order).
    init(_ trials: [OneShotTrial], scores: (OneShotTrial) -> [Float]) {
        let correct = trials.filter { trial in
            let s = scores(trial)
            return s.indices.max { s[$0] < s[$1] }! == trial.answer
        }.count
        self.init(correct: correct, trials: trials.count)
    }
}

/// Every image `trials` use, each once, in first-use order, and where each sits in that order:
/// what to embed for a set of trials.
func trialImageOrder(_ trials: [OneShotTrial]) -> (order: [Int], position: [Int: Int]) {
    var position: [Int: Int] = [:], order: [Int] = []
    for trial in trials {
        for index in trial.supports.joined() + [trial.query] where position[index] == nil {
            position[index] = order.count
            order.append(index)
        }
    }
    return (order, position)
}
