/// A 2-D convolution layer: `outChannels` filters of `inChannels × kernel × kernel`, sliding
/// with `stride` over an input padded with `padding` zeros.
///
/// Shapes: input `[N, inChannels, H, W]`, output `[N, outChannels, Hout, Wout]` with
/// `Hout = (H + 2·padding − kernel) / stride + 1`; `weight` is `[outChannels, inChannels, kernel, kernel]`
/// and `bias` `[outChannels]`, PyTorch's `nn.Conv2d` layout. See `conv2d` for how it is computed.
public final class Conv2D: Layer {
    public let weight: Variable
    public let bias: Variable
    public let stride: Int
    public let padding: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                initializer: Initializer = .heNormal, using generator: inout SeededGenerator) {
        let fanIn = inChannels * kernel * kernel
        weight = parameter(initializer.make([outChannels, inChannels, kernel, kernel], fanIn: fanIn,
                                            fanOut: outChannels * kernel * kernel, using: &generator), name: "weight")
        bias = parameter(Tensor.zeros([outChannels]), name: "bias")
        self.stride = stride
        self.padding = padding
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding)
    }

    /// `relu(self(input))` in one step: the ReLU is applied as the convolution writes its output.
    public func withReLU(_ input: Variable) -> Variable {
        conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, relu: true)
    }

    public var namedParameters: [(name: String, parameter: Variable)] { [("weight", weight), ("bias", bias)] }
}
