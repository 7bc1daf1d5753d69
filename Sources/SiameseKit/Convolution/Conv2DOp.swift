/// The differentiable 2-D convolution (cross-correlation, as in every deep-learning library):
/// `y[n, o, i, j] = b[o] + Σ_{c, u, v} w[o, c, u, v] · x[n, c, i·s − p + u, j·s − p + v]`.
///
/// Shapes: input `[N, C, H, W]`, weight `[Cout, C, kh, kw]` (PyTorch's layout), bias `[Cout]`,
/// output `[N, Cout, Hout, Wout]`. Computed as im2col followed by `sgemm`, a chunk of the batch at
/// a time (`ConvChunks`); the backward pass is two more `sgemm`s per chunk (weight gradient,
/// column gradient) and col2im.
/// LeCun et al., "Gradient-Based Learning Applied to Document Recognition" (1998).
///
/// With `relu: true` the result is `max(0, y)`, the ReLU applied as the output is written (the
/// pullback zeroes the gradient where the output is 0): exactly `conv2d(...).relu()`, with one
/// pass over memory and one stored tensor fewer.
public func conv2d(_ input: Variable, weight: Variable, bias: Variable?, stride: Int = 1, padding: Int = 0,
                   relu: Bool = false) -> Variable {
    let x = input.value, w = weight.value
    precondition(x.rank == 4, "conv2d: input must be [N, C, H, W], got \(x.shape)")
    precondition(w.rank == 4 && w.shape[1] == x.shape[1],
                 "conv2d: weight \(w.shape) does not fit input \(x.shape) (expected [Cout, \(x.shape[1]), kh, kw])")
    if let bias { precondition(bias.shape == [w.shape[0]], "conv2d: bias \(bias.shape) should be [\(w.shape[0])]") }
    let n = x.shape[0], outChannels = w.shape[0]
    let g = ConvGeometry(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                         kernelHeight: w.shape[2], kernelWidth: w.shape[3], stride: stride, padding: padding)
    let chunks = ConvChunks(geometry: g, batch: n, outChannels: outChannels)
    let w2 = w.reshaped([outChannels, g.patchSize])                            // [Cout, C·kh·kw]
    let parents = bias.map { [input, weight, $0] } ?? [input, weight]
    let recording = GradientMode.isEnabled && parents.contains(where: \.requiresGrad)
    if !recording, Winograd.applies(kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, stride: stride, channels: g.channels) {
        // Inference with a 7x7 kernel: Winograd's F(2x2, 7x7), 3x fewer multiplications.
        let scalars = Winograd.forward(x, weight: w, bias: bias?.value, padding: padding, relu: relu)
        return Variable(Tensor(shape: [n, outChannels, g.outputHeight, g.outputWidth], scalars: scalars))
    }
    let (scalars, lowered) = chunks.forward(x, weight: w2, bias: bias?.value, relu: relu,
                                            keep: recording && chunks.keepsLowered)
    let output = Tensor(shape: [n, outChannels, g.outputHeight, g.outputWidth], scalars: scalars)
    let inputNeedsGrad = input.requiresGrad
    return Variable(output, op: relu ? "conv2d+relu" : "conv2d", parents: parents) { outputGrad in
        let grad = relu ? Tensor.broadcasting(outputGrad, output) { $1 > 0 ? $0 : 0 } : outputGrad
        let (dx, dw, db) = chunks.backward(grad, input: x, weight: w2, lowered: lowered, inputGradient: inputNeedsGrad)
        let gx = dx.map { Tensor(shape: x.shape, scalars: $0) }
        let gw = Tensor(shape: w.shape, scalars: dw)
        return [gx, gw] + (bias == nil ? [] : [Tensor(shape: [outChannels], scalars: db)])
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
