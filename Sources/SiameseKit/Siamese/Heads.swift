/// Heads turn two embeddings into one "same or different" logit, trained with
/// `binaryCrossEntropy`.

/// Koch et al.'s head: a weighted L1 distance fed to a sigmoid,
/// p = σ(Σⱼ αⱼ |aⱼ − bⱼ| + β). It is symmetric in its inputs and can only look at how far apart
/// the embeddings are, coordinate by coordinate. Koch, Zemel and Salakhutdinov (2015).
public final class KochHead: Layer {
    public let weights: Linear

    public init(embeddingSize: Int, using generator: inout SeededGenerator) {
        weights = Linear(embeddingSize, 1, initializer: .xavierUniform, using: &generator)
    }

    /// The logit of "same" for each pair, `[N]`.
    public func logits(_ a: Variable, _ b: Variable) -> Variable {
        weights((a - b).abs()).reshaped([-1])
    }

    /// As a `Layer`, the head takes |a − b| directly.
    public func callAsFunction(_ difference: Variable) -> Variable { weights(difference) }

    public var namedParameters: [(name: String, parameter: Variable)] {
        weights.namedParameters.map { ("head.\($0.name)", $0.parameter) }
    }
}

/// The design that does not work well: the two embeddings concatenated and fed to one dense
/// layer with a sigmoid output, p = σ(u·a + v·b + c). That is a sum of a function of `a` and a
/// function of `b`; it cannot express "a is close to b" at all, only "a looks like this and b
/// looks like that". Chapter 03 measures it against `KochHead`.
public final class ConcatenationHead: Layer {
    public let dense: Linear

    public init(embeddingSize: Int, using generator: inout SeededGenerator) {
        dense = Linear(2 * embeddingSize, 1, initializer: .xavierUniform, using: &generator)
    }

    /// The logit of "same" for each pair, `[N]`.
    public func logits(_ a: Variable, _ b: Variable) -> Variable {
        dense(Variable.concatenateColumns(a, b)).reshaped([-1])
    }

    /// As a `Layer`, the head takes the concatenation `[N, 2D]` directly.
    public func callAsFunction(_ concatenated: Variable) -> Variable { dense(concatenated) }

    public var namedParameters: [(name: String, parameter: Variable)] {
        dense.namedParameters.map { ("head.\($0.name)", $0.parameter) }
    }
}
