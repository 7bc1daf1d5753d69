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

    /// Matrices `[N, A]` and `[N, B]` side by side, `[N, A + B]`; the gradient is split back.
    public static func concatenateColumns(_ a: Variable, _ b: Variable) -> Variable {
        precondition(a.shape.count == 2 && b.shape.count == 2 && a.shape[0] == b.shape[0],
                     "concatenateColumns: shapes \(a.shape) and \(b.shape) need the same number of rows")
        let n = a.shape[0], ca = a.shape[1], cb = b.shape[1]
        var out = [Float](repeating: 0, count: n * (ca + cb))
        for i in 0..<n {
            for j in 0..<ca { out[i * (ca + cb) + j] = a.value.scalars[i * ca + j] }
            for j in 0..<cb { out[i * (ca + cb) + ca + j] = b.value.scalars[i * cb + j] }
        }
        return Variable(Tensor(shape: [n, ca + cb], scalars: out), op: "concat", parents: [a, b]) { g in
            var ga = [Float](repeating: 0, count: n * ca), gb = [Float](repeating: 0, count: n * cb)
            for i in 0..<n {
                for j in 0..<ca { ga[i * ca + j] = g.scalars[i * (ca + cb) + j] }
                for j in 0..<cb { gb[i * cb + j] = g.scalars[i * (ca + cb) + ca + j] }
            }
            return [Tensor(shape: [n, ca], scalars: ga), Tensor(shape: [n, cb], scalars: gb)]
        }
    }

    /// Rows `range` along the first axis.
    public func rows(_ range: Range<Int>) -> Variable { gatherRows(Array(range)) }
}
