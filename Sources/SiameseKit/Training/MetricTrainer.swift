import Foundation

/// How to train an `EmbeddingModel` with a batch metric loss: what the Omniglot chapters and
/// `siamese train` set.
public struct MetricTrainingPlan: Sendable {
    public var loss: MetricLoss = .tripletBatchAll
    /// Classes per batch (P) and images per class (K): P·K images a step.
    public var classesPerBatch = 32, perClass = 4
    /// Draw each batch's classes from this many groups of the data (Omniglot: alphabets in one
    /// turn; see `ClassBatchSampler`), or from all classes at once (nil, or data without groups).
    public var groupsPerBatch: Int? = nil
    public var learningRate: Float = 1e-3
    /// The learning rate is divided by 10 for the last `decayFraction` of the epochs, or, with a
    /// `timeBudget`, from the first epoch that starts after `1 - decayFraction` of the budget if
    /// that comes sooner: a run cut short by its budget still gets the drop.
    public var decayFraction = 0.3
    public var epochs = 10
    /// Steps per epoch; nil: as many as it takes to draw each image about once.
    public var stepsPerEpoch: Int? = nil
    /// Random affine distortions of every training image (Koch et al.'s), or none.
    public var distortion: AffineDistortion? = AffineDistortion()
    /// Stop after this many epochs without a better validation accuracy, counted from the
    /// first epoch of the learning-rate decay (if any) at the earliest: the decayed epochs are where
    /// the validation accuracy usually rises last, so a noisy early peak cannot skip them.
    public var patience = 4
    /// Stop at the end of the first epoch that passes this many seconds of training.
    public var timeBudget: Double? = nil
    public var seed: UInt64 = 42

    public init() {}
}

/// One epoch of a `MetricTrainer` run.
public struct EpochRecord: Sendable, Equatable {
    public let epoch: Int
    public let meanLoss: Float
    /// One-shot accuracy on the validation trials after the epoch.
    public let validation: Float
    /// Training seconds of this epoch and images per second.
    public let seconds: Double, imagesPerSecond: Double
    public let learningRate: Float

    /// `epoch,loss,validation,seconds,images/s,lr`, how records are kept in a checkpoint.
    var line: String { "\(epoch),\(meanLoss),\(validation),\(seconds),\(imagesPerSecond),\(learningRate)" }

    init(epoch: Int, meanLoss: Float, validation: Float, seconds: Double, imagesPerSecond: Double, learningRate: Float) {
        self.epoch = epoch
        self.meanLoss = meanLoss
        self.validation = validation
        self.seconds = seconds
        self.imagesPerSecond = imagesPerSecond
        self.learningRate = learningRate
    }

    init?(line: Substring) {
        let f = line.split(separator: ",")
        guard f.count == 6, let e = Int(f[0]), let l = Float(f[1]), let v = Float(f[2]), let s = Double(f[3]),
              let r = Double(f[4]), let lr = Float(f[5]) else { return nil }
        self.init(epoch: e, meanLoss: l, validation: v, seconds: s, imagesPerSecond: r, learningRate: lr)
    }
}

/// Trains an `EmbeddingModel` epoch by epoch with a batch metric loss on P×K batches, checks
/// one-shot accuracy on validation trials after every epoch, keeps the best model (early
/// stopping; once the learning rate has been lowered, the best of the lowered epochs) and
/// saves after every epoch, so an interrupted run loses at most one epoch and
/// `resume` continues it exactly (weights, optimizer moments, epoch; each epoch's random
/// numbers come from `seed + epoch`).
///
/// Files: `checkpoint` holds the best model so far (a complete model for `EmbeddingModel.load`);
/// `checkpoint` with `.resume` before its extension holds the last epoch's state.
public final class MetricTrainer {
    public let model: EmbeddingModel
    public let plan: MetricTrainingPlan
    public let optimizer: Adam
    /// Every finished epoch, including those of a resumed run.
    public private(set) var history: [EpochRecord] = []
    /// The epoch kept: the best validation accuracy of the epochs trained at the lowered
    /// learning rate, once there are any, else of all epochs. A validation curve a few tenths
    /// of a point from its ceiling cannot tell epochs apart, and an early epoch that wins by
    /// noise has not had the learning-rate drop (Chapter 07 measured one such pick 0.8 points
    /// worse on 2,000 and 4,000 test trials than the run's last epoch).
    public var best: EpochRecord? {
        let lowered = history.filter { $0.learningRate < plan.learningRate }
        return (lowered.isEmpty ? history : lowered).max { $0.validation < $1.validation }
    }
    private var bestState: [(name: String, tensor: Tensor)]? = nil

