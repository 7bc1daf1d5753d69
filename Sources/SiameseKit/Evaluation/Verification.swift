/// Verification: given pairs with a score each, how well does a threshold on the score separate
/// same from different pairs?
public struct ROCCurve: Sendable {
    /// Thresholds from the highest "same" score to the lowest.
    public let thresholds: [Float]
    /// Fraction of same pairs accepted at each threshold (recall).
    public let truePositiveRates: [Float]
    /// Fraction of different pairs wrongly accepted at each threshold.
    public let falsePositiveRates: [Float]
    /// The area under the curve: the probability that a random same pair scores above a random
    /// different pair (1 is perfect, 0.5 is chance).
    public let area: Float
    /// The best accuracy any threshold reaches on these pairs, and that threshold.
    public let bestAccuracy: Float
    public let bestThreshold: Float

    /// The curve of `scores` where a higher score means "more likely the same" (use −distance
    /// for distances).
    public init(scores: [Float], labels: [PairLabel]) {
        precondition(scores.count == labels.count && !scores.isEmpty, "ROCCurve: \(scores.count) scores for \(labels.count) labels")
        let positives = Float(labels.filter { $0 == .same }.count)
        let negatives = Float(labels.count) - positives
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var tp: Float = 0, fp: Float = 0
        var thresholds: [Float] = [.infinity], tpr: [Float] = [0], fpr: [Float] = [0]
        var best = negatives / Float(labels.count), bestT = Float.infinity
        var k = 0
        while k < order.count {
            let t = scores[order[k]]
            while k < order.count && scores[order[k]] == t {    // ties move together
                if labels[order[k]] == .same { tp += 1 } else { fp += 1 }
                k += 1
            }
            thresholds.append(t)
            tpr.append(positives > 0 ? tp / positives : 0)
            fpr.append(negatives > 0 ? fp / negatives : 0)
            let accuracy = (tp + (negatives - fp)) / Float(labels.count)
            if accuracy > best { best = accuracy; bestT = t }
        }
        var area: Float = 0
        for i in 1..<tpr.count { area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2 }
        self.thresholds = thresholds
        truePositiveRates = tpr
        falsePositiveRates = fpr
        self.area = area
        bestAccuracy = best
        bestThreshold = bestT
    }

    /// Accuracy when pairs scoring at least `threshold` are called the same.
    public static func accuracy(scores: [Float], labels: [PairLabel], threshold: Float) -> Float {
        let correct = zip(scores, labels).filter { ($0 >= threshold) == ($1 == .same) }.count
        return Float(correct) / Float(Swift.max(labels.count, 1))
    }
}
