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

    /// Chunks of at least ~1,024 GEMM columns (output positions), unless their im2col buffer
    /// would pass ~4 MB.
    init(geometry g: ConvGeometry, batch: Int, outChannels: Int) {
        self.geometry = g
        self.batch = batch
        self.outChannels = outChannels
        let plane = g.outputPlane
        let byColumns = (1024 + plane - 1) / plane
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

    /// The forward pass: `[N, C, H, W]` → `[N, Cout, Hout·Wout]` (+ bias), weight `[Cout, C·kh·kw]`.
    func forward(_ x: Tensor, weight w: Tensor, bias: Tensor?) -> [Float] {
        let g = geometry, O = outChannels, plane = g.outputPlane, K = g.patchSize
        let total = batch * O * plane
        var out = [Float](unsafeUninitializedCapacity: total) { _, n in n = total }
        x.scalars.withUnsafeBufferPointer { xs in
            w.scalars.withUnsafeBufferPointer { ws in
                out.withUnsafeMutableBufferPointer { os in
                    let xp = xs.baseAddress!, wp = ws.baseAddress!, op = os.baseAddress!
                    let biasValues = bias?.scalars
                    forEachLane { lane, multiply in
                        let cols = UnsafeMutablePointer<Float>.allocate(capacity: K * maxImages * plane)
                        let product = UnsafeMutablePointer<Float>.allocate(capacity: O * maxImages * plane)
                        defer { cols.deallocate(); product.deallocate() }
                        for c in chunks(ofLane: lane) {
                            let range = images(c), columns = range.count &* plane
                            lower(xp, range, into: cols)
                            multiply(false, false, O, columns, K, 1, wp, K, cols, columns, 0, product, columns)
                            // [Cout, m·HW] → images' [Cout, HW] planes, adding the bias.
                            for (j, i) in range.enumerated() {
                                for o in 0..<O {
                                    let from = product + (o &* columns &+ j &* plane)
                                    let to = op + (i &* O &+ o) &* plane
                                    let b = biasValues?[o] ?? 0
                                    for p in 0..<plane { to[p] = from[p] + b }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The backward pass from `grad` (`[N, Cout, Hout, Wout]`): the weight gradient
    /// `[Cout, C·kh·kw]`, the bias gradient `[Cout]`, and the input gradient `[N, C, H, W]` when
    /// asked for.
    func backward(_ grad: Tensor, input x: Tensor, weight w: Tensor, inputGradient: Bool)
        -> (dx: [Float]?, dw: [Float], db: [Float]) {
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
                                    let cols = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
                                    let gathered = UnsafeMutablePointer<Float>.allocate(capacity: O * maxImages * plane)
                                    let dcols = UnsafeMutablePointer<Float>.allocate(capacity: inputGradient ? capacity : 1)
                                    defer { cols.deallocate(); gathered.deallocate(); dcols.deallocate() }
                                    let dwLane = dwp + lane &* O &* K, dbLane = dbp + lane &* O
                                    for c in chunks(ofLane: lane) {
                                        let range = images(c), columns = range.count &* plane
                                        lower(xp, range, into: cols)
                                        // The chunk's output gradient as one [Cout, m·HW] matrix.
                                        for (j, i) in range.enumerated() {
                                            for o in 0..<O {
                                                (gathered + (o &* columns &+ j &* plane))
                                                    .update(from: gp + (i &* O &+ o) &* plane, count: plane)
                                            }
                                        }
                                        for o in 0..<O {
                                            let row = gathered + o &* columns
                                            var s: Float = 0
                                            for p in 0..<columns { s += row[p] }
                                            dbLane[o] += s
                                        }
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
