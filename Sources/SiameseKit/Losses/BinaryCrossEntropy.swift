import Foundation

/// Binary cross-entropy of sigmoid outputs against pair labels, computed from the logits z
/// (before the sigmoid) so that it never takes the log of 0:
///
///     L = mean( max(z, 0) − z·y + log(1 + e^(−|z|)) ),  y = 1 for `.same` (Koch et al.'s target)
///
/// Its gradient is (σ(z) − y) / N. `logits` is `[N]` or `[N, 1]`.
/// Koch, Zemel and Salakhutdinov, "Siamese Neural Networks for One-shot Image Recognition" (2015).
public func binaryCrossEntropy(logits: Variable, labels: [PairLabel]) -> Variable {
    let z = logits.value
    precondition(z.count == labels.count, "binaryCrossEntropy: \(labels.count) labels for logits of shape \(z.shape)")
    let n = Float(labels.count)
    var loss: Float = 0
    var gradient = Tensor.zeros(z.shape)
    for (i, label) in labels.enumerated() {
        let zi = z.scalars[i], y = label.kochTarget
        loss += Swift.max(zi, 0) - zi * y + Foundation.log1p(Foundation.exp(-Swift.abs(zi)))
        gradient.scalars[i] = (Tensor.sigmoid(zi) - y) / n
    }
    return Variable(Tensor(scalar: loss / n), op: "binary-cross-entropy", parents: [logits]) { g in
        [gradient * g.scalar]
    }
}
