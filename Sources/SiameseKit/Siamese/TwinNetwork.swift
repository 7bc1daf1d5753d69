/// A Siamese (twin) network: one encoder applied to both images of a pair (or all three of a
/// triplet). The weights are shared by construction, because there is only one encoder; the
/// gradients from both branches add up in its parameters. Bromley et al., "Signature
/// Verification using a Siamese Time Delay Neural Network" (1993).
///
/// The branches run as one stacked batch (`[2N, ...]` through the encoder once, then split),
/// which is the same function as two separate passes and faster.
public final class TwinNetwork {
    /// The shared encoder: images `[N, C, H, W]` to embeddings `[N, D]`.
    public let encoder: any Layer

    public init(encoder: any Layer) { self.encoder = encoder }

    /// Embeddings of both sides of a batch of pairs: `a` and `b` `[N, ...]` give two `[N, D]`.
    public func callAsFunction(_ a: Tensor, _ b: Tensor) -> (Variable, Variable) {
        precondition(a.shape == b.shape, "TwinNetwork: the two sides have shapes \(a.shape) and \(b.shape)")
        let n = a.shape[0]
        let both = encoder(Variable(Tensor.concatenateRows([a, b])))
        return (both.rows(0..<n), both.rows(n..<(2 * n)))
    }

    /// Embeddings of a batch of triplets, one pass through the encoder.
    public func callAsFunction(anchor: Tensor, positive: Tensor, negative: Tensor) -> (Variable, Variable, Variable) {
        let n = anchor.shape[0]
        let all = encoder(Variable(Tensor.concatenateRows([anchor, positive, negative])))
        return (all.rows(0..<n), all.rows(n..<(2 * n)), all.rows((2 * n)..<(3 * n)))
    }

    /// Embeddings of many images `[N, ...]` → `[N, D]`, in evaluation mode, without a graph.
    public func embeddings(_ images: Tensor, batchSize: Int = 500) -> Tensor {
        outputs(encoder, images: images, batchSize: batchSize)
    }

    /// The encoder's trainable parameters.
    public var parameters: [Variable] { encoder.parameters }
}
