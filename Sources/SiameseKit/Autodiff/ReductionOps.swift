/// Differentiable reductions. A sum sends its gradient unchanged to every element it added;
/// a mean divides it by the count; a maximum sends it only to the element that won.
extension Variable {
    /// The sum of all elements, as a scalar.
    public func sum() -> Variable {
        let shape = self.shape
        return Variable(Tensor(scalar: value.sum()), op: "sum", parents: [self]) { g in
            [Tensor(repeating: g.scalar, shape: shape)]
        }
    }

    /// The mean of all elements, as a scalar.
    public func mean() -> Variable {
        let shape = self.shape, n = Float(Swift.max(value.count, 1))
        return Variable(Tensor(scalar: value.mean()), op: "mean", parents: [self]) { g in
            [Tensor(repeating: g.scalar / n, shape: shape)]
        }
    }

    /// Sums along `axis` (negative counts from the end).
    public func sum(alongAxis axis: Int, keepingDims: Bool = false) -> Variable {
        let shape = self.shape
        let kept = value.reductionLayout(axis: axis, keepingDims: true).shape
        return Variable(value.sum(alongAxis: axis, keepingDims: keepingDims), op: "sum-axis", parents: [self]) { g in
            [Tensor.zeros(shape) + g.reshaped(kept)]
        }
    }

    /// Means along `axis`.
    public func mean(alongAxis axis: Int, keepingDims: Bool = false) -> Variable {
        let n = Float(value.reductionLayout(axis: axis, keepingDims: true).n)
        return sum(alongAxis: axis, keepingDims: keepingDims) / n
    }

    /// Maxima along `axis`; the gradient goes to the first maximal element of each slice.
    public func max(alongAxis axis: Int, keepingDims: Bool = false) -> Variable {
        let shape = self.shape
        let (outer, n, inner, _) = value.reductionLayout(axis: axis, keepingDims: keepingDims)
        let winners = value.argmax(alongAxis: axis)
        return Variable(value.max(alongAxis: axis, keepingDims: keepingDims), op: "max-axis", parents: [self]) { g in
            var grad = Tensor.zeros(shape)
            for o in 0..<outer {
                for i in 0..<inner {
                    let k = winners[o * inner + i]
                    grad.scalars[(o * n + k) * inner + i] = g.scalars[o * inner + i]
                }
            }
            return [grad]
        }
    }
}