    public init(model: EmbeddingModel, plan: MetricTrainingPlan) {
        self.model = model
        self.plan = plan
        optimizer = Adam(model.parameters, learningRate: plan.learningRate)
    }

    /// The resume file next to `checkpoint`: `x.safetensors` → `x.resume.safetensors`.
    public static func resumeURL(for checkpoint: URL) -> URL {
        checkpoint.deletingPathExtension().appendingPathExtension("resume").appendingPathExtension(Checkpoint.fileExtension)
    }

    /// Continues from `checkpoint`'s resume file, if there is one: returns the number of
    /// epochs already done (0 when there is nothing to resume). Throws for a damaged file or
    /// one saved from a different model (`ModelError.resumeFromOtherModel`).
    @discardableResult
    public func resume(from checkpoint: URL) throws -> Int {
        let url = Self.resumeURL(for: checkpoint)
        guard FileManager.default.fileExists(atPath: url.path) else { return 0 }
        let contents = try Checkpoint.read(from: url)
        let file = Checkpoint.displayName(url)
        // conv4's tensors do not depend on the input side or framing: compare those on the cards.
        if let saved = ModelCard(metadata: contents.metadata) {
            guard saved.framing == model.card.framing else {
                throw ModelError.resumeFromOtherModel(file: file, reason: "it was trained on \(saved.framing), this model takes \(model.card.framing)")
            }
        }
        do {
            try Checkpoint.apply(contents, to: model, file: file) { $0.hasPrefix("adam.") }
        } catch {
            guard let reason = Self.otherModel(error) else { throw error }
            throw ModelError.resumeFromOtherModel(file: file, reason: reason)
        }
        optimizer.restore(contents.tensors)
        history = (contents.metadata["training.history"] ?? "").split(separator: ";").compactMap(EpochRecord.init(line:))
        if FileManager.default.fileExists(atPath: checkpoint.path), let saved = try? Checkpoint.read(from: checkpoint) {
            let names = Set(model.namedState.map(\.name))
            bestState = saved.namedTensors.filter { names.contains($0.name) }
            // A checkpoint saved under the older rule (best of all epochs) may hold another epoch
            // than `best`; when `best` is the last epoch, its weights are the ones just resumed.
            if saved.metadata["training.best-epoch"] != best.map({ "\($0.epoch)" }), let best, best.epoch == history.last?.epoch {
                bestState = model.namedState.map { ($0.name, $0.variable.value) }
            }
        }
        return history.count
    }

    /// What makes a checkpoint error mean "another model's tensors", or nil.
    private static func otherModel(_ error: any Error) -> String? {
        switch error as? CheckpointError {
        case let .shapeMismatch(_, tensor, shape, expected)?: "tensor \"\(tensor)\" is \(shape), this model's is \(expected)"
        case let .missingTensor(_, tensor, _)?, let .unexpectedTensor(_, tensor)?: "tensor \"\(tensor)\" is not in both"
        default: nil
        }
    }

