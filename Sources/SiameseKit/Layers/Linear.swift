/// A fully connected layer: `y = x·Wᵀ + b`.
///
/// Shapes: input `[N, inputSize]`, output `[N, outputSize]`; `weight` is `[outputSize, inputSize]`
/// and `bias` `[outputSize]`, the layout of PyTorch's `nn.Linear`, so checkpoints exchange
/// directly. The product reads `W` transposed inside `sgemm`, without a copy.
public final class Linear: Layer {
    public let weight: Variable
    public let bias: Variable

    /// A layer with weights drawn by `initializer` (He by default, for ReLU networks) and zero bias.
    public init(_ inputSize: Int, _ outputSize: Int, initializer: Initializer = .heNormal,
                using generator: inout SeededGenerator) {
        weight = parameter(initializer.make([outputSize, inputSize], fanIn: inputSize, fanOut: outputSize,
                                            using: &generator), name: "weight")
        bias = parameter(Tensor.zeros([outputSize]), name: "bias")
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        precondition(input.shape.count == 2 && input.shape[1] == weight.shape[1],
                     "Linear: input of shape \(input.shape) does not fit a layer of \(weight.shape[1]) inputs (expected [N, \(weight.shape[1])])")
        return matmul(input, weight, transposeB: true) + bias
    }

    public var namedParameters: [(name: String, parameter: Variable)] { [("weight", weight), ("bias", bias)] }
}
