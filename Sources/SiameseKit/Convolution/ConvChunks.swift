/// How a convolution walks through a batch: a few images at a time, each chunk lowered by
/// im2col into a small buffer that stays in cache and multiplied at once, the chunks spread
/// over the workers. The whole batch's im2col matrix (1.4 GB for Koch's second layer at batch 64)
/// never exists; the backward pass lowers each chunk again instead of keeping it.
///
/// The chunks are grouped into `Parallel.lanes` lanes, each with its own weight-gradient sum;
/// the lanes are added in order at the end, so results do not depend on the number of workers.
struct ConvChunks {
    let geometry: ConvGeometry
    let batch: Int
    let outChannels: Int
    /// Number of chunks (a multiple of the lanes when the batch allows).
    let count: Int
    /// The largest number of images in one chunk.
    let maxImages: Int

    /// Chunks of at least ~4,096 GEMM columns (output positions), unless their im2col buffer
    /// would pass ~4 MB.
    init(geometry g: ConvGeometry, batch: Int, outChannels: Int) {
        self.geometry = g
        self.batch = batch
        self.outChannels = outChannels
        let plane = g.outputPlane
        let byColumns = (4096 + plane - 1) / plane
        let byMemory = Swift.max(1, (1 << 20) / Swift.max(1, g.patchSize * plane))
        let images = Swift.max(1, Swift.min(batch, byColumns, byMemory))
        let lanes = Parallel.lanes
        var count = (batch + images - 1) / images
        count = Swift.min(Swift.max(batch, 1), (count + lanes - 1) / lanes * lanes)
        self.count = Swift.max(count, 1)
        self.maxImages = (batch + self.count - 1) / Swift.max(self.count, 1)
    }

    /// The images of chunk `c`.
    func images(_ c: Int) -> Range<Int> { batch * c / count ..< batch * (c + 1) / count }

    /// The chunks of lane `l`.
    func chunks(ofLane l: Int) -> Range<Int> {
        let lanes = Parallel.lanes
        return count * l / lanes ..< count * (l + 1) / lanes
    }

    /// Runs `body(lane, multiply)` for every lane: in parallel with single-worker products when
    /// there are enough chunks for the workers, else one lane after another with products split
    /// over the workers (a batch of one image still uses every core). Same results either way.
    func forEachLane(_ body: (Int, MultiplyFunction) -> Void) {
        if count >= Parallel.workers && Parallel.workers > 1 {
            Parallel.forEach(Parallel.lanes) { body($0, BLAS.sgemm) }
        } else {
            for l in 0..<Parallel.lanes { body(l, BLAS.multiply) }
        }
    }

    typealias MultiplyFunction = (_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                                  _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                                  _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) -> Void

    /// Lowers images `range` of `input` into `cols` (`[C·kh·kw, images·HW]`).
    func lower(_ input: UnsafePointer<Float>, _ range: Range<Int>, into cols: UnsafeMutablePointer<Float>) {
        let g = geometry, columns = range.count &* g.outputPlane
        for (j, i) in range.enumerated() {
            Im2Col.fill(image: input + i &* g.inputPlane, geometry: g, cols: cols,
                        rowStride: columns, columnOffset: j &* g.outputPlane)
        }
    }

    /// The size of the whole batch's im2col matrix, in floats.
    var loweredCount: Int { geometry.patchSize * geometry.outputPlane * batch }

    /// Whether the backward pass should reuse the forward pass's im2col chunks instead of
    /// lowering again: when the whole batch's matrix is at most 64 MB (small layers, where
    /// lowering costs as much as multiplying).
    var keepsLowered: Bool { loweredCount <= 16 << 20 }

