/// Checks reverse-mode gradients against finite differences: the test every differentiable
/// operation in this package passes.
///
/// For each input element x, the numerical derivative is the central difference
/// `(f(x + ε) − f(x − ε)) / 2ε`, whose error shrinks as ε²; it is compared with the gradient
/// `backward()` produced. A non-scalar output is first reduced to a scalar by a fixed random
/// weighting, `Σ wᵢ yᵢ`, so that every output element's gradient is exercised; a scalar output
/// is used as it is.
public struct GradientCheck: CustomStringConvertible {
    /// The largest |analytic − numerical| over all input elements.
    public let maxAbsoluteError: Float
    /// The largest error relative to max(|analytic|, |numerical|, 1).
    public let maxRelativeError: Float
    /// How many input elements were compared.
    public let comparedElements: Int
    /// The gradients `backward()` gave, one per input.
    public let analytic: [Tensor]
    /// The finite-difference gradients, one per input.
    public let numerical: [Tensor]

    /// True when the relative error is within `tolerance`.
    public func passed(tolerance: Float = 1e-2) -> Bool { maxRelativeError <= tolerance }

    public var description: String {
        "gradient check over \(comparedElements) elements: max abs error \(maxAbsoluteError), max rel error \(maxRelativeError)"
    }

    /// Compares the gradients of `function` at `inputs` with central differences of step `epsilon`.
    public init(inputs: [Tensor], epsilon: Float = 1e-3, seed: UInt64 = 7,
                _ function: ([Variable]) -> Variable) {
        var generator = SeededGenerator(seed: seed)
        // A fixed weighting turns any output into a scalar.
        let probe = function(inputs.map { Variable($0) })
        let weights = probe.value.count == 1
            ? Tensor.ones(probe.shape)
            : Tensor.randomUniform(probe.shape, low: 0.5, high: 1.5, using: &generator)
        func scalarValue(_ xs: [Tensor]) -> Float {
            (function(xs.map { Variable($0) }).value * weights).sum()
        }

        let variables = inputs.map { Variable($0, requiresGrad: true) }
        let output = function(variables)
        (output * Variable(weights)).sum().backward()
        let analytic = zip(variables, inputs).map { $0.grad ?? Tensor.zeros($1.shape) }

        var numerical: [Tensor] = []
        var maxAbs: Float = 0, maxRel: Float = 0, compared = 0
        for (k, input) in inputs.enumerated() {
            var estimate = Tensor.zeros(input.shape)
            var shifted = inputs
            for i in 0..<input.count {
                shifted[k].scalars[i] = input.scalars[i] + epsilon
                let plus = scalarValue(shifted)
                shifted[k].scalars[i] = input.scalars[i] - epsilon
                let minus = scalarValue(shifted)
                shifted[k].scalars[i] = input.scalars[i]
                estimate.scalars[i] = (plus - minus) / (2 * epsilon)
                let a = analytic[k].scalars[i], n = estimate.scalars[i]
                let absolute = Swift.abs(a - n)
                maxAbs = Swift.max(maxAbs, absolute)
                maxRel = Swift.max(maxRel, absolute / Swift.max(Swift.abs(a), Swift.abs(n), 1))
                compared += 1
            }
            numerical.append(estimate)
        }
        self.maxAbsoluteError = maxAbs
        self.maxRelativeError = maxRel
        self.comparedElements = compared
        self.analytic = analytic
        self.numerical = numerical
    }
}
