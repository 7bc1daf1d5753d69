/// The differentiable batch normalisation behind `BatchNorm`, optionally followed by a ReLU in
/// the same pass: `y = γ·(x − μ)/σ + β` per channel (then `max(0, y)` with `relu`), with μ and σ²
/// the channel's mean and biased variance over the batch and positions (training) or given
/// running statistics (evaluation). Ioffe and Szegedy (2015).
///
/// Shapes: input `[N, C]` or `[N, C, H, W]`, `gamma` and `beta` `[C]`. Channels are independent,
/// so they are spread over the workers (`Parallel`) and each channel's sums run in SIMD lanes in
/// the same order whatever the number of workers: the same seed gives the same numbers.
/// Returns the output and, in training, the batch's mean and variance (for the running averages).
func batchNorm(_ input: Variable, gamma: Variable, beta: Variable, training: Bool,
               runningMean: Tensor, runningVar: Tensor, epsilon: Float, relu: Bool)
    -> (output: Variable, mean: [Float], variance: [Float]) {
    let x = input.value
    let n = x.shape[0], channels = x.shape[1], plane = x.rank == 4 ? x.shape[2] * x.shape[3] : 1
    let m = Float(n * plane)
    let recording = GradientMode.isEnabled && [input, gamma, beta].contains(where: \.requiresGrad)
    var mean = training ? [Float](repeating: 0, count: channels) : runningMean.scalars
    var variance = training ? [Float](repeating: 0, count: channels) : runningVar.scalars
    var invStd = [Float](repeating: 0, count: channels)
    let total = x.count
    var y = [Float](unsafeUninitializedCapacity: total) { _, c in c = total }
    // x̂ is kept for the backward pass only.
    var xhat = [Float](unsafeUninitializedCapacity: recording ? total : 0) { _, c in c = recording ? total : 0 }
    let g = gamma.value.scalars, b = beta.value.scalars
    // Enough channels per worker that a small layer is not split into tiny tasks.
    let channelsPerTask = Swift.max(1, 16_384 / Swift.max(1, n * plane))
    x.scalars.withUnsafeBufferPointer { xs in
        y.withUnsafeMutableBufferPointer { ys in
            xhat.withUnsafeMutableBufferPointer { hs in
                mean.withUnsafeMutableBufferPointer { means in
                    variance.withUnsafeMutableBufferPointer { variances in
                        invStd.withUnsafeMutableBufferPointer { invs in
                            let xp = xs.baseAddress!, yp = ys.baseAddress!, hp = recording ? hs.baseAddress : nil
                            let mp = means.baseAddress!, vp = variances.baseAddress!, sp = invs.baseAddress!
                            Parallel.forEachChunk(channels, minimumChunk: channelsPerTask) { range in
                                for c in range {
                                    if training {
                                        var sum: Float = 0
                                        for i in 0..<n { sum += contiguousSum(xp + (i &* channels &+ c) &* plane, plane) }
                                        let mu = sum / m
                                        var squares: Float = 0
                                        for i in 0..<n { squares += BatchNormKernels.squaredDeviations(xp + (i &* channels &+ c) &* plane, plane, mu) }
                                        mp[c] = mu
                                        vp[c] = squares / m
                                    }
                                    let s = 1 / (vp[c] + epsilon).squareRoot()
                                    sp[c] = s
                                    for i in 0..<n {
                                        let offset = (i &* channels &+ c) &* plane
                                        BatchNormKernels.normalize(xp + offset, plane, mean: mp[c], invStd: s, gamma: g[c], beta: b[c],
                                                                   xhat: hp.map { $0 + offset }, y: yp + offset, relu: relu)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let output = Tensor(shape: x.shape, scalars: y)
    // Without recording, Variable drops the pullback (and with it the empty x̂).
    let result = Variable(output, op: relu ? "batchnorm+relu" : "batchnorm", parents: [input, gamma, beta]) { grad in
        var dgamma = [Float](repeating: 0, count: channels), dbeta = dgamma
        var dx = [Float](unsafeUninitializedCapacity: total) { _, c in c = total }
        grad.scalars.withUnsafeBufferPointer { gs in
            xhat.withUnsafeBufferPointer { hs in
                output.scalars.withUnsafeBufferPointer { ys in
                    dx.withUnsafeMutableBufferPointer { ds in
                        dgamma.withUnsafeMutableBufferPointer { dgs in
                            dbeta.withUnsafeMutableBufferPointer { dbs in
                                let gp = gs.baseAddress!, hp = hs.baseAddress!, yp = ys.baseAddress!, dp = ds.baseAddress!
                                let dgp = dgs.baseAddress!, dbp = dbs.baseAddress!
                                Parallel.forEachChunk(channels, minimumChunk: channelsPerTask) { range in
                                    for c in range {
                                        var sumG: Float = 0, sumGH: Float = 0
                                        for i in 0..<n {
                                            let offset = (i &* channels &+ c) &* plane
                                            let (sg, sgh) = BatchNormKernels.gradientSums(gp + offset, hp + offset, relu ? yp + offset : nil, plane)
                                            sumG += sg
                                            sumGH += sgh
                                        }
                                        dbp[c] = sumG
                                        dgp[c] = sumGH
                                        // Training: dx = γσ⁻¹ (g − mean(g) − x̂·mean(g·x̂)); evaluation: dx = γσ⁻¹ g.
                                        let k = g[c] * invStd[c]
                                        let meanG = training ? sumG / m : 0, meanGH = training ? sumGH / m : 0
                                        for i in 0..<n {
                                            let offset = (i &* channels &+ c) &* plane
                                            BatchNormKernels.inputGradient(gp + offset, hp + offset, relu ? yp + offset : nil, plane,
                                                                           scale: k, meanG: meanG, meanGH: meanGH, into: dp + offset)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return [Tensor(shape: grad.shape, scalars: dx), Tensor(dgamma), Tensor(dbeta)]
    }
    return (result, mean, variance)
}

/// The per-channel loops of `batchNorm`, sixteen lanes at a time.
enum BatchNormKernels {
    typealias Lanes = SIMD16<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }

    @inline(__always)
    static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self) }

    /// Σ (x − μ)² over `n` contiguous floats.
    @inline(__always)
    static func squaredDeviations(_ x: UnsafePointer<Float>, _ n: Int, _ mu: Float) -> Float {
        var lanes = Lanes(), i = 0
        let m = Lanes(repeating: mu)
        while i &+ 16 <= n {
            let d = load(x + i) - m
            lanes += d * d
            i &+= 16
        }
        var total = lanes.sum()
        while i < n { let d = x[i] - mu; total += d * d; i &+= 1 }
        return total
    }

    /// x̂ = (x − μ)·s (stored when `xhat` is given) and y = γ·x̂ + β, then max(0, y) with `relu`.
    @inline(__always)
    static func normalize(_ x: UnsafePointer<Float>, _ n: Int, mean: Float, invStd: Float, gamma: Float, beta: Float,
                          xhat: UnsafeMutablePointer<Float>?, y: UnsafeMutablePointer<Float>, relu: Bool) {
        let mu = Lanes(repeating: mean), s = Lanes(repeating: invStd), g = Lanes(repeating: gamma), b = Lanes(repeating: beta)
        let zero = Lanes()
        var i = 0
        while i &+ 16 <= n {
            let h = (load(x + i) - mu) * s
            if let xhat { store(h, xhat + i) }
            var v = g * h + b
            if relu { v = v.replacing(with: zero, where: v .< zero) }
            store(v, y + i)
            i &+= 16
        }
        while i < n {
            let h = (x[i] - mean) * invStd
            xhat?[i] = h
            let v = gamma * h + beta
            y[i] = relu ? (v > 0 ? v : 0) : v
            i &+= 1
        }
    }

    /// Σ g and Σ g·x̂, with g zeroed where the ReLU's output `y` is 0 (when given).
    @inline(__always)
    static func gradientSums(_ g: UnsafePointer<Float>, _ h: UnsafePointer<Float>, _ y: UnsafePointer<Float>?, _ n: Int)
        -> (Float, Float) {
        var sg = Lanes(), sgh = Lanes(), i = 0
        let zero = Lanes()
        while i &+ 16 <= n {
            var gv = load(g + i)
            if let y { gv = gv.replacing(with: zero, where: load(y + i) .<= zero) }
            sg += gv
            sgh += gv * load(h + i)
            i &+= 16
        }
        var a = sg.sum(), b = sgh.sum()
        while i < n {
            let gv = y.map { $0[i] > 0 ? g[i] : 0 } ?? g[i]
            a += gv
            b += gv * h[i]
            i &+= 1
        }
        return (a, b)
    }

    /// dx = k·(g − mean(g) − x̂·mean(g·x̂)), with g zeroed where the ReLU's output `y` is 0.
    @inline(__always)
    static func inputGradient(_ g: UnsafePointer<Float>, _ h: UnsafePointer<Float>, _ y: UnsafePointer<Float>?, _ n: Int,
                              scale k: Float, meanG: Float, meanGH: Float, into dx: UnsafeMutablePointer<Float>) {
        let kv = Lanes(repeating: k), mg = Lanes(repeating: meanG), mgh = Lanes(repeating: meanGH), zero = Lanes()
        var i = 0
        while i &+ 16 <= n {
            var gv = load(g + i)
            if let y { gv = gv.replacing(with: zero, where: load(y + i) .<= zero) }
            store(kv * (gv - mg - load(h + i) * mgh), dx + i)
            i &+= 16
        }
        while i < n {
            let gv = y.map { $0[i] > 0 ? g[i] : 0 } ?? g[i]
            dx[i] = k * (gv - meanG - h[i] * meanGH)
            i &+= 1
        }
    }
}
