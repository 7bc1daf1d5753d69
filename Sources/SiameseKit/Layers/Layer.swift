/// A building block of a network: a function of one variable that may own trainable
/// parameters. Layers are classes, so a layer used twice (the two branches of a Siamese twin)
/// is the same object with the same weights.
public protocol Layer: AnyObject {
    /// Applies the layer to a batch.
    func callAsFunction(_ input: Variable) -> Variable
    /// The trainable parameters with stable names ("weight", "0.bias", ...), as checkpoints
    /// and PyTorch's `state_dict` name them.
    var namedParameters: [(name: String, parameter: Variable)] { get }
    /// State that is saved with the parameters but not trained by gradients (a batch norm's
    /// running mean and variance), named the same way. Empty for most layers.
    var namedBuffers: [(name: String, buffer: Variable)] { get }
    /// Switches between training behaviour (dropout active, batch statistics) and evaluation.
    func setTraining(_ training: Bool)
}

extension Layer {
    public var namedBuffers: [(name: String, buffer: Variable)] { [] }
    public func setTraining(_ training: Bool) {}
}

extension Layer {
    /// The trainable parameters, in `namedParameters` order.
    public var parameters: [Variable] { namedParameters.map(\.parameter) }

    /// The total number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Applies the layer to a constant input (no gradient is wanted for it).
    public func callAsFunction(_ input: Tensor) -> Variable { self(Variable(input)) }

    /// Forgets every parameter's accumulated gradient.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    /// Every tensor a checkpoint holds: parameters, then buffers, by name.
    public var namedState: [(name: String, variable: Variable)] {
        namedParameters.map { ($0.name, $0.parameter) } + namedBuffers.map { ($0.name, $0.buffer) }
    }
}

/// A trainable tensor: a leaf variable that wants its gradient.
public func parameter(_ value: Tensor, name: String) -> Variable {
    Variable(value, requiresGrad: true, name: name)
}