    /// The forward pass: `[N, C, H, W]` → `[N, Cout, Hout·Wout]` (+ bias, then ReLU with `relu`),
    /// weight `[Cout, C·kh·kw]`.
    /// With `keep`, also returns every chunk's im2col matrix, one after another, for `backward`.
    func forward(_ x: Tensor, weight w: Tensor, bias: Tensor?, relu: Bool = false,
                 keep: Bool = false) -> (output: [Float], lowered: [Float]?) {
        let g = geometry, O = outChannels, plane = g.outputPlane, K = g.patchSize
        let total = batch * O * plane
        var out = [Float](unsafeUninitializedCapacity: total) { _, n in n = total }
        let keptCount = keep ? loweredCount : 0
        var kept = [Float](unsafeUninitializedCapacity: keptCount) { _, n in n = keptCount }
        x.scalars.withUnsafeBufferPointer { xs in
            w.scalars.withUnsafeBufferPointer { ws in
                out.withUnsafeMutableBufferPointer { os in
                  kept.withUnsafeMutableBufferPointer { ks in
                    let xp = xs.baseAddress!, wp = ws.baseAddress!, op = os.baseAddress!
                    let keptBase = keep ? ks.baseAddress : nil
                    let biasValues = bias?.scalars
                    forEachLane { lane, multiply in
                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: keep ? 1 : K * maxImages * plane)
                        let product = UnsafeMutablePointer<Float>.allocate(capacity: O * maxImages * plane)
                        defer { scratch.deallocate(); product.deallocate() }
                        for c in chunks(ofLane: lane) {
                            let range = images(c), columns = range.count &* plane
                            let cols = keptBase.map { $0 + K &* plane &* range.lowerBound } ?? scratch
                            lower(xp, range, into: cols)
                            multiply(false, false, O, columns, K, 1, wp, K, cols, columns, 0, product, columns)
                            // [Cout, m·HW] → images' [Cout, HW] planes, adding the bias.
                            for (j, i) in range.enumerated() {
                                for o in 0..<O {
                                    let from = product + (o &* columns &+ j &* plane)
                                    let to = op + (i &* O &+ o) &* plane
                                    let b = biasValues?[o] ?? 0
                                    if relu {
                                        for p in 0..<plane { let v = from[p] + b; to[p] = v > 0 ? v : 0 }
                                    } else {
                                        for p in 0..<plane { to[p] = from[p] + b }
                                    }
                                }
                            }
                        }
                    }
                  }
                }
            }
        }
        return (out, keep ? kept : nil)
    }

    /// The backward pass from `grad` (`[N, Cout, Hout, Wout]`): the weight gradient
    /// `[Cout, C·kh·kw]`, the bias gradient `[Cout]`, and the input gradient `[N, C, H, W]` when
    /// asked for.
    func backward(_ grad: Tensor, input x: Tensor, weight w: Tensor, lowered: [Float]?, inputGradient: Bool)
        -> (dx: [Float]?, dw: [Float], db: [Float]) {
        let empty: [Float] = []
        return (lowered ?? empty).withUnsafeBufferPointer { ls in
            backward(grad, input: x, weight: w, lowered: lowered == nil ? nil : ls.baseAddress, inputGradient: inputGradient)
        }
    }

    private func backward(_ grad: Tensor, input x: Tensor, weight w: Tensor, lowered: UnsafePointer<Float>?,
                          inputGradient: Bool) -> (dx: [Float]?, dw: [Float], db: [Float]) {
        let g = geometry, O = outChannels, plane = g.outputPlane, K = g.patchSize, lanes = Parallel.lanes
        var dwLanes = [Float](repeating: 0, count: lanes * O * K)
        var dbLanes = [Float](repeating: 0, count: lanes * O)
        var dx = inputGradient ? [Float](repeating: 0, count: batch * g.inputPlane) : []
        grad.scalars.withUnsafeBufferPointer { gs in
            x.scalars.withUnsafeBufferPointer { xs in
                w.scalars.withUnsafeBufferPointer { ws in
                    dwLanes.withUnsafeMutableBufferPointer { dws in
                        dbLanes.withUnsafeMutableBufferPointer { dbs in
                            dx.withUnsafeMutableBufferPointer { dxs in
                                let gp = gs.baseAddress!, xp = xs.baseAddress!, wp = ws.baseAddress!
                                let dwp = dws.baseAddress!, dbp = dbs.baseAddress!
                                let dxp = inputGradient ? dxs.baseAddress : nil  // an empty array may still have an address
                                forEachLane { lane, multiply in
                                    let capacity = K * maxImages * plane
                                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: lowered == nil ? capacity : 1)
                                    let gathered = UnsafeMutablePointer<Float>.allocate(capacity: O * maxImages * plane)
                                    let dcols = UnsafeMutablePointer<Float>.allocate(capacity: inputGradient ? capacity : 1)
                                    defer { scratch.deallocate(); gathered.deallocate(); dcols.deallocate() }
                                    let dwLane = dwp + lane &* O &* K, dbLane = dbp + lane &* O
                                    for c in chunks(ofLane: lane) {
                                        let range = images(c), columns = range.count &* plane
                                        let cols: UnsafePointer<Float>
                                        if let lowered {
                                            cols = lowered + K &* plane &* range.lowerBound
                                        } else {
                                            lower(xp, range, into: scratch)
                                            cols = UnsafePointer(scratch)
                                        }
                                        // The chunk's output gradient as one [Cout, m·HW] matrix.
                                        for (j, i) in range.enumerated() {
                                            for o in 0..<O {
                                                (gathered + (o &* columns &+ j &* plane))
                                                    .update(from: gp + (i &* O &+ o) &* plane, count: plane)
                                            }
                                        }
                                        for o in 0..<O { dbLane[o] += contiguousSum(gathered + o &* columns, columns) }
                                        // dW += G · colsᵀ
                                        multiply(false, true, O, K, columns, 1, gathered, columns, cols, columns, 1, dwLane, K)
                                        if let dxp {
                                            // dcols = Wᵀ · G, then back onto the input positions.
                                            multiply(true, false, K, columns, O, 1, wp, K, gathered, columns, 0, dcols, columns)
                                            for (j, i) in range.enumerated() {
                                                Im2Col.accumulate(cols: dcols, rowStride: columns, columnOffset: j &* plane,
                                                                  geometry: g, into: dxp + i &* g.inputPlane)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // The lanes' sums, added in lane order.
        var dw = Array(dwLanes[0..<(O * K)]), db = Array(dbLanes[0..<O])
        for l in 1..<lanes {
            for i in 0..<(O * K) { dw[i] += dwLanes[l * O * K + i] }
            for o in 0..<O { db[o] += dbLanes[l * O + o] }
        }
        return (inputGradient ? dx : nil, dw, db)
    }
}
