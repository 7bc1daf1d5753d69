/// Activation layers: elementwise nonlinearities without parameters, so they can sit in a
/// `Sequential` between the layers that have them.

/// max(0, x). Nair and Hinton (2010).
public final class ReLU: Layer {
    public init() {}
    public func callAsFunction(_ input: Variable) -> Variable { input.relu() }
    public var namedParameters: [(name: String, parameter: Variable)] { [] }
}

/// 1 / (1 + e⁻ˣ): squashes to (0, 1).
public final class Sigmoid: Layer {
    public init() {}
    public func callAsFunction(_ input: Variable) -> Variable { input.sigmoid() }
    public var namedParameters: [(name: String, parameter: Variable)] { [] }
}

/// tanh x: squashes to (−1, 1).
public final class Tanh: Layer {
    public init() {}
    public func callAsFunction(_ input: Variable) -> Variable { input.tanh() }
    public var namedParameters: [(name: String, parameter: Variable)] { [] }
}
