import Foundation

/// Winograd's minimal filtering F(m×m, r×r) for stride-1 convolutions with large kernels:
/// Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks" (CVPR 2016), after
/// Winograd (1980) and Toom-Cook interpolation. An m×m block of outputs is computed from an
/// α×α tile of input (α = m + r − 1 = 8 here) as
///
///     Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A,
///
/// so a 7x7 kernel costs 64 multiplications per 2x2 outputs instead of 196 (3x fewer), and the
/// sum over input channels becomes 64 matrix products `U_ξ [Cout, C] · V_ξ [C, tiles]`, one per
/// position ξ of the tile, which go to OpenBLAS.
///
/// The transforms come from polynomial interpolation at the points 0, ±1, ±2, ±½ and ∞ (the
/// point set of F(6×6, 3×3), whose float rounding is well studied): with `E_k` the α×k matrix
/// that evaluates a polynomial of k coefficients at those points, `Aᵀ = E_mᵀ`, `G = E_r` and
/// `Bᵀ = (E_α⁻¹)ᵀ`, the transposition of Toom-Cook's fast polynomial product. Only the forward
/// pass of inference uses it (`conv2d` when no gradient is recorded, 7x7 kernels, stride 1):
/// results agree with im2col + GEMM to float rounding (3e-6 of the layer's largest output in
/// the tests), not bit for bit, so training keeps im2col and gives the same numbers as before.
enum Winograd {
    /// Tile side α: the transforms work on rows of 8 floats (`SIMD8`).
    static let alpha = 8

    /// Whether `conv2d` may use this path for a kernel of side `r` with `stride` (7x7,
    /// stride 1: Koch's second layer; measured faster than im2col there). `enabled` is false
    /// when the environment sets `SIAMESE_WINOGRAD=0`, to time im2col against it.
    static let enabled = ProcessInfo.processInfo.environment["SIAMESE_WINOGRAD"] != "0"

    /// F(2x2, 7x7)'s matrices, built once.
    static let sevenBySeven = Transforms(r: 7)

    static func applies(kernelHeight: Int, kernelWidth: Int, stride: Int, channels: Int) -> Bool {
        enabled && stride == 1 && kernelHeight == 7 && kernelWidth == 7 && channels >= 8
    }

    /// The transform matrices of F(m, r) with m + r − 1 = 8, row-major: `at` [m, 8],
    /// `g` [8, r], `bt` [8, 8].
    struct Transforms {
        let m: Int, r: Int
        let at: [Float], g: [Float], bt: [Float]

        init(r: Int) {
            let a = Winograd.alpha
            precondition(r >= 2 && r < a, "Winograd: kernel side \(r) does not fit 8-point tiles")
            m = a - r + 1
            self.r = r
            let points: [Double] = [0, 1, -1, 2, -2, 0.5, -0.5]         // and ∞, the last row
            // E_k: α × k, row j = powers of point j; the row at ∞ picks the leading coefficient.
            func evaluation(_ k: Int) -> [[Double]] {
                points.map { p in (0..<k).map { Foundation.pow(p, Double($0)) } }
                    + [(0..<k).map { $0 == k - 1 ? 1 : 0 }]
            }
            let em = evaluation(m), er = evaluation(r), inverse = Winograd.inverse(evaluation(a))
            at = (0..<m).flatMap { i in (0..<a).map { j in Float(em[j][i]) } }
            g = er.flatMap { $0.map(Float.init) }
            bt = (0..<a).flatMap { i in (0..<a).map { j in Float(inverse[j][i]) } }
        }
    }

    /// The inverse of a small square matrix, by Gauss-Jordan elimination with partial pivoting.
    static func inverse(_ matrix: [[Double]]) -> [[Double]] {
        let n = matrix.count
        var a = matrix, inv = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for col in 0..<n {
            let pivot = (col..<n).max { Swift.abs(a[$0][col]) < Swift.abs(a[$1][col]) }!
            a.swapAt(col, pivot)
            inv.swapAt(col, pivot)
            let d = a[col][col]
            for j in 0..<n { a[col][j] /= d; inv[col][j] /= d }
            for i in 0..<n where i != col {
                let f = a[i][col]
                if f == 0 { continue }
                for j in 0..<n { a[i][j] -= f * a[col][j]; inv[i][j] -= f * inv[col][j] }
            }
        }
        return inv
    }

