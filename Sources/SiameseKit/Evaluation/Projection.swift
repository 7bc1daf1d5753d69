/// Principal component analysis down to two dimensions, for drawing embeddings: the two
/// directions along which the points spread most (power iteration on the covariance matrix).
public enum Projection {
    /// `[N, D]` points projected on their first two principal components, `[N, 2]`.
    public static func pca2(_ points: Tensor) -> Tensor {
        precondition(points.rank == 2, "pca2: expected [N, D], got \(points.shape)")
        let n = points.shape[0], d = points.shape[1]
        if d <= 2 { return d == 2 ? points : Tensor.concatenateRows([points.transposed(), Tensor.zeros([1, n])]).transposed() }
        let centred = points - points.mean(alongAxis: 0)
        let covariance = matmul(centred, centred, transposeA: true) / Float(Swift.max(n - 1, 1))   // [D, D]
        var components: [Tensor] = []
        var deflated = covariance
        for k in 0..<2 {
            var v = Tensor((0..<d).map { Float(($0 * 7 + k * 3) % 5) + 1 }).reshaped([d, 1])
            for _ in 0..<200 {
                let w = matmul(deflated, v)
                let norm = w.squared().sum().squareRoot()
                guard norm > 0 else { break }
                v = w / norm
            }
            components.append(v)
            let lambda = matmul(matmul(v, deflated, transposeA: true), v).scalar
            deflated = deflated - matmul(v, v, transposeB: true) * lambda
        }
        let basis = Tensor.concatenateRows([components[0].transposed(), components[1].transposed()])  // [2, D]
        return matmul(centred, basis, transposeB: true)
    }
}
