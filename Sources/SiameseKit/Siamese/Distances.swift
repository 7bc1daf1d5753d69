/// Distances and similarities between embeddings, row by row (`[N, D]` and `[N, D]` give `[N]`)
/// or as all-pairs matrices (`[N, D]` and `[M, D]` give `[N, M]`). All are differentiable.
public enum Distance {
    /// Added under square roots so their gradient stays finite when two embeddings coincide.
    public static let epsilon: Float = 1e-9

    /// Σ (aᵢ − bᵢ)² per row.
    public static func squaredL2(_ a: Variable, _ b: Variable) -> Variable {
        checkRows(a, b)
        return (a - b).squared().sum(alongAxis: 1)
    }

    /// The Euclidean distance √Σ (aᵢ − bᵢ)² per row.
    public static func l2(_ a: Variable, _ b: Variable) -> Variable { (squaredL2(a, b) + epsilon).sqrt() }

    /// The Manhattan distance Σ |aᵢ − bᵢ| per row.
    public static func l1(_ a: Variable, _ b: Variable) -> Variable {
        checkRows(a, b)
        return (a - b).abs().sum(alongAxis: 1)
    }

    /// Cosine similarity a·b / (|a| |b|) per row, in [−1, 1].
    public static func cosineSimilarity(_ a: Variable, _ b: Variable) -> Variable {
        checkRows(a, b)
        let dot = (a * b).sum(alongAxis: 1)
        let norms = ((a.squared().sum(alongAxis: 1) + epsilon) * (b.squared().sum(alongAxis: 1) + epsilon)).sqrt()
        return dot / norms
    }

    /// The RBF (Gaussian) kernel exp(−d² / σ²) per row: 1 for identical embeddings, toward 0
    /// for distant ones.
    public static func rbf(_ a: Variable, _ b: Variable, sigma: Float) -> Variable {
        (squaredL2(a, b) * (-1 / (sigma * sigma))).exp()
    }

    /// All squared Euclidean distances between the rows of `x` `[N, D]` and of `y` `[M, D]`,
    /// as `[N, M]`, through one matrix product: |x|² + |y|² − 2 x·yᵀ (clamped at 0 against
    /// rounding).
    public static func pairwiseSquaredL2(_ x: Variable, _ y: Variable) -> Variable {
        precondition(x.shape.count == 2 && y.shape.count == 2 && x.shape[1] == y.shape[1],
                     "pairwise distances: shapes \(x.shape) and \(y.shape) are not [N, D] and [M, D]")
        let xx = x.squared().sum(alongAxis: 1, keepingDims: true)                       // [N, 1]
        let yy = y.squared().sum(alongAxis: 1, keepingDims: true).reshaped([1, -1])     // [1, M]
        return (xx + yy - matmul(x, y, transposeB: true) * 2).relu()
    }

    /// All Euclidean distances between rows of `x` and `y`, `[N, M]`.
    public static func pairwiseL2(_ x: Variable, _ y: Variable) -> Variable {
        (pairwiseSquaredL2(x, y) + epsilon).sqrt()
    }

    /// All Euclidean distances between rows of plain tensors (evaluation; no graph).
    public static func pairwiseL2(_ x: Tensor, _ y: Tensor) -> Tensor {
        withoutGradients { pairwiseL2(Variable(x), Variable(y)).value }
    }

    private static func checkRows(_ a: Variable, _ b: Variable) {
        precondition(a.shape == b.shape && a.shape.count == 2,
                     "distance: embeddings \(a.shape) and \(b.shape) should both be [N, D]")
    }
}