    /// The forward convolution `[N, C, H, W]` * `[Cout, C, r, r]` (stride 1, zero `padding`)
    /// → `[N, Cout, Hout, Wout]` scalars, + bias, then ReLU with `relu`. Images are spread over
    /// the workers; each image's 64 products run on one worker.
    static func forward(_ x: Tensor, weight w: Tensor, bias: Tensor?, padding: Int, relu: Bool) -> [Float] {
        let n = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3], O = w.shape[0], r = w.shape[2]
        let t = r == 7 ? sevenBySeven : Transforms(r: r), m = t.m, a = alpha, a2 = a * a
        let g = ConvGeometry(channels: C, height: H, width: W, kernelHeight: r, kernelWidth: r, padding: padding)
        let outH = g.outputHeight, outW = g.outputWidth, plane = outH * outW
        let tilesH = (outH + m - 1) / m, tilesW = (outW + m - 1) / m
        // Tiles go through in blocks whose transformed input and products (64·(C + Cout) floats a
        // tile) stay within about 2 MB of cache (measured best of 1, 2 and 4 MB on Koch's second
        // layer); columns are padded to whole SIMD8 groups.
        let tiles = tilesH * tilesW
        let budget = 1 << 19
        let columns = Swift.max(8, Swift.min((tiles + 7) / 8 * 8, budget / (a2 * (C + O)) / 8 * 8))
        // The 64 matrices of a buffer lie an odd number of cache lines apart: at a multiple of
        // 4 KB, the transforms' 64 streams of stores and loads would fight over one cache set.
        let vStride = C * columns + 16, pStride = O * columns + 16
        let u = filterTransform(w, t)                                    // [64, Cout, C]
        let total = n * O * plane
        var out = [Float](unsafeUninitializedCapacity: total) { _, k in k = total }
        let biasValues = bias?.scalars ?? [Float](repeating: 0, count: O)
        x.scalars.withUnsafeBufferPointer { xs in
            u.withUnsafeBufferPointer { us in
                out.withUnsafeMutableBufferPointer { os in
                    let xp = xs.baseAddress!, up = us.baseAddress!, op = os.baseAddress!
                    let parallel = n >= Parallel.workers && Parallel.workers > 1
                    let lanes = parallel ? Parallel.workers : 1
                    let multiply = parallel ? BLAS.sgemm : BLAS.multiply         // one image per worker, or split products
                    let body: (Int) -> Void = { lane in
                        let v = UnsafeMutablePointer<Float>.allocate(capacity: a2 * vStride)
                        let product = UnsafeMutablePointer<Float>.allocate(capacity: a2 * pStride)
                        defer { v.deallocate(); product.deallocate() }
                        v.initialize(repeating: 0, count: a2 * vStride)
                        for image in (n * lane / lanes)..<(n * (lane + 1) / lanes) {
                            for first in Swift.stride(from: 0, to: tiles, by: columns) {
                                let block = first..<Swift.min(first + columns, tiles)
                                inputTransform(xp + image &* C &* H &* W, channels: C, height: H, width: W, padding: padding,
                                               m: m, tilesW: tilesW, tiles: block, bt: t.bt, into: v, columns: columns,
                                               planeStride: vStride)
                                for xi in 0..<a2 {
                                    multiply(false, false, O, columns, C, 1, up + xi &* O &* C, C,
                                             v + xi &* vStride, columns, 0, product + xi &* pStride, columns)
                                }
                                outputTransform(product, planeStride: pStride, columns: columns, m: m, tilesW: tilesW,
                                                tiles: block, outH: outH, outW: outW, at: t.at, bias: biasValues, relu: relu,
                                                into: op + image &* O &* plane)
                            }
                        }
                    }
                    if parallel { Parallel.forEach(lanes, body) } else { body(0) }
                }
            }
        }
        return out
    }

    /// `U_ξ[o, c]`: each kernel `g` turned into `G g Gᵀ`, `[64, Cout, C]`.
    static func filterTransform(_ w: Tensor, _ t: Transforms) -> [Float] {
        let O = w.shape[0], C = w.shape[1], r = t.r, a = alpha
        var u = [Float](repeating: 0, count: a * a * O * C)
        var tmp = [Float](repeating: 0, count: a * r)
        for o in 0..<O {
            for c in 0..<C {
                let base = (o * C + c) * r * r
                for i in 0..<a {                                         // tmp = G g   [8, r]
                    for k in 0..<r {
                        var s: Float = 0
                        for j in 0..<r { s += t.g[i * r + j] * w.scalars[base + j * r + k] }
                        tmp[i * r + k] = s
                    }
                }
                for i in 0..<a {                                         // U = tmp Gᵀ  [8, 8]
                    for j in 0..<a {
                        var s: Float = 0
                        for k in 0..<r { s += tmp[i * r + k] * t.g[j * r + k] }
                        u[((i * a + j) * O + o) * C + c] = s
                    }
                }
            }
        }
        return u
    }

    /// `V_ξ[c, tile] = (Bᵀ d B)_ξ` for every channel and tile of one image, `d` the 8x8 input
    /// window of the tile (zeros outside the image).
    static func inputTransform(_ image: UnsafePointer<Float>, channels C: Int, height H: Int, width W: Int, padding p: Int,
                               m: Int, tilesW: Int, tiles: Range<Int>, bt: [Float], into v: UnsafeMutablePointer<Float>,
                               columns: Int, planeStride stride: Int) {
        let scratch = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 16)
        let coefficients = UnsafeMutablePointer<Float>.allocate(capacity: 64)
        defer { scratch.deallocate(); coefficients.deallocate() }
        let d = scratch, b = scratch + 8                                 // b[j] = row j of B (column j of Bᵀ)
        for j in 0..<8 {
            var row = SIMD8<Float>.zero
            for k in 0..<8 { row[k] = bt[k * 8 + j]; coefficients[j * 8 + k] = bt[j * 8 + k] }
            b[j] = row
        }
        for c in 0..<C {
            let plane = image + c &* H &* W
            for tile in tiles {
                let th = tile / tilesW, tw = tile &- th &* tilesW
                let y0 = th &* m &- p, x0 = tw &* m &- p
                let inside = x0 >= 0 && x0 &+ 8 <= W
                for i in 0..<8 {
                    let y = y0 &+ i
                    guard y >= 0 && y < H else { d[i] = .zero; continue }
                    let row = plane + y &* W
                    if inside {
                        d[i] = UnsafeRawPointer(row + x0).loadUnaligned(as: SIMD8<Float>.self)
                    } else {
                        var s = SIMD8<Float>.zero
                        for k in 0..<8 where x0 &+ k >= 0 && x0 &+ k < W { s[k] = row[x0 &+ k] }
                        d[i] = s
                    }
                }
                let column = v + (c &* columns &+ tile &- tiles.lowerBound)
                for i in 0..<8 {
                    var left = SIMD8<Float>.zero                           // row i of Bᵀ d
                    for j in 0..<8 { left += coefficients[i &* 8 &+ j] * d[j] }
                    var row = left[0] * b[0]                               // row i of (Bᵀ d) B
                    for j in 1..<8 { row += left[j] * b[j] }
                    for k in 0..<8 { column[(i &* 8 &+ k) &* stride] = row[k] }
                }
            }
        }
    }

    /// `Y = Aᵀ M A` for every output channel and tile of one image, eight tiles at a time, + bias
    /// (and ReLU), written into the image's `[Cout, Hout, Wout]` planes.
    static func outputTransform(_ product: UnsafeMutablePointer<Float>, planeStride stride: Int, columns: Int, m: Int,
                                tilesW: Int, tiles: Range<Int>, outH: Int, outW: Int, at: [Float], bias: [Float], relu: Bool,
                                into out: UnsafeMutablePointer<Float>) {
        let a = alpha, plane = outH &* outW, O = bias.count
        let scratch = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: a * m + m * m)
        let coefficients = UnsafeMutablePointer<Float>.allocate(capacity: m * a)
        defer { scratch.deallocate(); coefficients.deallocate() }
        for i in 0..<(m * a) { coefficients[i] = at[i] }
        let half = scratch, y = scratch + a * m                          // (M A)[u, j] and Y, for 8 tiles
        for o in 0..<O {
            let b = bias[o]
            let outPlane = out + o &* plane
            for group in Swift.stride(from: 0, to: tiles.count, by: 8) {
                let base = product + (o &* columns &+ group)
                for uu in 0..<a {
                    for j in 0..<m { half[uu &* m &+ j] = .zero }
                    for vv in 0..<a {
                        let value = UnsafeRawPointer(base + (uu &* a &+ vv) &* stride).loadUnaligned(as: SIMD8<Float>.self)
                        for j in 0..<m { half[uu &* m &+ j] += coefficients[j &* a &+ vv] * value }
                    }
                }
                for i in 0..<m {
                    for j in 0..<m {
                        var s = SIMD8<Float>(repeating: b)
                        for uu in 0..<a { s += coefficients[i &* a &+ uu] * half[uu &* m &+ j] }
                        y[i &* m &+ j] = relu ? s.replacing(with: 0, where: s .< 0) : s
                    }
                }
                for k in 0..<Swift.min(8, tiles.count &- group) {
                    let tile = tiles.lowerBound &+ group &+ k, oy = (tile / tilesW) &* m, ox = (tile % tilesW) &* m
                    for i in 0..<m where oy &+ i < outH {
                        let row = outPlane + (oy &+ i) &* outW
                        for j in 0..<m where ox &+ j < outW { row[ox &+ j] = y[i &* m &+ j][k] }
                    }
                }
            }
        }
    }
}
