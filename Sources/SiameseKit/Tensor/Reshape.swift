/// Changing the shape: reshape (free, the storage is shared) and transposes (a copy in the new order).
extension Tensor {
    /// The same elements under a new shape with the same element count; one axis may be `-1`
    /// and is then inferred. Row-major order is kept, so no element moves.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var result = self
        result.setShape(shapeCheck(try Shape.resolve(newShape, count: count, from: shape)))
        return result
    }

    /// The matrix transpose: `[m, n]` becomes `[n, m]`.
    ///
    /// A matmul does not need this: pass `transposeA`/`transposeB` to `matmul` instead, and
    /// BLAS reads the matrix in transposed order without a copy.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed: expected a matrix, got shape \(shape) (use permuted for rank \(rank))")
        let m = shape[0], n = shape[1]
        let out = [Float](unsafeUninitializedCapacity: count) { q, initialized in
            scalars.withUnsafeBufferPointer { p in
                // Blocked so both the reads and the writes stay in cache.
                let block = 32
                for i0 in stride(from: 0, to: m, by: block) {
                    for j0 in stride(from: 0, to: n, by: block) {
                        for i in i0..<Swift.min(i0 + block, m) {
                            for j in j0..<Swift.min(j0 + block, n) { q[j &* m &+ i] = p[i &* n &+ j] }
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: [n, m], scalars: out)
    }

    /// The axes reordered: result axis `i` is this tensor's axis `axes[i]`
    /// (`permuted([0, 2, 1])` swaps the last two axes of a rank-3 tensor).
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.sorted() == Array(0..<rank),
                     "permuted: \(axes) is not a permutation of the axes of shape \(shape)")
        let newShape = axes.map { shape[$0] }
        let oldStrides = strides
        let stridesInOld = axes.map { oldStrides[$0] }
        var index = [Int](repeating: 0, count: rank)
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { p in
            var source = 0
            for target in 0..<count {
                out[target] = p[source]
                var axis = rank - 1
                while axis >= 0 {
                    index[axis] += 1
                    source &+= stridesInOld[axis]
                    if index[axis] < newShape[axis] { break }
                    source &-= stridesInOld[axis] &* newShape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
        return Tensor(shape: newShape, scalars: out)
    }
}
