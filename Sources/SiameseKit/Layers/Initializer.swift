import Foundation

/// How a weight tensor starts. The scale matters: too small and signals fade through the
/// layers, too large and they explode.
public enum Initializer: Sendable {
    /// N(0, 2 / fanIn): keeps the variance of activations constant through ReLU layers.
    /// He, Zhang, Ren, Sun, "Delving Deep into Rectifiers" (2015).
    case heNormal
    /// U(−a, a) with a = √(6 / (fanIn + fanOut)): keeps variance for tanh/sigmoid layers.
    /// Glorot and Bengio, "Understanding the difficulty of training deep feedforward networks" (2010).
    case xavierUniform
    /// N(0, 2 / (fanIn + fanOut)), the normal form of Glorot's rule.
    case xavierNormal
    /// N(mean, std²) with a fixed scale, as Koch et al. (2015) initialise their Siamese network.
    case normal(mean: Float, std: Float)
    /// Every element equal to `value` (0 for biases).
    case constant(Float)

    /// A tensor of `shape` drawn by this rule; `fanIn`/`fanOut` are the numbers of inputs and
    /// outputs each unit sees (for a conv layer, channels × kernel area).
    public func make(_ shape: [Int], fanIn: Int, fanOut: Int, using generator: inout SeededGenerator) -> Tensor {
        switch self {
        case .heNormal:
            return Tensor.randomNormal(shape, std: Foundation.sqrt(2 / Float(fanIn)), using: &generator)
        case .xavierUniform:
            let a = Foundation.sqrt(6 / Float(fanIn + fanOut))
            return Tensor.randomUniform(shape, low: -a, high: a, using: &generator)
        case .xavierNormal:
            return Tensor.randomNormal(shape, std: Foundation.sqrt(2 / Float(fanIn + fanOut)), using: &generator)
        case let .normal(mean, std):
            return Tensor.randomNormal(shape, mean: mean, std: std, using: &generator)
        case let .constant(value):
            return Tensor(repeating: value, shape: shape)
        }
    }
}
