import Foundation

/// The mean softmax cross-entropy of class scores against integer labels: the loss of a
/// classifier. `logits` is `[N, C]` (unnormalised scores), `labels` holds N classes in `0..<C`.
///
/// Loss = mean over rows of `log Σⱼ exp(zⱼ) − z_label`, computed with the max subtracted so
/// exp never overflows. Its gradient is the famous `(softmax(z) − onehot(label)) / N`.
public func softmaxCrossEntropy(logits: Variable, labels: [Int]) -> Variable {
    let z = logits.value
    precondition(z.rank == 2 && z.shape[0] == labels.count,
                 "softmaxCrossEntropy: logits of shape \(z.shape) need [\(labels.count), classes] for \(labels.count) labels")
    let n = z.shape[0], c = z.shape[1]
    var probabilities = softmax(z)
    var loss: Float = 0
    for (i, label) in labels.enumerated() {
        precondition(label >= 0 && label < c, "softmaxCrossEntropy: label \(label) is not a class in 0..<\(c)")
        loss -= Foundation.log(Swift.max(probabilities.scalars[i * c + label], .leastNormalMagnitude))
    }
    for (i, label) in labels.enumerated() { probabilities.scalars[i * c + label] -= 1 }
    let gradient = probabilities / Float(n)
    return Variable(Tensor(scalar: loss / Float(n)), op: "cross-entropy", parents: [logits]) { g in
        [gradient * g.scalar]
    }
}

/// Row-wise softmax of a `[N, C]` matrix: each row becomes probabilities that sum to 1.
public func softmax(_ logits: Tensor) -> Tensor {
    precondition(logits.rank == 2, "softmax: expected [N, C], got \(logits.shape)")
    let shifted = logits - logits.max(alongAxis: 1, keepingDims: true)
    let e = shifted.exp()
    return e / e.sum(alongAxis: 1, keepingDims: true)
}

/// The mean squared error `mean((prediction − target)²)` against a constant target of the same shape.
public func meanSquaredError(_ prediction: Variable, _ target: Tensor) -> Variable {
    precondition(prediction.shape == target.shape,
                 "meanSquaredError: prediction \(prediction.shape) and target \(target.shape) differ")
    return (prediction - Variable(target)).squared().mean()
}

/// The fraction of rows of `logits` (`[N, C]`) whose largest score is at the label.
public func accuracy(logits: Tensor, labels: [Int]) -> Float {
    accuracy(predicted: logits.argmax(alongAxis: 1), labels: labels)
}
