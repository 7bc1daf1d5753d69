/// The differentiable 2-D convolution (cross-correlation, as in every deep-learning library):
/// `y[n, o, i, j] = b[o] + Σ_{c, u, v} w[o, c, u, v] · x[n, c, i·s − p + u, j·s − p + v]`.
///
/// Shapes: input `[N, C, H, W]`, weight `[Cout, C, kh, kw]` (PyTorch's layout), bias `[Cout]`,
/// output `[N, Cout, Hout, Wout]`. Computed as im2col followed by one `sgemm`; the backward
/// pass is two more `sgemm`s (weight gradient, column gradient) and col2im.
/// LeCun et al., "Gradient-Based Learning Applied to Document Recognition" (1998).
public func conv2d(_ input: Variable, weight: Variable, bias: Variable?, stride: Int = 1, padding: Int = 0) -> Variable {
    let x = input.value, w = weight.value
    precondition(x.rank == 4, "conv2d: input must be [N, C, H, W], got \(x.shape)")
    precondition(w.rank == 4 && w.shape[1] == x.shape[1],
                 "conv2d: weight \(w.shape) does not fit input \(x.shape) (expected [Cout, \(x.shape[1]), kh, kw])")
    if let bias { precondition(bias.shape == [w.shape[0]], "conv2d: bias \(bias.shape) should be [\(w.shape[0])]") }
    let n = x.shape[0], outChannels = w.shape[0]
    let g = ConvGeometry(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                         kernelHeight: w.shape[2], kernelWidth: w.shape[3], stride: stride, padding: padding)
    let plane = g.outputPlane
    let cols = Im2Col.matrix(x, geometry: g)                                   // [CKK, N·HW]
    let w2 = w.reshaped([outChannels, g.patchSize])                            // [Cout, CKK]
    let product = matmul(w2, cols)                                             // [Cout, N·HW]
    let output = ConvLayout.channelsToBatch(product, batch: n, channels: outChannels, plane: plane,
                                            bias: bias?.value)                 // [N, Cout, HW]
        .reshaped([n, outChannels, g.outputHeight, g.outputWidth])

    let parents = bias.map { [input, weight, $0] } ?? [input, weight]
    let inputNeedsGrad = input.requiresGrad
    return Variable(output, op: "conv2d", parents: parents) { grad in
        let gT = ConvLayout.batchToChannels(grad, batch: n, channels: outChannels, plane: plane) // [Cout, N·HW]
        let gw = matmul(gT, cols, transposeB: true).reshaped(w.shape)          // dW = G·colsᵀ
        var gx: Tensor? = nil
        if inputNeedsGrad {
            let dcols = matmul(w2, gT, transposeA: true)                       // dcols = Wᵀ·G
            gx = ConvLayout.col2im(dcols, geometry: g, batch: n)
        }
        let gb = bias.map { _ in gT.sum(alongAxis: 1) }
        return [gx, gw] + (gb.map { [$0] } ?? [])
    }
}

/// Moving convolution results between the GEMM's channel-major layout `[C, N·HW]` and the
/// batch-major `[N, C, HW]` the layers exchange, in parallel over the batch.
enum ConvLayout {
    /// `[C, N·HW]` → `[N, C, HW]`, adding `bias[c]` on the way (fused, one pass over memory).
    static func channelsToBatch(_ t: Tensor, batch n: Int, channels: Int, plane: Int, bias: Tensor?) -> Tensor {
        var out = [Float](repeating: 0, count: t.count)
        t.scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let s = src.baseAddress!, d = dst.baseAddress!
                let biasValues = bias?.scalars
                Parallel.forEachChunk(n) { images in
                    for i in images {
                        for c in 0..<channels {
                            let from = s + (c &* n &+ i) &* plane
                            let to = d + (i &* channels &+ c) &* plane
                            let b = biasValues?[c] ?? 0
                            for p in 0..<plane { to[p] = from[p] + b }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, channels, plane], scalars: out)
    }

    /// `[N, C, ...]` (HW values per channel) → `[C, N·HW]`.
    static func batchToChannels(_ t: Tensor, batch n: Int, channels: Int, plane: Int) -> Tensor {
        var out = [Float](repeating: 0, count: t.count)
        t.scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let s = src.baseAddress!, d = dst.baseAddress!
                Parallel.forEachChunk(n) { images in
                    for i in images {
                        for c in 0..<channels {
                            (d + (c &* n &+ i) &* plane).update(from: s + (i &* channels &+ c) &* plane, count: plane)
                        }
                    }
                }
            }
        }
        return Tensor(shape: [channels, n * plane], scalars: out)
    }

    /// Sums column gradients `[C·kh·kw, N·HW]` back into an input gradient `[N, C, H, W]`.
    static func col2im(_ dcols: Tensor, geometry g: ConvGeometry, batch n: Int) -> Tensor {
        var out = [Float](repeating: 0, count: n * g.inputPlane)
        let rowStride = n * g.outputPlane
        dcols.scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let s = src.baseAddress!, d = dst.baseAddress!
                Parallel.forEachChunk(n) { images in
                    for i in images {
                        Im2Col.accumulate(cols: s, rowStride: rowStride, columnOffset: i * g.outputPlane,
                                          geometry: g, into: d + i * g.inputPlane)
                    }
                }
            }
        }
        return Tensor(shape: [n, g.channels, g.height, g.width], scalars: out)
    }
}

/// The convolution by its definition, seven nested loops and no tricks: the reference that
/// `conv2d` is tested against, and the baseline Chapter 02 times it against.
public func naiveConv2d(_ x: Tensor, weight w: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
    let n = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    let O = w.shape[0], kh = w.shape[2], kw = w.shape[3]
    let g = ConvGeometry(channels: C, height: H, width: W, kernelHeight: kh, kernelWidth: kw, stride: stride, padding: padding)
    var out = [Float](repeating: 0, count: n * O * g.outputPlane)
    x.scalars.withUnsafeBufferPointer { xs in
        w.scalars.withUnsafeBufferPointer { ws in
            for i in 0..<n {
                for o in 0..<O {
                    for oy in 0..<g.outputHeight {
                        for ox in 0..<g.outputWidth {
                            var sum = bias?.scalars[o] ?? 0
                            for c in 0..<C {
                                for u in 0..<kh {
                                    let iy = oy * stride - padding + u
                                    if iy < 0 || iy >= H { continue }
                                    for v in 0..<kw {
                                        let ix = ox * stride - padding + v
                                        if ix < 0 || ix >= W { continue }
                                        sum += ws[((o * C + c) * kh + u) * kw + v] * xs[((i * C + c) * H + iy) * W + ix]
                                    }
                                }
                            }
                            out[((i * O + o) * g.outputHeight + oy) * g.outputWidth + ox] = sum
                        }
                    }
                }
            }
        }
    }
    return Tensor(shape: [n, O, g.outputHeight, g.outputWidth], scalars: out)
}
