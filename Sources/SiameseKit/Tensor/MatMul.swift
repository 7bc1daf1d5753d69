import COpenBLAS

/// Matrix multiplication: through OpenBLAS's `cblas_sgemm`, and a naive triple loop to compare.
extension Tensor {
    /// The shape `[m, k]` a matrix presents when read as `op(x)`, transposed or not.
    static func matmulDims(_ t: Tensor, transposed: Bool, name: String) -> (rows: Int, cols: Int) {
        precondition(t.rank == 2, "matmul: \(name) must be a matrix, got shape \(t.shape)")
        return transposed ? (t.shape[1], t.shape[0]) : (t.shape[0], t.shape[1])
    }

    /// The output shape of `op(a) · op(b)`, or a `ShapeError` naming both shapes.
    public static func matmulShape(_ a: [Int], _ b: [Int], transposeA: Bool = false,
                                   transposeB: Bool = false) throws -> [Int] {
        guard a.count == 2, b.count == 2 else {
            throw ShapeError("matmul needs two matrices, got shapes \(a) and \(b)")
        }
        let (m, k) = transposeA ? (a[1], a[0]) : (a[0], a[1])
        let (k2, n) = transposeB ? (b[1], b[0]) : (b[0], b[1])
        guard k == k2 else {
            let ta = transposeA ? "ᵀ" : "", tb = transposeB ? "ᵀ" : ""
            throw ShapeError("matmul of \(a)\(ta) and \(b)\(tb): inner dimensions \(k) and \(k2) differ")
        }
        return [m, n]
    }
}

/// `op(a) · op(b)` for matrices, where `op` transposes when asked, by `cblas_sgemm`.
///
/// Transposes cost nothing: BLAS reads the stored matrix in the other order. Shapes:
/// `op(a)` is `[m, k]`, `op(b)` is `[k, n]`, the result `[m, n]`.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let shape = shapeCheck(try Tensor.matmulShape(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB))
    var c = Tensor(shape: shape, scalars: [Float](repeating: 0, count: shape[0] * shape[1]))
    gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, alpha: 1, beta: 0)
    return c
}

/// `c = alpha · op(a) · op(b) + beta · c` in place: BLAS's general matrix multiply.
/// With `beta: 1` it accumulates into `c`, as gradients do.
public func gemm(_ a: Tensor, _ b: Tensor, into c: inout Tensor, transposeA: Bool = false,
                 transposeB: Bool = false, alpha: Float = 1, beta: Float = 0) {
    let shape = shapeCheck(try Tensor.matmulShape(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB))
    precondition(c.shape == shape, "gemm: the output has shape \(c.shape) but op(a)·op(b) has shape \(shape)")
    let (m, k) = Tensor.matmulDims(a, transposed: transposeA, name: "a")
    let n = shape[1]
    if m == 0 || n == 0 { return }
    a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
            c.scalars.withUnsafeMutableBufferPointer { pc in
                cblas_sgemm(CblasRowMajor,
                            transposeA ? CblasTrans : CblasNoTrans,
                            transposeB ? CblasTrans : CblasNoTrans,
                            Int32(m), Int32(n), Int32(k), alpha,
                            pa.baseAddress, Int32(a.shape[1]),
                            pb.baseAddress, Int32(b.shape[1]),
                            beta, pc.baseAddress, Int32(n))
            }
        }
    }
}

/// `a · b` by the textbook triple loop (i, k, j order, so the inner loop is contiguous).
/// Correct but slow: Chapter 01 measures how slow next to `matmul`.
public func naiveMatmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = shapeCheck(try Tensor.matmulShape(a.shape, b.shape))
    let m = shape[0], n = shape[1], k = a.shape[1]
    var out = [Float](repeating: 0, count: m * n)
    a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { pc in
                for i in 0..<m {
                    for p in 0..<k {
                        let aip = pa[i &* k &+ p]
                        let bRow = p &* n, cRow = i &* n
                        for j in 0..<n { pc[cRow &+ j] += aip * pb[bRow &+ j] }
                    }
                }
            }
        }
    }
    return Tensor(shape: shape, scalars: out)
}

/// OpenBLAS's thread pool. More threads help large matrices and slow small ones down.
public enum BLAS {
    /// The number of threads OpenBLAS uses for one call.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }
}
