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
                        if kernel == 2 && g.stride == 2 {
                            maxPool2x2(xb + p &* inPlane, width: g.width, g, ob + p &* outPlane, wb + p &* outPlane)
                        } else {
                            maxPoolWindows(xb + p &* inPlane, kernel: kernel, g, ob + p &* outPlane, wb + p &* outPlane)
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
            winners.withUnsafeBufferPointer { ws in
                dx.withUnsafeMutableBufferPointer { ds in
                    let gb = gs.baseAddress!, wb = ws.baseAddress!, db = ds.baseAddress!
                    Parallel.forEachChunk(planes, minimumChunk: 16) { range in
                        for p in range {
                            let d = db + p &* inPlane, gp = gb + p &* outPlane, wp = wb + p &* outPlane
                            for o in 0..<outPlane { d[Int(wp[o])] += gp[o] }
                        }
                    }
                }
            }
        }
        return [Tensor(shape: shape, scalars: dx)]
    }
}

/// One plane's max pooling over any window: each output's maximum and the (plane) index it came from.
@inline(__always)
private func maxPoolWindows(_ src: UnsafePointer<Float>, kernel: Int, _ g: ConvGeometry,
                            _ out: UnsafeMutablePointer<Float>, _ winners: UnsafeMutablePointer<Int32>) {
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
            let o = oy &* g.outputWidth &+ ox
            out[o] = best
            winners[o] = Int32(at)
        }
    }
}

/// The common 2x2, stride-2 window, without the general loops (the same maxima and indices,
/// the first of equal values winning, as `maxPoolWindows`).
@inline(__always)
private func maxPool2x2(_ src: UnsafePointer<Float>, width: Int, _ g: ConvGeometry,
                        _ out: UnsafeMutablePointer<Float>, _ winners: UnsafeMutablePointer<Int32>) {
    for oy in 0..<g.outputHeight {
        let top = 2 &* oy &* width
        let r0 = src + top, r1 = r0 + width
        let o = out + oy &* g.outputWidth, w = winners + oy &* g.outputWidth
        for ox in 0..<g.outputWidth {
            let c = 2 &* ox
            var best = r0[c], at = top &+ c
            if r0[c &+ 1] > best { best = r0[c &+ 1]; at = top &+ c &+ 1 }
            if r1[c] > best { best = r1[c]; at = top &+ width &+ c }
            if r1[c &+ 1] > best { best = r1[c &+ 1]; at = top &+ width &+ c &+ 1 }
            o[ox] = best
            w[ox] = Int32(at)
        }
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
