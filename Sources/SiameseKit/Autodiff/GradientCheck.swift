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

    /// Compares the gradients of `function` with respect to fresh variables holding `inputs`
    /// with central differences of step `epsilon`.
    public init(inputs: [Tensor], epsilon: Float = 1e-3, seed: UInt64 = 7,
                _ function: ([Variable]) -> Variable) {
        let variables = inputs.map { Variable($0, requiresGrad: true) }
        self.init(parameters: variables, epsilon: epsilon, seed: seed) { function(variables) }
    }

    /// Compares the gradients of `function` with respect to existing `parameters` (a layer's,
    /// say) with central differences, nudging each parameter's value in place and restoring it.
    /// The parameters' `grad` is cleared afterwards.
    public init(parameters: [Variable], epsilon: Float = 1e-3, seed: UInt64 = 7,
                _ function: () -> Variable) {
        var generator = SeededGenerator(seed: seed)
        // A fixed weighting turns any output into a scalar.
        let probe = function()
        let weights = probe.value.count == 1
            ? Tensor.ones(probe.shape)
            : Tensor.randomUniform(probe.shape, low: 0.5, high: 1.5, using: &generator)
        // Summed in Double: outputs the nudge did not change then cancel exactly between the
        // two evaluations, leaving only the change we are measuring.
        func scalarValue() -> Double {
            let y = function().value
            var total = 0.0
            for i in 0..<y.count { total += Double(y.scalars[i]) * Double(weights.scalars[i]) }
            return total
        }

        for p in parameters { p.zeroGrad() }
        (function() * Variable(weights)).sum().backward()
        let analytic = parameters.map { $0.grad ?? Tensor.zeros($0.shape) }
        for p in parameters { p.zeroGrad() }

        var numerical: [Tensor] = []
        var maxAbs: Float = 0, maxRel: Float = 0, compared = 0
        for (k, p) in parameters.enumerated() {
            var estimate = Tensor.zeros(p.shape)
            for i in 0..<p.value.count {
                let original = p.value.scalars[i]
                p.value.scalars[i] = original + epsilon
                let plus = scalarValue()
                p.value.scalars[i] = original - epsilon
                let minus = scalarValue()
                p.value.scalars[i] = original
                estimate.scalars[i] = Float((plus - minus) / (2 * Double(epsilon)))
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
