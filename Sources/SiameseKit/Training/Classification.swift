import Foundation

/// What one epoch of classifier training measured.
public struct EpochReport: Sendable {
    public let epoch: Int
    /// Mean training loss over the epoch's batches.
    public let loss: Float
    /// Training accuracy, measured on the batches as they were trained (dropout on).
    public let trainAccuracy: Float
    /// Accuracy on the held-out set after the epoch.
    public let testAccuracy: Float
    /// Training throughput: images per second, forward + backward + update.
    public let imagesPerSecond: Double
    /// Wall-clock seconds of training (not evaluation) in this epoch.
    public let seconds: Double
    /// The loss of every batch, in order, for curves.
    public let batchLosses: [Float]
}

/// Trains a classifier on `[N, ...]` inputs with integer labels by mini-batch gradient descent
/// on softmax cross-entropy, one epoch per call, and evaluates it.
public final class ClassifierTrainer {
    public let model: any Layer
    public let optimizer: any Optimizer
    public let batchSize: Int
    public private(set) var epochsDone = 0

    public init(model: any Layer, optimizer: any Optimizer, batchSize: Int) {
        self.model = model
        self.optimizer = optimizer
        self.batchSize = batchSize
    }

    /// One pass over the training set in a seeded random order. `progress(batch, batches, loss)`
    /// is called after every batch (chapters print an in-place progress line with it).
    public func trainEpoch(images: Tensor, labels: [Int], test: (images: Tensor, labels: [Int]),
                           using generator: inout SeededGenerator,
                           progress: ((Int, Int, Float) -> Void)? = nil) -> EpochReport {
        model.setTraining(true)
        let batches = Batches(count: labels.count, size: batchSize, using: &generator)
        var losses: [Float] = []
        losses.reserveCapacity(batches.count)
        var correct = 0
        let (_, seconds) = timed {
            for (b, indices) in batches.enumerated() {
                let x = images.gatherRows(Array(indices))
                let y = indices.map { labels[$0] }
                var logits: Tensor? = nil
                let loss = trainStep(optimizer) {
                    let out = model(x)
                    logits = out.value
                    return softmaxCrossEntropy(logits: out, labels: y)
                }
                correct += zip(logits!.argmax(alongAxis: 1), y).filter { $0 == $1 }.count
                losses.append(loss)
                progress?(b + 1, batches.count, loss)
            }
        }
        epochsDone += 1
        let testAccuracy = accuracy(predicted: predictClasses(model, images: test.images), labels: test.labels)
        return EpochReport(epoch: epochsDone, loss: losses.reduce(0, +) / Float(Swift.max(losses.count, 1)),
                           trainAccuracy: Float(correct) / Float(Swift.max(labels.count, 1)),
                           testAccuracy: testAccuracy, imagesPerSecond: Double(labels.count) / seconds,
                           seconds: seconds, batchLosses: losses)
    }
}

/// The class a model picks for every input, in evaluation mode and without recording a graph,
/// `batchSize` inputs at a time.
public func predictClasses(_ model: any Layer, images: Tensor, batchSize: Int = 500) -> [Int] {
    outputs(model, images: images, batchSize: batchSize).argmax(alongAxis: 1)
}

/// A model's outputs for every input (`[N, ...]` in, `[N, K]` out), in evaluation mode,
/// without a graph, in batches. The model is left in evaluation mode.
public func outputs(_ model: any Layer, images: Tensor, batchSize: Int = 500) -> Tensor {
    model.setTraining(false)
    let n = images.shape[0]
    let parts = stride(from: 0, to: n, by: batchSize).map { start in
        withoutGradients { model(images.rows(start..<Swift.min(start + batchSize, n))).value }
    }
    return Tensor.concatenateRows(parts)
}

/// The fraction of predictions equal to their labels.
public func accuracy(predicted: [Int], labels: [Int]) -> Float {
    precondition(predicted.count == labels.count, "accuracy: \(predicted.count) predictions for \(labels.count) labels")
    return Float(zip(predicted, labels).filter { $0 == $1 }.count) / Float(Swift.max(labels.count, 1))
}

/// `matrix[true][predicted]` counts: row = the true class, column = the predicted one.
public func confusionMatrix(predicted: [Int], labels: [Int], classes: Int) -> [[Int]] {
    var matrix = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    for (p, t) in zip(predicted, labels) { matrix[t][p] += 1 }
    return matrix
}
