/// Batch normalisation: normalise each channel to zero mean and unit variance over the batch
/// (and, for images, over all positions), then scale and shift by learned `weight` (γ) and
/// `bias` (β). Training uses the batch's statistics and updates running averages; evaluation
/// uses the running averages, so one image's output does not depend on its batch.
/// Ioffe and Szegedy, "Batch Normalization: Accelerating Deep Network Training by Reducing
/// Internal Covariate Shift" (2015).
///
/// Shapes: input `[N, C]` or `[N, C, H, W]`; parameters and buffers `[C]`. Buffers are named
/// `running_mean` and `running_var` as in PyTorch; the running variance uses the unbiased
/// estimate, like PyTorch's.
public final class BatchNorm: Layer {
    public let weight: Variable, bias: Variable
    public let runningMean: Variable, runningVar: Variable
    public let momentum: Float, epsilon: Float
    public private(set) var isTraining = true

    public init(_ channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        weight = parameter(Tensor.ones([channels]), name: "weight")
        bias = parameter(Tensor.zeros([channels]), name: "bias")
        runningMean = Variable(Tensor.zeros([channels]), name: "running_mean")
        runningVar = Variable(Tensor.ones([channels]), name: "running_var")
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        let x = input.value
        let channels = weight.shape[0]
        precondition((x.rank == 2 || x.rank == 4) && x.shape[1] == channels,
                     "BatchNorm: input \(x.shape) should be [N, \(channels)] or [N, \(channels), H, W]")
        let n = x.shape[0], plane = x.rank == 4 ? x.shape[2] * x.shape[3] : 1
        let m = Float(n * plane)
        var mean = [Float](repeating: 0, count: channels), variance = mean
        if isTraining {
            // Per-channel mean and (biased) variance over the batch and positions.
            x.scalars.withUnsafeBufferPointer { xs in
                for c in 0..<channels {
                    var sum: Float = 0
                    for i in 0..<n { sum += contiguousSum(xs.baseAddress! + (i &* channels &+ c) &* plane, plane) }
                    let mu = sum / m
                    var squares: Float = 0
                    for i in 0..<n {
                        let base = (i &* channels &+ c) &* plane
                        for p in 0..<plane { let d = xs[base &+ p] - mu; squares += d * d }
                    }
                    mean[c] = mu
                    variance[c] = squares / m
                }
            }
            let unbiased = m > 1 ? m / (m - 1) : 1
            for c in 0..<channels {
                runningMean.value.scalars[c] = (1 - momentum) * runningMean.value.scalars[c] + momentum * mean[c]
                runningVar.value.scalars[c] = (1 - momentum) * runningVar.value.scalars[c] + momentum * variance[c] * unbiased
            }
        } else {
            mean = runningMean.value.scalars
            variance = runningVar.value.scalars
        }
        let invStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
        let gamma = weight.value.scalars, beta = bias.value.scalars
        // x̂ = (x − μ)/σ, y = γ·x̂ + β, one pass.
        var xhat = x
        var y = x
        xhat.scalars.withUnsafeMutableBufferPointer { h in
            y.scalars.withUnsafeMutableBufferPointer { ys in
                for i in 0..<n {
                    for c in 0..<channels {
                        let base = (i &* channels &+ c) &* plane
                        let mu = mean[c], s = invStd[c], g = gamma[c], b = beta[c]
                        for p in 0..<plane {
                            let v = (h[base &+ p] - mu) * s
                            h[base &+ p] = v
                            ys[base &+ p] = g * v + b
                        }
                    }
                }
            }
        }
        let training = isTraining
        return Variable(y, op: "batchnorm", parents: [input, weight, bias]) { grad in
            var dgamma = [Float](repeating: 0, count: channels), dbeta = dgamma
            var dx = grad
            grad.scalars.withUnsafeBufferPointer { gs in
                xhat.scalars.withUnsafeBufferPointer { h in
                    dx.scalars.withUnsafeMutableBufferPointer { d in
                        for c in 0..<channels {
                            var sumG: Float = 0, sumGH: Float = 0
                            for i in 0..<n {
                                let base = (i &* channels &+ c) &* plane
                                for p in 0..<plane { sumG += gs[base &+ p]; sumGH += gs[base &+ p] * h[base &+ p] }
                            }
                            dbeta[c] = sumG
                            dgamma[c] = sumGH
                            let k = gamma[c] * invStd[c]
                            // Training: dx = γσ⁻¹ (g − mean(g) − x̂·mean(g·x̂)); evaluation: dx = γσ⁻¹ g.
                            let meanG = training ? sumG / m : 0, meanGH = training ? sumGH / m : 0
                            for i in 0..<n {
                                let base = (i &* channels &+ c) &* plane
                                for p in 0..<plane { d[base &+ p] = k * (gs[base &+ p] - meanG - h[base &+ p] * meanGH) }
                            }
                        }
                    }
                }
            }
            return [dx, Tensor(dgamma), Tensor(dbeta)]
        }
    }

    public func setTraining(_ training: Bool) { isTraining = training }

    public var namedParameters: [(name: String, parameter: Variable)] { [("weight", weight), ("bias", bias)] }
    public var namedBuffers: [(name: String, buffer: Variable)] {
        [("running_mean", runningMean), ("running_var", runningVar)]
    }
}
