/// Differentiable pooling over `[N, C, H, W]`: each `kernel × kernel` window (moving by
/// `stride`, default `kernel`) becomes one number, its maximum or its mean. Pooling shrinks
/// the feature maps and makes them tolerant to small shifts.

/// Max pooling. The gradient goes to the input position that held each window's maximum
/// (recorded in the forward pass). Ranzato et al. (2007); Krizhevsky et al. (2012).
public func maxPool2d(_ input: Variable, kernel: Int, stride: Int? = nil) -> Variable {
    let x = input.value
    let (g, planes) = poolingGeometry(x, kernel: kernel, stride: stride, name: "maxPool2d")
    let inPlane = g.height * g.width, outPlane = g.outputPlane
    var out = [Float](repeating: 0, count: planes * outPlane)
    var winners = [Int32](repeating: 0, count: planes * outPlane)
    x.scalars.withUnsafeBufferPointer { xs in
        out.withUnsafeMutableBufferPointer { os in
            winners.withUnsafeMutableBufferPointer { ws in
                let xb = xs.baseAddress!, ob = os.baseAddress!, wb = ws.baseAddress!
                Parallel.forEachChunk(planes, minimumChunk: 16) { range in
                    for p in range {
                        let src = xb + p &* inPlane
                        for oy in 0..<g.outputHeight {
                            for ox in 0..<g.outputWidth {
                                var best = -Float.infinity, at = 0
                                for u in 0..<kernel {
                                    let row = (oy &* g.stride &+ u) &* g.width &+ ox &* g.stride
                                    for v in 0..<kernel where src[row &+ v] > best {
                                        best = src[row &+ v]
                                        at = row &+ v
                                    }
                                }
                                let o = p &* outPlane &+ oy &* g.outputWidth &+ ox
                                ob[o] = best
                                wb[o] = Int32(at)
                            }
                        }
                    }
                }
            }
        }
    }
    let shape = x.shape
    let result = Tensor(shape: [shape[0], shape[1], g.outputHeight, g.outputWidth], scalars: out)
    return Variable(result, op: "maxpool", parents: [input]) { grad in
        var dx = [Float](repeating: 0, count: planes * inPlane)
        grad.scalars.withUnsafeBufferPointer { gs in
            for p in 0..<planes {
                for o in 0..<outPlane {
                    dx[p &* inPlane &+ Int(winners[p &* outPlane &+ o])] += gs[p &* outPlane &+ o]
                }
            }
        }
        return [Tensor(shape: shape, scalars: dx)]
    }
}

/// Average pooling. Each input position receives the gradient of every window it was in,
/// divided by the window's area.
public func avgPool2d(_ input: Variable, kernel: Int, stride: Int? = nil) -> Variable {
    let x = input.value
    let (g, planes) = poolingGeometry(x, kernel: kernel, stride: stride, name: "avgPool2d")
    let inPlane = g.height * g.width, outPlane = g.outputPlane
    let scale = 1 / Float(kernel * kernel)
    var out = [Float](repeating: 0, count: planes * outPlane)
    x.scalars.withUnsafeBufferPointer { xs in
        for p in 0..<planes {
            for oy in 0..<g.outputHeight {
                for ox in 0..<g.outputWidth {
                    var sum: Float = 0
                    for u in 0..<kernel {
                        let row = p &* inPlane &+ (oy &* g.stride &+ u) &* g.width &+ ox &* g.stride
                        for v in 0..<kernel { sum += xs[row &+ v] }
                    }
                    out[p &* outPlane &+ oy &* g.outputWidth &+ ox] = sum * scale
                }
            }
        }
    }
    let shape = x.shape
    let result = Tensor(shape: [shape[0], shape[1], g.outputHeight, g.outputWidth], scalars: out)
    return Variable(result, op: "avgpool", parents: [input]) { grad in
        var dx = [Float](repeating: 0, count: planes * inPlane)
        grad.scalars.withUnsafeBufferPointer { gs in
            for p in 0..<planes {
                for oy in 0..<g.outputHeight {
                    for ox in 0..<g.outputWidth {
                        let gv = gs[p &* outPlane &+ oy &* g.outputWidth &+ ox] * scale
                        for u in 0..<kernel {
                            let row = p &* inPlane &+ (oy &* g.stride &+ u) &* g.width &+ ox &* g.stride
                            for v in 0..<kernel { dx[row &+ v] += gv }
                        }
                    }
                }
            }
        }
        return [Tensor(shape: shape, scalars: dx)]
    }
}

/// The window geometry of a pooling over `[N, C, H, W]` (one plane at a time) and the number of
/// planes, N·C.
private func poolingGeometry(_ x: Tensor, kernel: Int, stride: Int?, name: String) -> (ConvGeometry, planes: Int) {
    precondition(x.rank == 4, "\(name): input must be [N, C, H, W], got \(x.shape)")
    let g = ConvGeometry(channels: 1, height: x.shape[2], width: x.shape[3],
                         kernelHeight: kernel, kernelWidth: kernel, stride: stride ?? kernel)
    return (g, x.shape[0] * x.shape[1])
}
