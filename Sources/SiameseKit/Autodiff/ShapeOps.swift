/// Differentiable shape changes and row selection. Their gradients undo the move: a reshape's
/// gradient is reshaped back, a transpose's transposed back, a gather's scattered back.
extension Variable {
    /// The same elements under a new shape (one axis may be -1).
    public func reshaped(_ newShape: [Int]) -> Variable {
        let shape = self.shape
        return Variable(value.reshaped(newShape), op: "reshape", parents: [self]) { g in [g.reshaped(shape)] }
    }

    /// The matrix transpose.
    public func transposed() -> Variable {
        Variable(value.transposed(), op: "transpose", parents: [self]) { g in [g.transposed()] }
    }

    /// The rows at `indices` (repeats allowed); repeated rows add their gradients.
    public func gatherRows(_ indices: [Int]) -> Variable {
        let shape = self.shape
        return Variable(value.gatherRows(indices), op: "gather", parents: [self]) { g in
            var grad = Tensor.zeros(shape)
            grad.scatterAddRows(indices, from: g)
            return [grad]
        }
    }

    /// Rows `range` along the first axis.
    public func rows(_ range: Range<Int>) -> Variable { gatherRows(Array(range)) }
}
