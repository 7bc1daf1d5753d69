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

    public func callAsFunction(_ input: Variable) -> Variable { normalize(input, relu: false) }

    /// `relu(self(input))` in one step: the ReLU is applied as the output is written, and its
    /// gradient mask is read back from the output (`Sequential` runs BatchNorm + ReLU this way).
    public func withReLU(_ input: Variable) -> Variable { normalize(input, relu: true) }

    private func normalize(_ input: Variable, relu: Bool) -> Variable {
        let x = input.value
        let channels = weight.shape[0]
        precondition((x.rank == 2 || x.rank == 4) && x.shape[1] == channels,
                     "BatchNorm: input \(x.shape) should be [N, \(channels)] or [N, \(channels), H, W]")
        let (output, mean, variance) = batchNorm(input, gamma: weight, beta: bias, training: isTraining,
                                                 runningMean: runningMean.value, runningVar: runningVar.value,
                                                 epsilon: epsilon, relu: relu)
        if isTraining {
            let m = Float(x.count / channels)
            let unbiased = m > 1 ? m / (m - 1) : 1
            for c in 0..<channels {
                runningMean.value.scalars[c] = (1 - momentum) * runningMean.value.scalars[c] + momentum * mean[c]
                runningVar.value.scalars[c] = (1 - momentum) * runningVar.value.scalars[c] + momentum * variance[c] * unbiased
            }
        }
        return output
    }

    public func setTraining(_ training: Bool) { isTraining = training }

    public var namedParameters: [(name: String, parameter: Variable)] { [("weight", weight), ("bias", bias)] }
    public var namedBuffers: [(name: String, buffer: Variable)] {
        [("running_mean", runningMean), ("running_var", runningVar)]
    }
}
