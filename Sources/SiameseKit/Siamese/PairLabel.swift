/// Whether the two images of a pair show the same class: a named type, so the meaning of a
/// label can never be confused.
///
/// The literature disagrees on the numbers. Hadsell, Chopra and LeCun (2006) write Y = 0 for a
/// similar pair and Y = 1 for a dissimilar one; Koch, Zemel and Salakhutdinov (2015) write
/// y = 1 for "same". Code here says `.same` or `.different`; the two conventions are available
/// as `hadsellY` and `kochTarget` where a formula wants a number.
public enum PairLabel: Sendable, Equatable, CustomStringConvertible {
    case same, different

    /// The label of two class labels.
    public init(_ a: Int, _ b: Int) { self = a == b ? .same : .different }

    /// Koch et al.'s target for the sigmoid head: 1 for `.same`, 0 for `.different`.
    public var kochTarget: Float { self == .same ? 1 : 0 }

    /// Hadsell et al.'s Y in the contrastive loss: 0 for `.same`, 1 for `.different`.
    public var hadsellY: Float { self == .same ? 0 : 1 }

    public var description: String { self == .same ? "same" : "different" }

    /// Splits per-pair values (distances, scores) into those of same pairs and of different pairs.
    public static func split(_ values: [Float], by labels: [PairLabel]) -> (same: [Float], different: [Float]) {
        precondition(values.count == labels.count, "PairLabel.split: \(values.count) values for \(labels.count) labels")
        var same: [Float] = [], different: [Float] = []
        for (value, label) in zip(values, labels) {
            if label == .same { same.append(value) } else { different.append(value) }
        }
        return (same, different)
    }
}
