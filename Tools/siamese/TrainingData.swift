import ArgumentParser
import SiameseKit

/// The data sets `siamese train` learns from.
enum Dataset: String, ExpressibleByArgument, CaseIterable {
    case omniglot, mnist, fashion
}

/// What `siamese train` needs from a data set: training images, a validation score per epoch,
/// and held-out images of known classes to calibrate the verify threshold on.
struct TrainingData {
    /// What to train on.
    let training: ClassImages
    /// One line about the training images.
    let summary: String
    /// What the validation score measures, e.g. "20-way one-shot, held-out alphabets".
    let validationName: String
    /// One-shot accuracy in [0, 1] of a model on the validation trials.
    let validate: (EmbeddingModel) -> Float
    /// Held-out images `[N, 1, side, side]` and their classes, for the verify threshold.
    let calibrationImages: Tensor
    let calibrationLabels: [Int]

    /// Loads `dataset` from `folder` at the model's input side (`quarterTurns`: Omniglot
    /// characters turned by 90° count as new classes).
    static func load(_ dataset: Dataset, from folder: DataFolder, card: ModelCard, quarterTurns: Bool) throws -> TrainingData {
        switch dataset {
        case .omniglot: try omniglot(from: folder, card: card, quarterTurns: quarterTurns)
        case .mnist: try mnist(.digits, from: folder, side: card.side)
        case .fashion: try mnist(.fashion, from: folder, side: card.side)
        }
    }

    /// Omniglot's background alphabets minus one held out (Korean): validation is 20-way
    /// one-shot on it (`OmniglotBenchmark`), calibration uses 4 drawings of up to 50 of their characters.
    static func omniglot(from folder: DataFolder, card: ModelCard, quarterTurns: Bool) throws -> TrainingData {
        let benchmark = try OmniglotBenchmark.load(side: card.side, inkBox: card.inkBox, from: folder,
                                                   validationTrials: card.architecture == .koch ? 200 : 400)
        let training = benchmark.trainingSet(quarterTurns: quarterTurns)
        let background = benchmark.background
        var characters = benchmark.validationAlphabets.flatMap { background.characters(inAlphabet: $0) }
        var generator = SeededGenerator(seed: 7)
        characters.shuffle(using: &generator)
        characters = Array(characters.prefix(50))
        let indices = characters.flatMap { background.indicesByCharacter[$0].prefix(4) }
        let labels = characters.enumerated().flatMap { position, c in
            Array(repeating: position, count: background.indicesByCharacter[c].prefix(4).count)
        }
        return TrainingData(
            training: training,
            summary: "\(benchmark.trainingCharacters.count) characters\(quarterTurns ? " x 4 quarter turns" : "") = "
                + "\(training.classCount) classes, \(training.count) drawings at \(card.side)x\(card.side)",
            validationName: "20-way one-shot on \(benchmark.validationAlphabets.count) held-out alphabets",
            validate: { benchmark.validate($0) },
            calibrationImages: background.images(at: indices), calibrationLabels: labels)
    }

    /// MNIST or Fashion-MNIST: train on the training split; validate with 200 fixed 10-way
    /// one-shot trials among the first 1,000 test images, calibrate on the next 200.
    static func mnist(_ variant: MNIST.Variant, from folder: DataFolder, side: Int) throws -> TrainingData {
        let train = try MNIST.load(.train, variant: variant, from: folder)
        let test = try MNIST.load(.test, variant: variant, from: folder)
        guard test.count >= 1200 else { throw ToolError("the \(variant.folder) test split has only \(test.count) images, 1200 needed") }
        let resize: @Sendable (Tensor) -> Tensor = { images in
            side == MNIST.side ? images
                : Resampling.resize(images, toHeight: side, toWidth: side, method: side < MNIST.side ? .area : .bilinear)
        }
        let images = train.images
        let training = ClassImages(labels: train.labels, classCount: train.classCount) { resize(images.gatherRows($0)) }
        let validation = test.subset(Array(0..<1000)), calibration = test.subset(Array(1000..<1200))
        let validationImages = resize(validation.images)
        return TrainingData(
            training: training,
            summary: "\(variant.folder) training split: 10 classes, \(train.count) images at \(side)x\(side)",
            validationName: "10-way one-shot, 200 trials on test images",
            validate: { model in
                oneShot(model, embeddings: model.embed(validationImages), labels: validation.labels, ways: 10, trials: 200)
            },
            calibrationImages: resize(calibration.images), calibrationLabels: calibration.labels)
    }

    /// `trials` fixed `ways`-way one-shot trials (the same every call, `oneShotTrials`) scored
    /// with the model's own scoring (distance or Koch's head); the fraction right.
    static func oneShot(_ model: EmbeddingModel, embeddings: Tensor, labels: [Int], ways: Int, trials: Int) -> Float {
        guard Set(labels).count >= ways else { return 0 }
        var generator = SeededGenerator(seed: 1)
        let drawn = oneShotTrials(labels: labels, ways: ways, count: trials, using: &generator)
        return model.accuracy(on: drawn, embeddings: embeddings) { $0 }.accuracy
    }

    /// Sets `model`'s verify threshold from same and different pairs of the calibration images;
    /// returns the balanced accuracy at that threshold and the number of pairs.
    func calibrate(_ model: EmbeddingModel) -> (accuracy: Float, pairs: Int)? {
        var generator = SeededGenerator(seed: 3)
        let (first, second, labels) = MetricLoss.pairs(labels: calibrationLabels, using: &generator)
        guard labels.contains(.same) && labels.contains(.different) else { return nil }
        let embeddings = model.embed(calibrationImages)
        let scores = model.scores(embeddings.gatherRows(first), embeddings.gatherRows(second))
        let (same, different) = PairLabel.split(scores, by: labels)
        return (model.calibrateThreshold(same: same, different: different), labels.count)
    }
}
