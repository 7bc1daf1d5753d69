/// Layers applied one after another: `Sequential(a, b, c)(x) == c(b(a(x)))`.
/// Parameters are named by position, as in PyTorch: "0.weight", "2.bias", ...
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }
    public convenience init(_ layers: any Layer...) { self.init(layers) }

    /// Applies the layers in order. A convolution or a batch norm followed by a ReLU runs as one
    /// fused step (`Conv2D.withReLU`, `BatchNorm.withReLU`): the same numbers, one pass and one
    /// stored tensor fewer.
    public func callAsFunction(_ input: Variable) -> Variable {
        var x = input, i = 0
        while i < layers.count {
            if let conv = layers[i] as? Conv2D, i + 1 < layers.count, layers[i + 1] is ReLU {
                x = conv.withReLU(x)
                i += 2
            } else if let norm = layers[i] as? BatchNorm, i + 1 < layers.count, layers[i + 1] is ReLU {
                x = norm.withReLU(x)
                i += 2
            } else {
                x = layers[i](x)
                i += 1
            }
        }
        return x
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        layers.enumerated().flatMap { index, layer in
            layer.namedParameters.map { ("\(index).\($0.name)", $0.parameter) }
        }
    }

    public var namedBuffers: [(name: String, buffer: Variable)] {
        layers.enumerated().flatMap { index, layer in
            layer.namedBuffers.map { ("\(index).\($0.name)", $0.buffer) }
        }
    }

    public func setTraining(_ training: Bool) {
        for layer in layers { layer.setTraining(training) }
    }
}