    /// Trains for the plan's epochs (those left after a `resume`), validating with `validate`
    /// (one-shot accuracy in [0, 1]) after each. `progress` gets a one-line status during an
    /// epoch, `epochDone` each finished epoch. Afterwards the model holds the best epoch's
    /// weights. Returns why training stopped.
    @discardableResult
    public func train(on data: ClassImages, validate: (EmbeddingModel) -> Float, checkpoint: URL?,
                      progress: (String) -> Void = { _ in }, epochDone: (EpochRecord) -> Void = { _ in }) throws -> String {
        let sampler = ClassBatchSampler(labels: data.labels, classes: plan.classesPerBatch, perClass: plan.perClass,
                                        groups: plan.groupsPerBatch == nil ? nil : data.groups, groupsPerBatch: plan.groupsPerBatch ?? 1)
        let batch = plan.classesPerBatch * plan.perClass
        let steps = plan.stepsPerEpoch ?? Swift.max(1, data.count / batch)
        let decayFrom = Self.decayFrom(plan)
        var trainingSeconds = history.reduce(0) { $0 + $1.seconds }
        var stopReason = "finished epoch \(plan.epochs) of \(plan.epochs)"
        model.setTraining(true)
        for epoch in (history.count + 1)...Swift.max(plan.epochs, history.count + 1) where epoch <= plan.epochs {
            // A resumed run that had already stopped (patience, time budget) stays stopped.
            if let reason = earlyStop(decayFrom: decayFrom, trainingSeconds: trainingSeconds) {
                stopReason = reason
                break
            }
            let lowered = history.contains { $0.learningRate < plan.learningRate }
                || Self.lowersRate(epoch: epoch, plan: plan, trainingSeconds: trainingSeconds)
            optimizer.learningRate = lowered ? plan.learningRate / 10 : plan.learningRate
            var generator = SeededGenerator(seed: plan.seed &+ UInt64(epoch))
            let started = ContinuousClock.now
            var lossSum: Float = 0
            for step in 1...steps {
                let indices = sampler.batch(using: &generator)
                var x = data.images(at: indices)
                if let distortion = plan.distortion { x = distortion(x, using: &generator) }
                let labels = indices.map { data.labels[$0] }
                let loss = trainStep(optimizer) { plan.loss(model(x), labels: labels, head: model.head, using: &generator) }
                lossSum += loss
                if step % 10 == 0 || step == steps {
                    let seconds = Self.seconds(since: started)
                    let left = seconds / Double(step) * Double(steps - step)
                    progress("epoch \(epoch)/\(plan.epochs)  step \(step)/\(steps)  loss \(fixed(lossSum / Float(step), 4))  "
                             + "\(fixed(Double(step * batch) / seconds, 0)) images/s  \(duration(left)) left in the epoch")
                }
            }
            let seconds = Self.seconds(since: started)
            trainingSeconds += seconds
            let accuracy = validate(model)
            model.setTraining(true)
            let record = EpochRecord(epoch: epoch, meanLoss: lossSum / Float(steps), validation: accuracy, seconds: seconds,
                                     imagesPerSecond: Double(steps * batch) / seconds, learningRate: optimizer.learningRate)
            history.append(record)
            let improved = best?.epoch == epoch
            if improved { bestState = model.namedState.map { ($0.name, $0.variable.value) } }
            if let checkpoint { try save(to: checkpoint, improved: improved) }
            epochDone(record)
            if let reason = earlyStop(decayFrom: decayFrom, trainingSeconds: trainingSeconds) {
                stopReason = reason
                break
            }
        }
        restoreBest()
        return stopReason
    }

    /// The last epoch before the learning-rate drop when it comes by epochs: `plan.epochs` minus
    /// the rounded `decayFraction` of them.
    static func decayFrom(_ plan: MetricTrainingPlan) -> Int {
        plan.epochs - Int((Double(plan.epochs) * plan.decayFraction).rounded())
    }

    /// Whether `epoch`, starting after `trainingSeconds` of training, is one of the plan's lowered
    /// epochs: past `decayFrom`, or started past `1 - decayFraction` of the time budget. (Once an
    /// epoch was lowered, the later ones are too.)
    static func lowersRate(epoch: Int, plan: MetricTrainingPlan, trainingSeconds: Double) -> Bool {
        if epoch > decayFrom(plan) { return true }
        guard let budget = plan.timeBudget, plan.decayFraction > 0 else { return false }
        return trainingSeconds >= budget * (1 - plan.decayFraction)
    }

    /// Why training should stop before the plan's last epoch, or nil: `patience` epochs without a
    /// better validation accuracy (counted from the learning-rate drop at the earliest), or the
    /// time budget spent.
    private func earlyStop(decayFrom: Int, trainingSeconds: Double) -> String? {
        guard let best, let last = history.last?.epoch else { return nil }
        let drop = history.first { $0.learningRate < plan.learningRate }.map { $0.epoch - 1 } ?? (decayFrom < plan.epochs ? decayFrom : 0)
        if last - Swift.max(best.epoch, drop) >= plan.patience {
            return "stopped early: no better validation accuracy for \(plan.patience) epochs since the learning-rate drop or the best epoch"
        }
        if let budget = plan.timeBudget, trainingSeconds >= budget { return "stopped at the time budget of \(duration(budget))" }
        return nil
    }

    /// Puts the best epoch's weights back into the model.
    public func restoreBest() {
        guard let bestState else { return }
        let saved = Dictionary(uniqueKeysWithValues: bestState.map { ($0.name, $0.tensor) })
        for (name, variable) in model.namedState { if let t = saved[name] { variable.value = t } }
    }

    private func notes() -> [String: String] {
        var notes = ["training.loss": plan.loss.description, "training.seed": "\(plan.seed)",
                     "training.epochs": "\(history.count)",
                     "training.history": history.map(\.line).joined(separator: ";")]
        if let best {
            notes["training.best-epoch"] = "\(best.epoch)"
            notes["training.validation"] = "\(best.validation)"
        }
        return notes
    }

    private func save(to checkpoint: URL, improved: Bool) throws {
        let notes = notes()
        try model.save(to: Self.resumeURL(for: checkpoint), notes: notes, extra: optimizer.state)
        if improved { try model.save(to: checkpoint, notes: notes) }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let c = start.duration(to: .now).components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
