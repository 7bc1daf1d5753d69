/// One (anchor, positive, negative) triplet of batch indices.
public struct Triplet: Sendable, Equatable, Hashable {
    public let anchor: Int, positive: Int, negative: Int
    public init(_ anchor: Int, _ positive: Int, _ negative: Int) {
        self.anchor = anchor
        self.positive = positive
        self.negative = negative
    }
}

/// How triplets are chosen inside a batch of P classes × K images, from the pairwise distance
/// matrix. Hermans, Beyer and Leibe (2017) for batch-all and batch-hard; Schroff et al. (2015,
/// FaceNet) for semi-hard.
public enum TripletMining: Sendable, Equatable, CustomStringConvertible {
    /// Every valid triplet: all positives and all negatives of every anchor.
    case batchAll
    /// For each anchor, its farthest positive and its nearest negative.
    case batchHard
    /// For each anchor-positive pair, the nearest negative that is still farther than the
    /// positive (so it lies inside the margin whenever any such negative does); the farthest
    /// negative when none is farther (TensorFlow's `triplet_semihard_loss` rule).
    case semiHard

    public var description: String {
        switch self {
        case .batchAll: return "batch-all"
        case .batchHard: return "batch-hard"
        case .semiHard: return "semi-hard"
        }
    }

    /// The triplets this strategy picks from `distances` (`[B, B]`) and the batch's labels.
    public func select(distances: Tensor, labels: [Int]) -> [Triplet] {
        let b = labels.count
        precondition(distances.shape == [b, b], "triplet mining: distances \(distances.shape) for \(b) labels")
        let d = distances.scalars
        var triplets: [Triplet] = []
        for a in 0..<b {
            let positives = (0..<b).filter { $0 != a && labels[$0] == labels[a] }
            let negatives = (0..<b).filter { labels[$0] != labels[a] }
            guard !positives.isEmpty, !negatives.isEmpty else { continue }
            switch self {
            case .batchAll:
                for p in positives { for n in negatives { triplets.append(Triplet(a, p, n)) } }
            case .batchHard:
                let p = positives.max { d[a * b + $0] < d[a * b + $1] }!
                let n = negatives.min { d[a * b + $0] < d[a * b + $1] }!
                triplets.append(Triplet(a, p, n))
            case .semiHard:
                for p in positives {
                    let dap = d[a * b + p]
                    let farther = negatives.filter { d[a * b + $0] > dap }
                    let n = farther.min { d[a * b + $0] < d[a * b + $1] }
                        ?? negatives.max { d[a * b + $0] < d[a * b + $1] }!
                    triplets.append(Triplet(a, p, n))
                }
            }
        }
        return triplets
    }
}
