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
/// With `beta: 1` it accumulates into `c`, as gradients do. Large products are split over the
/// core's workers (`BLAS.multiply`).
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
                BLAS.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                              a: pa.baseAddress!, lda: a.shape[1], b: pb.baseAddress!, ldb: b.shape[1],
                              beta: beta, c: pc.baseAddress!, ldc: n)
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

/// The core's matrix products on OpenBLAS.
///
/// OpenBLAS runs on one thread: the core splits work over its own workers (`Parallel`) and
/// calls OpenBLAS inside each, a large product as several column (or row) blocks, the
/// convolutions one batch chunk per worker. OpenBLAS's own threads would otherwise compete
/// with the core's (and spin while waiting for work).
public enum BLAS {
    /// The number of threads a matrix product (and every other parallel loop) uses:
    /// `Parallel.workers`. More threads help large matrices and slow small ones down.
    public static var threads: Int {
        get { Parallel.workers }
        set {
            precondition(newValue >= 1, "BLAS.threads must be at least 1, got \(newValue)")
            Parallel.workers = newValue
        }
    }

    /// OpenBLAS set to one thread, once, before the first product.
    private static let singleThreaded: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// The name of the OpenBLAS kernels the products use ("SkylakeX", "Haswell", ...): OpenBLAS
    /// picks them for the CPU when it loads, or takes them from `OPENBLAS_CORETYPE`.
    public static var kernels: String { String(cString: openblas_get_corename()) }

    /// Products smaller than this many multiply-adds run on one worker.
    static let splitThreshold = 1 << 20

    /// `c = alpha · op(a) · op(b) + beta · c` on row-major matrices at the given pointers and
    /// leading dimensions, by `cblas_sgemm` on the calling thread.
    @inline(__always)
    static func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        _ = singleThreaded
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `sgemm` split over the workers: the longer side of `c` is cut into one block per worker
    /// (each element is still computed by one call, so the result does not depend on the split).
    static func multiply(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                         a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let parts = m &* n &* Swift.max(k, 1) < splitThreshold ? 1 : Swift.min(Parallel.workers, Swift.max(m, n) / 16)
        if parts <= 1 {
            sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                  a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        Parallel.forEach(parts) { p in
            if n >= m {
                // Columns n0..<n1 of c: columns of op(b).
                let n0 = n * p / parts / 16 * 16, n1 = p == parts - 1 ? n : n * (p + 1) / parts / 16 * 16
                if n1 <= n0 { return }
                sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n1 - n0, k: k, alpha: alpha,
                      a: a, lda: lda, b: transposeB ? b + n0 * ldb : b + n0, ldb: ldb,
                      beta: beta, c: c + n0, ldc: ldc)
            } else {
                // Rows m0..<m1 of c: rows of op(a).
                let m0 = m * p / parts / 16 * 16, m1 = p == parts - 1 ? m : m * (p + 1) / parts / 16 * 16
                if m1 <= m0 { return }
                sgemm(transposeA: transposeA, transposeB: transposeB, m: m1 - m0, n: n, k: k, alpha: alpha,
                      a: transposeA ? a + m0 : a + m0 * lda, lda: lda, b: b, ldb: ldb,
                      beta: beta, c: c + m0 * ldc, ldc: ldc)
            }
        }
    }
}
