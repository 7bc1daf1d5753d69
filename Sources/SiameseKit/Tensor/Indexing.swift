/// Selecting rows (the first axis): contiguous slices and gathers, the way batches are made.
extension Tensor {
    /// The number of elements in one row (one item along the first axis).
    var rowSize: Int { rank == 0 ? 1 : count / Swift.max(shape[0], 1) }

    /// Rows `range` along the first axis: `x.rows(0..<32)` is the first batch of 32.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows: range \(range) is out of bounds for shape \(shape)")
        let size = rowSize
        var newShape = shape
        newShape[0] = range.count
        return Tensor(shape: newShape,
                      scalars: Array(scalars[(range.lowerBound * size)..<(range.upperBound * size)]))
    }

    /// Row `index` with the first axis dropped: row 2 of a `[5, 3]` matrix has shape `[3]`.
    public func row(_ index: Int) -> Tensor {
        rows(index..<(index + 1)).reshaped(Array(shape.dropFirst()))
    }

    /// The rows at `indices` (repeats allowed), stacked in that order: a shuffled batch.
    public func gatherRows(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "gatherRows: a scalar has no rows")
        let size = rowSize
        var newShape = shape
        newShape[0] = indices.count
        let n = indices.count * size
        let out = [Float](unsafeUninitializedCapacity: n) { q, initialized in
            scalars.withUnsafeBufferPointer { p in
                for (r, index) in indices.enumerated() {
                    precondition(index >= 0 && index < shape[0],
                                 "gatherRows: row \(index) is out of bounds for shape \(shape)")
                    let src = UnsafeBufferPointer(rebasing: p[(index * size)..<((index + 1) * size)])
                    _ = UnsafeMutableBufferPointer(rebasing: q[(r * size)..<((r + 1) * size)]).initialize(from: src)
                }
            }
            initialized = n
        }
        return Tensor(shape: newShape, scalars: out)
    }

    /// Adds `source`'s rows into the rows at `indices` (the adjoint of `gatherRows`).
    public mutating func scatterAddRows(_ indices: [Int], from source: Tensor) {
        let size = rowSize
        precondition(source.count == indices.count * size,
                     "scatterAddRows: \(indices.count) rows of shape \(shape) need \(indices.count * size) elements, source has shape \(source.shape)")
        scalars.withUnsafeMutableBufferPointer { q in
            source.scalars.withUnsafeBufferPointer { p in
                for (r, index) in indices.enumerated() {
                    for j in 0..<size { q[index &* size &+ j] += p[r &* size &+ j] }
                }
            }
        }
    }

    /// Stacks tensors of equal shape along a new first axis.
    public static func stack(_ tensors: [Tensor]) -> Tensor {
        guard let first = tensors.first else { return Tensor(shape: [0], scalars: []) }
        for t in tensors where t.shape != first.shape {
            shapeFailure("stack: shapes \(first.shape) and \(t.shape) differ")
        }
        return Tensor(shape: [tensors.count] + first.shape, scalars: tensors.flatMap(\.scalars))
    }

    /// Joins tensors along the first axis; all other axes must agree.
    public static func concatenateRows(_ tensors: [Tensor]) -> Tensor {
        guard let first = tensors.first else { return Tensor(shape: [0], scalars: []) }
        for t in tensors where Array(t.shape.dropFirst()) != Array(first.shape.dropFirst()) {
            shapeFailure("concatenateRows: shapes \(first.shape) and \(t.shape) differ after the first axis")
        }
        let rows = tensors.reduce(0) { $0 + $1.shape[0] }
        return Tensor(shape: [rows] + first.shape.dropFirst(), scalars: tensors.flatMap(\.scalars))
    }
}
