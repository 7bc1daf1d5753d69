/// Reductions: sums, means and maxima, of everything or along one axis.
///
/// Along an axis, a tensor is viewed as `[outer, n, inner]` (`n` the reduced axis); the loops
/// run over `inner` innermost, so they read memory in order. The reduced axis is dropped,
/// or kept with size 1 when `keepingDims` is true (handy for broadcasting back).
extension Tensor {
    /// The sum of all elements.
    public func sum() -> Float {
        scalars.withUnsafeBufferPointer { p in contiguousSum(p.baseAddress!, p.count) }
    }

    /// The mean of all elements.
    public func mean() -> Float { sum() / Float(Swift.max(count, 1)) }

    /// The largest element.
    public func max() -> Float {
        precondition(count > 0, "max: empty tensor of shape \(shape)")
        return scalars.withUnsafeBufferPointer { p in contiguousMax(p.baseAddress!, p.count) }
    }

    /// Sums along `axis` (negative counts from the end).
    public func sum(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor {
        reduce(alongAxis: axis, keepingDims: keepingDims, initial: 0, contiguous: contiguousSum) { $0 + $1 }
    }

    /// Means along `axis`.
    public func mean(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor {
        let n = shape[shapeCheck(try Shape.normalize(axis: axis, rank: rank))]
        return sum(alongAxis: axis, keepingDims: keepingDims) / Float(Swift.max(n, 1))
    }

    /// Maxima along `axis`.
    public func max(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor {
        reduce(alongAxis: axis, keepingDims: keepingDims, initial: -.infinity, contiguous: contiguousMax) { Swift.max($0, $1) }
    }

    /// The index of the largest element along `axis` (the first one on ties), for every position
    /// of the other axes, in row-major order of the reduced shape.
    public func argmax(alongAxis axis: Int) -> [Int] {
        let (outer, n, inner, _) = reductionLayout(axis: axis, keepingDims: false)
        precondition(n > 0, "argmax: axis \(axis) of shape \(shape) is empty")
        var best = [Float](repeating: -.infinity, count: outer * inner)
        var result = [Int](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { p in
            for o in 0..<outer {
                for k in 0..<n {
                    let row = (o &* n &+ k) &* inner
                    for i in 0..<inner where p[row &+ i] > best[o &* inner &+ i] {
                        best[o &* inner &+ i] = p[row &+ i]
                        result[o &* inner &+ i] = k
                    }
                }
            }
        }
        return result
    }

    /// The `[outer, n, inner]` view of a reduction along `axis`, and the result's shape.
    func reductionLayout(axis: Int, keepingDims: Bool) -> (outer: Int, n: Int, inner: Int, shape: [Int]) {
        let a = shapeCheck(try Shape.normalize(axis: axis, rank: rank))
        let outer = shape[..<a].reduce(1, *)
        let inner = shape[(a + 1)...].reduce(1, *)
        var resultShape = shape
        if keepingDims { resultShape[a] = 1 } else { resultShape.remove(at: a) }
        return (outer, shape[a], inner, resultShape)
    }

    /// Folds `combine` over `axis`. When the axis is the innermost one (`inner == 1`) each
    /// output is a contiguous run, reduced by `contiguous` with SIMD accumulators.
    @inline(__always)
    func reduce(alongAxis axis: Int, keepingDims: Bool, initial: Float,
                contiguous: (UnsafePointer<Float>, Int) -> Float,
                _ combine: (Float, Float) -> Float) -> Tensor {
        let (outer, n, inner, resultShape) = reductionLayout(axis: axis, keepingDims: keepingDims)
        var out = [Float](repeating: initial, count: outer * inner)
        scalars.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { q in
                if inner == 1 && n > 0 {
                    for o in 0..<outer { q[o] = contiguous(p.baseAddress! + o &* n, n) }
                    return
                }
                for o in 0..<outer {
                    let base = o &* inner
                    for k in 0..<n {
                        let row = (o &* n &+ k) &* inner
                        for i in 0..<inner { q[base &+ i] = combine(q[base &+ i], p[row &+ i]) }
                    }
                }
            }
        }
        return Tensor(shape: resultShape, scalars: out)
    }

    /// Sums over the axes that broadcasting added or stretched, giving a tensor of `target`
    /// shape: the gradient of a broadcast (its adjoint).
    public func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        shapeCheck(try checkBroadcast(from: target))
        var result = self
        let pad = rank - target.count
        for _ in 0..<pad { result = result.sum(alongAxis: 0) }
        for axis in target.indices where target[axis] == 1 && result.shape[axis] != 1 {
            result = result.sum(alongAxis: axis, keepingDims: true)
        }
        return result.reshaped(target)
    }

    private func checkBroadcast(from target: [Int]) throws {
        let broadcast = try Shape.broadcast(target, shape)
        if broadcast != shape {
            throw ShapeError("cannot sum shape \(shape) down to \(target): \(target) does not broadcast to \(shape)")
        }
    }
}

/// The sum of `n` contiguous floats, in 16 independent lanes so the adds pipeline and vectorise
/// (a single running total would wait on itself at every step).
@inline(__always)
func contiguousSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var lanes = SIMD16<Float>()
    var i = 0
    while i &+ 16 <= n {
        lanes += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
        i &+= 16
    }
    var total = lanes.sum()
    while i < n { total += p[i]; i &+= 1 }
    return total
}

/// The largest of `n` contiguous floats (n > 0), in 16 lanes.
@inline(__always)
func contiguousMax(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var lanes = SIMD16<Float>(repeating: -.infinity)
    var i = 0
    while i &+ 16 <= n {
        // A compare and a blend: `pointwiseMax` on SIMD16 compiles to a scalar loop here.
        let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
        lanes.replace(with: v, where: v .> lanes)
        i &+= 16
    }
    var best = lanes.max()
    while i < n { best = Swift.max(best, p[i]); i &+= 1 }
    return best
}
