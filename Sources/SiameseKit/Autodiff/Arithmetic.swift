/// Differentiable elementwise arithmetic with broadcasting.
///
/// A broadcast input receives the output gradient summed back to its own shape
/// (`Tensor.sum(toShape:)`): if `b` was added to every row, every row's gradient flows to it.
extension Variable {
    public static func + (a: Variable, b: Variable) -> Variable {
        Variable(a.value + b.value, op: "add", parents: [a, b]) { g in
            [g.sum(toShape: a.shape), g.sum(toShape: b.shape)]
        }
    }

    public static func - (a: Variable, b: Variable) -> Variable {
        Variable(a.value - b.value, op: "sub", parents: [a, b]) { g in
            [g.sum(toShape: a.shape), (-g).sum(toShape: b.shape)]
        }
    }

    public static func * (a: Variable, b: Variable) -> Variable {
        Variable(a.value * b.value, op: "mul", parents: [a, b]) { g in
            [(g * b.value).sum(toShape: a.shape), (g * a.value).sum(toShape: b.shape)]
        }
    }

    public static func / (a: Variable, b: Variable) -> Variable {
        Variable(a.value / b.value, op: "div", parents: [a, b]) { g in
            let gb = Tensor.broadcasting(g, Tensor.broadcasting(a.value, b.value) { $0 / ($1 * $1) }) { -$0 * $1 }
            return [(g / b.value).sum(toShape: a.shape), gb.sum(toShape: b.shape)]
        }
    }

    public static prefix func - (a: Variable) -> Variable {
        Variable(-a.value, op: "neg", parents: [a]) { g in [-g] }
    }

    public static func + (a: Variable, s: Float) -> Variable {
        Variable(a.value + s, op: "add-scalar", parents: [a]) { g in [g] }
    }

    public static func - (a: Variable, s: Float) -> Variable { a + (-s) }

    public static func + (s: Float, a: Variable) -> Variable { a + s }

    public static func - (s: Float, a: Variable) -> Variable { -a + s }

    public static func * (a: Variable, s: Float) -> Variable {
        Variable(a.value * s, op: "mul-scalar", parents: [a]) { g in [g * s] }
    }

    public static func * (s: Float, a: Variable) -> Variable { a * s }

    public static func / (a: Variable, s: Float) -> Variable { a * (1 / s) }
}
