import Foundation

/// A training run of metric learning measured step by step: the loss of every step, throughput
/// (pairs or triplets per second), elapsed and remaining time, for the progress line.
public final class TrainingRun {
    public let name: String
    public let steps: Int
    /// Pairs (or triplets, or images) one step consumes.
    public let examplesPerStep: Int
    public private(set) var losses: [Float] = []
    private let started = ContinuousClock.now
    private var trainingSeconds = 0.0

    public init(name: String, steps: Int, examplesPerStep: Int) {
        self.name = name
        self.steps = steps
        self.examplesPerStep = examplesPerStep
    }

    /// Seconds from the start of the run to its last recorded step: training time only, so it
    /// stays fixed once training ends (evaluation afterwards does not count).
    public var elapsed: Double { trainingSeconds }

    /// Examples per second so far.
    public var examplesPerSecond: Double { Double(losses.count * examplesPerStep) / Swift.max(elapsed, 1e-9) }

    /// Records one step's loss.
    public func record(_ loss: Float) {
        losses.append(loss)
        let c = started.duration(to: .now).components
        trainingSeconds = Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }

    /// The mean loss of the last `window` steps.
    public func recentLoss(window: Int = 50) -> Float {
        let tail = losses.suffix(window)
        return tail.reduce(0, +) / Float(Swift.max(tail.count, 1))
    }

    /// "name  step 300/600  loss 0.1234  5,120 pairs/s  12.0 s elapsed, 12.0 s to go".
    public func progressLine(unit: String = "pairs") -> String {
        let done = losses.count
        let remaining = done > 0 ? elapsed / Double(done) * Double(steps - done) : 0
        return "\(name)  step \(done)/\(steps)  loss \(fixed(recentLoss(), 4))  \(fixed(examplesPerSecond, 0)) \(unit)/s  "
            + "\(duration(elapsed)) elapsed, \(duration(remaining)) to go"
    }
}

/// Signs that an embedding has collapsed: every input mapped to (nearly) the same point. It is
/// the most common failure reported by users of Siamese code: the loss settles at a constant
/// (the margin, for a triplet loss) and nothing is learned.
public enum CollapseCheck {
    /// A warning when the mean distance between embeddings of different inputs is below
    /// `threshold`, or nil. `embeddings` is `[N, D]` for a probe batch.
    public static func embeddings(_ embeddings: Tensor, threshold: Float = 1e-3) -> String? {
        let n = embeddings.shape[0]
        guard n >= 2 else { return nil }
        let d = Distance.pairwiseL2(embeddings, embeddings)
        let mean = (d.sum() - (0..<n).reduce(Float(0)) { $0 + d.scalars[$1 * n + $1] }) / Float(n * (n - 1))
        guard mean < threshold else { return nil }
        return "warning: the embeddings have collapsed (mean distance between different inputs \(String(format: "%.1e", mean))): "
            + "lower the learning rate, or use mining / a margin that the data can meet"
    }

    /// A warning when a triplet loss is stuck at its margin with both distances near zero.
    public static func triplet(_ stats: TripletBatchStats, loss: Float, margin: TripletMargin) -> String? {
        guard case let .hard(m) = margin, m > 0 else { return nil }
        let stuck = Swift.abs(loss - m) < 0.01 * m
        let tiny = stats.meanPositiveDistance < 0.01 * m && stats.meanNegativeDistance < 0.01 * m
        guard stuck && tiny else { return nil }
        return "warning: the triplet loss is stuck at the margin (\(fixed(loss, 4)) ≈ \(m)) and all distances are ~0: "
            + "the embeddings have collapsed to a point"
    }
}
