/// The metric losses of Chapters 03-05 applied to a "P classes × K examples" batch of
/// embeddings: the choice `siamese train --loss` and the Omniglot chapters make.
public enum MetricLoss: Sendable, Equatable, CustomStringConvertible {
    /// Every valid triplet of the batch, soft margin (Chapter 05; Hermans et al. 2017).
    case tripletBatchAll
    /// The hardest positive and negative per anchor, soft margin (Chapter 05).
    case tripletBatchHard
    /// Hadsell et al.'s contrastive loss over every same pair of the batch and as many
    /// different pairs (Chapter 04).
    case contrastive(margin: Float)
    /// Koch et al.'s weighted-L1 head with cross-entropy over the same pairs and as many
    /// different pairs (Chapter 03). Needs a model with a `KochHead`.
    case koch

    /// The names `--loss` accepts.
    public static let names = ["triplet", "triplet-hard", "contrastive", "koch"]

    /// Parses a `--loss` name; nil for an unknown one.
    public init?(name: String, margin: Float = 1) {
        switch name {
        case "triplet", "triplet-all": self = .tripletBatchAll
        case "triplet-hard": self = .tripletBatchHard
        case "contrastive": self = .contrastive(margin: margin)
        case "koch": self = .koch
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .tripletBatchAll: "triplet"
        case .tripletBatchHard: "triplet-hard"
        case .contrastive: "contrastive"
        case .koch: "koch"
        }
    }

    /// The loss of one batch: `embeddings` `[B, D]` with class `labels` (B of them).
    public func callAsFunction(_ embeddings: Variable, labels: [Int], head: KochHead?,
                               using generator: inout SeededGenerator) -> Variable {
        switch self {
        case .tripletBatchAll:
            return batchTripletLoss(embeddings: embeddings, labels: labels, mining: .batchAll, margin: .soft).loss
        case .tripletBatchHard:
            return batchTripletLoss(embeddings: embeddings, labels: labels, mining: .batchHard, margin: .soft).loss
        case .contrastive(let margin):
            let (first, second, pairLabels) = Self.pairs(labels: labels, using: &generator)
            return contrastiveLoss(distances: Distance.l2(embeddings.gatherRows(first), embeddings.gatherRows(second)),
                                   labels: pairLabels, margin: margin)
        case .koch:
            guard let head else { preconditionFailure("MetricLoss.koch needs a model with a Koch head") }
            let (first, second, pairLabels) = Self.pairs(labels: labels, using: &generator)
            return binaryCrossEntropy(logits: head.logits(embeddings.gatherRows(first), embeddings.gatherRows(second)),
                                      labels: pairLabels)
        }
    }

    /// Every same pair `(i, j)`, `i < j`, of a batch, then as many different pairs drawn at
    /// random: balanced pairs from one forward pass.
    public static func pairs(labels: [Int], using generator: inout SeededGenerator)
        -> (first: [Int], second: [Int], labels: [PairLabel]) {
        var first: [Int] = [], second: [Int] = [], pairLabels: [PairLabel] = []
        for i in labels.indices {
            for j in (i + 1)..<labels.count where labels[i] == labels[j] {
                first.append(i); second.append(j); pairLabels.append(.same)
            }
        }
        let same = first.count
        guard Set(labels).count > 1 else { return (first, second, pairLabels) }
        while first.count < 2 * same {
            let i = Int.random(in: labels.indices, using: &generator), j = Int.random(in: labels.indices, using: &generator)
            guard labels[i] != labels[j] else { continue }
            first.append(i); second.append(j); pairLabels.append(.different)
        }
        return (first, second, pairLabels)
    }
}
