import Foundation

/// Adam: per-parameter steps scaled by running estimates of the gradient's first and second
/// moments, with bias correction. Kingma and Ba, "Adam: A Method for Stochastic Optimization" (2015).
/// Weight decay, when set, is added to the gradient (L2), as in PyTorch's `torch.optim.Adam`.
public final class Adam: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    public var weightDecay: Float
    fileprivate var m: [[Float]], v: [[Float]]
    fileprivate var t = 0

    public init(_ parameters: [Variable], learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        m = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        v = m
    }

    public func step() {
        t += 1
        let b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay
        let c1 = 1 - Foundation.pow(b1, Float(t)), c2 = 1 - Foundation.pow(b2, Float(t))
        let lr = learningRate
        for (k, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            grad.scalars.withUnsafeBufferPointer { g in
                m[k].withUnsafeMutableBufferPointer { m in
                    v[k].withUnsafeMutableBufferPointer { v in
                        p.value.scalars.withUnsafeMutableBufferPointer { w in
                            for i in 0..<w.count {
                                let gi = g[i] + wd * w[i]
                                m[i] = b1 * m[i] + (1 - b1) * gi
                                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                                w[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Adam {
    /// The optimizer's running moments and step count as named tensors (`adam.m.<k>`,
    /// `adam.v.<k>`, `adam.t`), so a resumed run continues exactly where it stopped.
    public var state: [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        for k in parameters.indices {
            out.append(("adam.m.\(k)", Tensor(shape: parameters[k].shape, scalars: m[k])))
            out.append(("adam.v.\(k)", Tensor(shape: parameters[k].shape, scalars: v[k])))
        }
        out.append(("adam.t", Tensor([Float(t)])))
        return out
    }

    /// Restores `state` saved from an Adam over parameters of the same shapes; returns false
    /// (and changes nothing) when it does not fit.
    @discardableResult
    public func restore(_ saved: [String: Tensor]) -> Bool {
        guard let steps = saved["adam.t"], steps.count == 1 else { return false }
        var newM: [[Float]] = [], newV: [[Float]] = []
        for k in parameters.indices {
            guard let mk = saved["adam.m.\(k)"], let vk = saved["adam.v.\(k)"],
                  mk.shape == parameters[k].shape, vk.shape == parameters[k].shape else { return false }
            newM.append(mk.scalars)
            newV.append(vk.scalars)
        }
        m = newM
        v = newV
        t = Int(steps.scalars[0])
        return true
    }
}
