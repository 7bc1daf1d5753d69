import ArgumentParser
import Foundation
import SiameseKit

/// `siamese train`: trains an embedding model with a batch metric loss and saves it, with its
/// calibrated verify threshold, as one `.safetensors` file.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an embedding model on Omniglot, MNIST or Fashion-MNIST and save it to one .safetensors file.",
        discussion: """
            Each epoch prints its loss, its one-shot validation accuracy and its speed. The best \
            epoch is saved to --output after every epoch, with the last epoch's state beside it \
            (x.resume.safetensors): run again with --resume to continue an interrupted run. At the \
            end, the verify threshold is calibrated on held-out pairs and stored in the model.
            """)

    @Option(help: "The data set: omniglot, mnist or fashion.")
    var dataset: Dataset = .omniglot

    @Option(help: ArgumentHelp("The data folder (default: $SIAMESE_DATA, else ./data).", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("The encoder: conv4, mnist or koch (default: conv4 for omniglot, mnist for mnist and fashion).",
                               valueName: "name"))
    var arch: String?

    @Option(help: ArgumentHelp("Input side in pixels, conv4 only: at least 16 (default 28).", valueName: "pixels"))
    var side: Int?

    @Option(help: ArgumentHelp("Frame each Omniglot drawing in its ink box, filling this share of the side (Chapter 07: 0.9); default: the whole drawing resized.",
                               valueName: "share"))
    var inkBox: Float?

    @Option(help: ArgumentHelp("Feature maps of conv4's first block (default 64; Chapter 07: 32).", valueName: "n"))
    var maps: Int?

    @Option(help: ArgumentHelp("How many times conv4's maps multiply from block to block (default 1; Chapter 07: 2).", valueName: "n"))
    var growth: Int?

    @Option(help: ArgumentHelp("Embedding size: conv4 0 = no final linear layer (default), mnist 32 (default).", valueName: "n"))
    var embedding: Int?

    @Option(help: ArgumentHelp("The loss: \(MetricLoss.names.joined(separator: ", ")) (default: triplet; koch for --arch koch).",
                               valueName: "name"))
    var loss: String?

    @Option(help: "The margin of the contrastive loss.")
    var margin: Float = 1

    @Option(help: "Training epochs (with --resume: the total, counting the epochs already done).")
    var epochs: Int = 10

    @Option(help: ArgumentHelp("Steps per epoch (default: about one pass over the training images).", valueName: "n"))
    var stepsPerEpoch: Int?

    @Option(help: ArgumentHelp("Classes per batch (default 32; 10 for mnist and fashion; 8 for koch).", valueName: "n"))
    var classesPerBatch: Int?

    @Option(help: ArgumentHelp("Images per class in a batch (default 4; 2 for koch).", valueName: "n"))
    var perClass: Int?

    @Option(help: ArgumentHelp("Omniglot: draw each batch's classes from this many alphabets (each in one quarter turn); default: from all.", valueName: "n"))
    var alphabetsPerBatch: Int?

    @Option(help: ArgumentHelp("Adam's learning rate (default 0.001; 0.0001 for koch).", valueName: "rate"))
    var lr: Float?

    @Option(help: "Seed for every random number.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Stop at the end of the first epoch past this many minutes of training.", valueName: "minutes"))
    var minutes: Double?

    @Option(help: "Stop after this many epochs without a better validation accuracy (counted from the learning-rate drop at the earliest).")
    var patience: Int = 4

    @Flag(help: "Train without random affine distortions (and without Omniglot's quarter-turn classes).")
    var noAugment = false

    @Option(help: ArgumentHelp("Where to save the model (.safetensors).", valueName: "file"))
    var output: String

    @Flag(help: "Continue from the resume file next to --output instead of starting afresh.")
    var resume = false

    var architecture: ModelCard.Architecture {
        arch.flatMap(ModelCard.Architecture.init(rawValue:)) ?? (dataset == .omniglot ? .conv4 : .mnist)
    }
    var lossName: String { loss ?? (architecture == .koch ? "koch" : "triplet") }

    func validate() throws {
        if let arch, ModelCard.Architecture(rawValue: arch) == nil {
            throw ValidationError("--arch must be one of \(ModelCard.Architecture.allCases.map(\.rawValue).joined(separator: ", ")), got '\(arch)'")
        }
        if MetricLoss(name: lossName) == nil {
            throw ValidationError("--loss must be one of \(MetricLoss.names.joined(separator: ", ")), got '\(lossName)'")
        }
        if let alphabetsPerBatch {
            if dataset != .omniglot { throw ValidationError("--alphabets-per-batch needs --dataset omniglot") }
            if alphabetsPerBatch < 1 { throw ValidationError("--alphabets-per-batch must be at least 1, got \(alphabetsPerBatch)") }
        }
        if architecture == .koch && dataset != .omniglot { throw ValidationError("--arch koch (105x105 input) needs --dataset omniglot") }
        if let side {
            if architecture != .conv4 { throw ValidationError("--side applies to --arch conv4 only (mnist is 28, koch 105)") }
            if side < 16 || side > 256 { throw ValidationError("--side must be between 16 and 256 (conv4 halves it 4 times), got \(side)") }
        }
        if let inkBox {
            if dataset != .omniglot { throw ValidationError("--ink-box applies to --dataset omniglot only") }
            if !(inkBox > 0 && inkBox <= 1) { throw ValidationError("--ink-box must be in (0, 1], got \(inkBox)") }
        }
        if let embedding {
            if architecture == .koch { throw ValidationError("--embedding does not apply to --arch koch (4096)") }
            if embedding < (architecture == .mnist ? 1 : 0) || embedding > 4096 {
                throw ValidationError("--embedding must be between \(architecture == .mnist ? 1 : 0) and 4096, got \(embedding)")
            }
        }
        if maps != nil || growth != nil {
            if architecture != .conv4 { throw ValidationError("--maps and --growth apply to --arch conv4 only") }
            if let problem = card.problem { throw ValidationError("--maps/--growth: \(problem)") }
        }
        if !(margin > 0) { throw ValidationError("--margin must be positive, got \(margin)") }
        if epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let stepsPerEpoch, stepsPerEpoch < 1 { throw ValidationError("--steps-per-epoch must be at least 1, got \(stepsPerEpoch)") }
        if let classesPerBatch, classesPerBatch < 2 { throw ValidationError("--classes-per-batch must be at least 2, got \(classesPerBatch)") }
        if let perClass, perClass < 2 { throw ValidationError("--per-class must be at least 2, got \(perClass)") }
        if let lr, !(lr > 0) { throw ValidationError("--lr must be positive, got \(lr)") }
        if let minutes, !(minutes > 0) { throw ValidationError("--minutes must be positive, got \(minutes)") }
        if patience < 1 { throw ValidationError("--patience must be at least 1, got \(patience)") }
        if output.isEmpty { throw ValidationError("--output must name a file") }
    }

    /// The model's card from the options.
    var card: ModelCard {
        let scoring: ModelCard.Scoring = lossName == "koch" ? .kochHead : .distance
        let notes = ["training.data": dataset.rawValue]
        var card: ModelCard
        switch architecture {
        case .conv4:
            card = ModelCard(architecture: .conv4, side: side ?? 28, embeddingSize: embedding ?? 0, scoring: scoring, notes: notes)
            card.width = maps ?? card.width
            card.growth = growth ?? card.growth
        case .mnist: card = ModelCard(architecture: .mnist, side: 28, embeddingSize: embedding ?? 32, scoring: scoring, notes: notes)
        case .koch: card = ModelCard(architecture: .koch, side: 105, embeddingSize: 4096, scoring: scoring, notes: notes)
        }
        card.inkBox = inkBox
        return card
    }

    /// The training plan from the options.
    var plan: MetricTrainingPlan {
        var plan = MetricTrainingPlan()
        plan.loss = MetricLoss(name: lossName, margin: margin)!
        plan.classesPerBatch = classesPerBatch ?? (architecture == .koch ? 8 : dataset == .omniglot ? 32 : 10)
        plan.perClass = perClass ?? (architecture == .koch ? 2 : 4)
        plan.groupsPerBatch = alphabetsPerBatch
        plan.learningRate = lr ?? (architecture == .koch ? 1e-4 : 1e-3)
        plan.epochs = epochs
        plan.stepsPerEpoch = stepsPerEpoch
        plan.distortion = noAugment ? nil : AffineDistortion()
        plan.patience = patience
        plan.timeBudget = minutes.map { $0 * 60 }
        plan.seed = seed
        return plan
    }

    func run() throws {
        let (card, plan) = (self.card, self.plan)
        let folder = DataFolder(data)
        print("loading \(dataset.rawValue) from \(folder)")
        let quarterTurns = dataset == .omniglot && architecture == .conv4 && !noAugment
        let data = try TrainingData.load(dataset, from: folder, card: card, quarterTurns: quarterTurns)
        guard plan.classesPerBatch <= data.training.classCount else {
            throw ToolError("--classes-per-batch \(plan.classesPerBatch) is more than the \(data.training.classCount) classes of \(dataset.rawValue)")
        }
        var generator = SeededGenerator(seed: seed)
        let model = EmbeddingModel(card: card, using: &generator)
        print("training set: \(data.summary)")
        print("model: \(card.architecture.rawValue), \(model.parameterCount) parameters, \(card.side)x\(card.side) → \(card.outputSize) numbers"
              + (card.scoring == .kochHead ? " + Koch's head" : ""))
        print("loss: \(plan.loss), batches of \(plan.classesPerBatch) classes x \(plan.perClass) images, Adam \(plan.learningRate), "
              + (plan.distortion == nil ? "no augmentation" : "affine distortions") + "; validation: \(data.validationName)")

        let url = URL(fileURLWithPath: output)
        let resumeURL = MetricTrainer.resumeURL(for: url)
        let trainer = MetricTrainer(model: model, plan: plan)
        if resume {
            try checkResumable(resumeURL, as: card)
            let done = try trainer.resume(from: url)
            print(done > 0 ? "resuming after epoch \(done) from \(resumeURL.relativePath)"
                           : "nothing to resume at \(resumeURL.relativePath): starting from scratch")
        } else if FileManager.default.fileExists(atPath: resumeURL.path) {
            do { try FileManager.default.removeItem(at: resumeURL) } catch {
                throw ToolError("cannot remove the old resume file \(resumeURL.relativePath): \((error as NSError).localizedDescription)")
            }
        }
        let stopped = try trainer.train(
            on: data.training, validate: data.validate, checkpoint: url,
            progress: { Console.progress($0) },
            epochDone: { record in
                Console.endProgress()
                print("epoch \(record.epoch)/\(plan.epochs)  loss \(fixed(record.meanLoss, 4))  validation \(percent(record.validation))  "
                      + "\(fixed(record.imagesPerSecond, 0)) images/s  \(duration(record.seconds))")
            })
        guard let best = trainer.best else { throw ToolError("no epoch was trained") }
        print("stopped: \(stopped)")

        var notes = (try? Checkpoint.read(from: url))?.metadata.filter { !$0.key.hasPrefix("siamese.") } ?? [:]
        if let (accuracy, pairs) = data.calibrate(model) {
            notes["verify.accuracy"] = "\(accuracy)"
            notes["verify.pairs"] = "\(pairs)"
            print("verify threshold: \(fixed(model.card.threshold, 4)) (balanced accuracy \(percent(accuracy)) on \(pairs) held-out pairs)")
        } else {
            print("verify threshold: \(fixed(model.card.threshold, 4)) (default: no held-out pairs to calibrate on)")
        }
        try model.save(to: url, notes: notes)
        print("best validation: \(percent(best.validation)) (epoch \(best.epoch) of \(trainer.history.count))")
        print("saved: \(output)")
    }

    /// Refuses, in one line, to resume from a file saved by a different model than `card`.
    func checkResumable(_ url: URL, as card: ModelCard) throws {
        guard FileManager.default.fileExists(atPath: url.path),
              let saved = ModelCard(metadata: try Checkpoint.read(from: url).metadata) else { return }
        func describe(_ c: ModelCard) -> String {
            "\(c.architecture.rawValue)\(c.architecture == .conv4 ? " (maps \(c.width), growth \(c.growth))" : ""), side \(c.side), "
                + "embedding \(c.embeddingSize), scoring \(c.scoring.rawValue)" + (c.inkBox.map { ", ink box \($0)" } ?? "")
        }
        guard describe(saved) == describe(card) else {
            throw ToolError("cannot resume: \(url.relativePath) is a \(describe(saved)) model but the options ask for "
                            + "\(describe(card)); use the same --arch/--maps/--growth/--side/--ink-box/--embedding/--loss, or drop --resume")
        }
    }
}
