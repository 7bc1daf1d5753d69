/// Stochastic gradient descent with momentum and weight decay, as PyTorch's `torch.optim.SGD`:
/// `g ← ∇ + λ·p`, `v ← μ·v + g`, `p ← p − η·v`.
/// Momentum: Polyak (1964); Sutskever et al., "On the importance of initialization and momentum" (2013).
public final class SGD: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    /// The momentum buffers, allocated at the first step with momentum (plain SGD needs none:
    /// for Koch's network that is 156 MB saved).
    private var velocity: [[Float]]

    public init(_ parameters: [Variable], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.velocity = parameters.map { _ in [] }
    }

    public func step() {
        let lr = learningRate, mu = momentum, wd = weightDecay
        for (k, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            if mu == 0 && velocity[k].isEmpty {
                // v = g exactly, so no buffer is needed.
                grad.scalars.withUnsafeBufferPointer { g in
                    p.value.scalars.withUnsafeMutableBufferPointer { w in
                        for i in 0..<w.count { w[i] -= lr * (g[i] + wd * w[i]) }
                    }
                }
                continue
            }
            if velocity[k].isEmpty { velocity[k] = [Float](repeating: 0, count: p.value.count) }
            grad.scalars.withUnsafeBufferPointer { g in
                velocity[k].withUnsafeMutableBufferPointer { v in
                    p.value.scalars.withUnsafeMutableBufferPointer { w in
                        for i in 0..<w.count {
                            let gi = g[i] + wd * w[i]
                            v[i] = mu * v[i] + gi
                            w[i] -= lr * v[i]
                        }
                    }
                }
            }
        }
    }
}
