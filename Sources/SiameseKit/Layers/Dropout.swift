/// Dropout: while training, zero each element with probability `p` and scale the survivors by
/// 1/(1 − p), so the expected value is unchanged; at evaluation, pass everything through.
/// It keeps units from co-adapting. Srivastava et al., "Dropout: A Simple Way to Prevent
/// Neural Networks from Overfitting" (2014).
public final class Dropout: Layer {
    public let probability: Float
    public private(set) var isTraining = true
    private var generator: SeededGenerator

    /// `p` is the probability of dropping; the layer draws its masks from a generator split off `generator`.
    public init(_ p: Float, using generator: inout SeededGenerator) {
        precondition(p >= 0 && p < 1, "Dropout: probability must be in [0, 1), got \(p)")
        probability = p
        self.generator = generator.split()
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        guard isTraining && probability > 0 else { return input }
        let keep = 1 - probability, scale = 1 / keep
        var mask = Tensor.zeros(input.shape)
        for i in 0..<mask.count where generator.nextUniform() < keep { mask.scalars[i] = scale }
        return input * Variable(mask)
    }

    public func setTraining(_ training: Bool) { isTraining = training }
    public var namedParameters: [(name: String, parameter: Variable)] { [] }
}
