import Foundation

/// Differentiable elementwise functions: activations and the usual calculus.
/// Each pullback multiplies the incoming gradient by the function's derivative.
extension Variable {
    /// max(0, x); derivative 1 where x > 0, else 0.
    public func relu() -> Variable {
        let x = value
        return Variable(x.relu(), op: "relu", parents: [self]) { g in
            [Tensor.broadcasting(g, x) { $1 > 0 ? $0 : 0 }]
        }
    }

    /// 1 / (1 + e⁻ˣ); derivative y (1 − y).
    public func sigmoid() -> Variable {
        let y = value.sigmoid()
        return Variable(y, op: "sigmoid", parents: [self]) { g in
            [Tensor.broadcasting(g, y) { $0 * $1 * (1 - $1) }]
        }
    }

    /// tanh x; derivative 1 − y².
    public func tanh() -> Variable {
        let y = value.tanh()
        return Variable(y, op: "tanh", parents: [self]) { g in
            [Tensor.broadcasting(g, y) { $0 * (1 - $1 * $1) }]
        }
    }

    /// eˣ; derivative eˣ.
    public func exp() -> Variable {
        let y = value.exp()
        return Variable(y, op: "exp", parents: [self]) { g in [g * y] }
    }

    /// ln x; derivative 1/x.
    public func log() -> Variable {
        let x = value
        return Variable(x.log(), op: "log", parents: [self]) { g in [g / x] }
    }

    /// √x; derivative 1 / (2√x).
    public func sqrt() -> Variable {
        let y = value.sqrt()
        return Variable(y, op: "sqrt", parents: [self]) { g in
            [Tensor.broadcasting(g, y) { $0 * 0.5 / $1 }]
        }
    }

    /// x²; derivative 2x.
    public func squared() -> Variable {
        let x = value
        return Variable(x.squared(), op: "square", parents: [self]) { g in
            [Tensor.broadcasting(g, x) { 2 * $0 * $1 }]
        }
    }

    /// softplus(x) = log(1 + eˣ), a smooth ReLU, computed without overflow; derivative σ(x).
    public func softplus() -> Variable {
        let x = value
        let y = x.map { Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0))) }
        return Variable(y, op: "softplus", parents: [self]) { g in
            [Tensor.broadcasting(g, x) { $0 * Tensor.sigmoid($1) }]
        }
    }

    /// |x|; derivative sign(x) (0 at 0).
    public func abs() -> Variable {
        let x = value
        return Variable(x.abs(), op: "abs", parents: [self]) { g in
            [Tensor.broadcasting(g, x) { $1 > 0 ? $0 : ($1 < 0 ? -$0 : 0) }]
        }
    }
}
