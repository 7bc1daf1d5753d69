import Foundation

/// Elementwise arithmetic with NumPy-style broadcasting, and elementwise functions.
///
/// Broadcasting aligns shapes at the right; an axis of size 1 (or a missing leading axis) is
/// repeated to match the other operand, without copying: `[3, 1] + [4]` is `[3, 4]`.
/// See `Shape.broadcast` for the rule and its error message.
extension Tensor {
    /// Combines two tensors elementwise under broadcasting; the kernel for `+ - * /` and friends.
    /// Always inlined, so each caller's `op` is compiled into the loop (no call per element).
    @inlinable @inline(__always)
    public static func broadcasting(_ a: Tensor, _ b: Tensor,
                                    _ op: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape {
            return Tensor(shape: a.shape, scalars: zipScalars(a.scalars, b.scalars, op))
        }
        if b.count == 1 && b.rank <= a.rank {
            let s = b.scalars[0]
            return Tensor(shape: a.shape, scalars: a.scalars.mapScalars { op($0, s) })
        }
        if a.count == 1 && a.rank <= b.rank {
            let s = a.scalars[0]
            return Tensor(shape: b.shape, scalars: b.scalars.mapScalars { op(s, $0) })
        }
        let shape = shapeCheck(try Shape.broadcast(a.shape, b.shape))
        return Tensor(shape: shape, scalars: broadcastKernel(a, b, to: shape, op))
    }

    /// The general broadcast loop: walks the output one innermost row at a time, each operand
    /// advancing by its own stride (0 along a broadcast axis).
    @inlinable @inline(__always)
    static func broadcastKernel(_ a: Tensor, _ b: Tensor, to shape: [Int],
                                _ op: (Float, Float) -> Float) -> [Float] {
        let rank = shape.count
        func paddedStrides(_ t: Tensor) -> [Int] {
            let pad = rank - t.rank
            let own = t.strides
            return (0..<rank).map { i in
                i < pad || t.shape[i - pad] == 1 ? 0 : own[i - pad]
            }
        }
        let sa = paddedStrides(a), sb = paddedStrides(b)
        let inner = shape.last ?? 1
        let innerA = sa.last ?? 0, innerB = sb.last ?? 0
        let rows = Shape.count(shape) / Swift.max(inner, 1)
        let count = Shape.count(shape)
        var index = [Int](repeating: 0, count: Swift.max(rank - 1, 0))
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    var offA = 0, offB = 0
                    for row in 0..<rows {
                        let base = row &* inner
                        var ia = offA, ib = offB
                        for j in 0..<inner {
                            out[base &+ j] = op(pa[ia], pb[ib])
                            ia &+= innerA
                            ib &+= innerB
                        }
                        // Advance the outer multi-index (odometer), updating both offsets.
                        var axis = rank - 2
                        while axis >= 0 {
                            index[axis] += 1
                            offA &+= sa[axis]
                            offB &+= sb[axis]
                            if index[axis] < shape[axis] { break }
                            offA &-= sa[axis] &* shape[axis]
                            offB &-= sb[axis] &* shape[axis]
                            index[axis] = 0
                            axis -= 1
                        }
                    }
                }
            }
            initialized = count
        }
    }

    /// Applies `transform` to every element.
    @inlinable @inline(__always)
    public func map(_ transform: (Float) -> Float) -> Tensor {
        Tensor(shape: shape, scalars: scalars.mapScalars(transform))
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, +) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, -) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, *) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, /) }
    public static func + (a: Tensor, s: Float) -> Tensor { a.map { $0 + s } }
    public static func - (a: Tensor, s: Float) -> Tensor { a.map { $0 - s } }
    public static func * (a: Tensor, s: Float) -> Tensor { a.map { $0 * s } }
    public static func / (a: Tensor, s: Float) -> Tensor { a.map { $0 / s } }
    public static func + (s: Float, a: Tensor) -> Tensor { a.map { s + $0 } }
    public static func - (s: Float, a: Tensor) -> Tensor { a.map { s - $0 } }
    public static func * (s: Float, a: Tensor) -> Tensor { a.map { s * $0 } }
    public static func / (s: Float, a: Tensor) -> Tensor { a.map { s / $0 } }
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    /// Adds `b` (broadcast to this shape) in place: the accumulation used by gradients.
    public static func += (a: inout Tensor, b: Tensor) {
        if a.shape == b.shape {
            a.scalars.withUnsafeMutableBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    for i in 0..<pa.count { pa[i] += pb[i] }
                }
            }
        } else {
            a = a + b
        }
    }

    /// eˣ elementwise.
    public func exp() -> Tensor { map { Foundation.exp($0) } }
    /// Natural logarithm elementwise.
    public func log() -> Tensor { map { Foundation.log($0) } }
    /// Square root elementwise.
    public func sqrt() -> Tensor { map { $0.squareRoot() } }
    /// Absolute value elementwise.
    public func abs() -> Tensor { map { Swift.abs($0) } }
    /// x² elementwise.
    public func squared() -> Tensor { map { $0 * $0 } }
    /// xᵖ elementwise.
    public func pow(_ p: Float) -> Tensor { map { Foundation.pow($0, p) } }
    /// Hyperbolic tangent elementwise.
    public func tanh() -> Tensor { map { Foundation.tanh($0) } }
    /// max(0, x) elementwise (the rectified linear unit).
    public func relu() -> Tensor { map { $0 > 0 ? $0 : 0 } }
    /// The logistic function 1 / (1 + e⁻ˣ), computed without overflow for large |x|.
    public func sigmoid() -> Tensor { map(Tensor.sigmoid) }

    /// The numerically safe logistic function of one value.
    @inlinable
    public static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    /// The elementwise comparison `self > other` as 1 or 0.
    public func greater(than other: Tensor) -> Tensor { Tensor.broadcasting(self, other) { $0 > $1 ? 1 : 0 } }

    /// True when every element is within `tolerance` (absolute plus relative) of `other`'s.
    public func isClose(to other: Tensor, tolerance: Float = 1e-5) -> Bool {
        guard shape == other.shape else { return false }
        return zip(scalars, other.scalars).allSatisfy { Swift.abs($0 - $1) <= tolerance * (1 + Swift.abs($1)) }
    }
}

extension Array where Element == Float {
    /// `map` without the per-element bounds checks and reallocation of `Array.map`.
    @inlinable @inline(__always)
    func mapScalars(_ transform: (Float) -> Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { out, initialized in
            self.withUnsafeBufferPointer { input in
                for i in 0..<input.count { out[i] = transform(input[i]) }
            }
            initialized = count
        }
    }
}

/// Elementwise combination of two equally long arrays, in a loop the compiler vectorises.
@inlinable @inline(__always)
func zipScalars(_ a: [Float], _ b: [Float], _ op: (Float, Float) -> Float) -> [Float] {
    [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for i in 0..<pa.count { out[i] = op(pa[i], pb[i]) }
            }
        }
        initialized = a.count
    }
}
