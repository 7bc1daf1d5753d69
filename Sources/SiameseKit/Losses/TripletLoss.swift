/// The triplet loss: an anchor should be closer to a positive (same class) than to a negative
/// (another class) by a margin. Schroff, Kalenichenko and Philbin, "FaceNet" (2015);
/// Weinberger and Saul (2009).
///
///     hard margin:  max(0, d(a, p) − d(a, n) + m)
///     soft margin:  log(1 + e^(d(a, p) − d(a, n)))   (Hermans, Beyer and Leibe 2017)
public enum TripletMargin: Sendable, Equatable, CustomStringConvertible {
    case hard(Float)
    case soft

    /// The loss of each triplet from its anchor-positive and anchor-negative distances (`[T]` each).
    public func loss(positive dap: Variable, negative dan: Variable) -> Variable {
        switch self {
        case let .hard(m): return (dap - dan + m).relu()
        case .soft: return (dap - dan).softplus()
        }
    }

    public var description: String {
        switch self {
        case let .hard(m): return "margin \(m)"
        case .soft: return "soft margin"
        }
    }
}

/// The mean triplet loss of explicit triplets of embeddings (`[T, D]` each), with Euclidean distances.
public func tripletLoss(anchor: Variable, positive: Variable, negative: Variable, margin: TripletMargin) -> Variable {
    margin.loss(positive: Distance.l2(anchor, positive), negative: Distance.l2(anchor, negative)).mean()
}

/// What a batch's triplet loss saw: how many triplets, how many still violated the margin, and
/// the mean distances (a collapse shows as both distances near 0).
public struct TripletBatchStats: Sendable {
    public let triplets: Int
    public let active: Int
    public let meanPositiveDistance: Float
    public let meanNegativeDistance: Float
}

/// The triplet loss of a batch of embeddings `[B, D]` with class labels, the triplets picked by
/// `mining` from all pairwise distances (one matrix product). Batch-all averages over the
/// triplets that still have a loss ("BA≠0"); batch-hard and semi-hard over anchors.
/// Hermans, Beyer and Leibe, "In Defense of the Triplet Loss for Person Re-Identification" (2017).
public func batchTripletLoss(embeddings: Variable, labels: [Int], mining: TripletMining,
                             margin: TripletMargin) -> (loss: Variable, stats: TripletBatchStats) {
    let b = labels.count
    precondition(embeddings.shape.count == 2 && embeddings.shape[0] == b,
                 "batchTripletLoss: embeddings \(embeddings.shape) for \(b) labels")
    let distances = Distance.pairwiseL2(embeddings, embeddings)                        // [B, B]
    let triplets = mining.select(distances: distances.value, labels: labels)
    return tripletLoss(distances: distances, triplets: triplets, margin: margin, averageOverActive: mining == .batchAll)
}

/// The triplet loss of given `triplets` of batch indices, reading their distances from a
/// `[B, B]` distance matrix. The selection is fixed: mining picks triplets by comparing
/// distances, a step that has no gradient; the gradient flows through the chosen distances.
/// With `averageOverActive`, the sum is divided by the number of triplets with a non-zero loss.
public func tripletLoss(distances: Variable, triplets: [Triplet], margin: TripletMargin,
                        averageOverActive: Bool = false) -> (loss: Variable, stats: TripletBatchStats) {
    let b = distances.shape[0]
    guard !triplets.isEmpty else {
        let zero = (distances * 0).sum()
        return (zero, TripletBatchStats(triplets: 0, active: 0, meanPositiveDistance: 0, meanNegativeDistance: 0))
    }
    let flat = distances.reshaped([b * b])
    let dap = flat.gatherRows(triplets.map { $0.anchor * b + $0.positive })
    let dan = flat.gatherRows(triplets.map { $0.anchor * b + $0.negative })
    let perTriplet = margin.loss(positive: dap, negative: dan)
    let active = perTriplet.value.scalars.filter { $0 > 1e-12 }.count
    let loss = averageOverActive ? perTriplet.sum() / Float(Swift.max(active, 1)) : perTriplet.mean()
    return (loss, TripletBatchStats(triplets: triplets.count, active: active,
                                    meanPositiveDistance: dap.value.mean(), meanNegativeDistance: dan.value.mean()))
}
