/// im2col and col2im: the rearrangement that turns a convolution into one matrix product.
///
/// Each output position of a convolution reads a `C × kh × kw` patch of the input. im2col
/// copies every patch into a column of a matrix with `C·kh·kw` rows; the convolution is then
/// `W · cols`, with `W` the filters as a `[Cout, C·kh·kw]` matrix, which OpenBLAS multiplies at
/// full speed. Chellapilla, Puri and Simard, "High Performance Convolutional Neural Networks
/// for Document Processing" (2006); Caffe's `im2col_cpu`.
///
/// Batched layout: the columns of all N images sit side by side, `cols` is
/// `[C·kh·kw, N · Hout · Wout]` and image n owns the column range `n·HW ..< (n+1)·HW`.
enum Im2Col {
    /// The output columns `lo..<hi` whose input column `ox·stride − padding + kernelColumn`
    /// lies inside the image; the others read padding zeros.
    @inline(__always)
    static func insideColumns(_ g: ConvGeometry, kernelColumn kj: Int) -> (lo: Int, hi: Int) {
        let s = g.stride, pad = g.padding
        let lo = Swift.min(g.outputWidth, Swift.max(0, (pad - kj + s - 1) / s))
        let hi = Swift.max(lo, Swift.min(g.outputWidth, (g.width + pad - kj + s - 1) / s))
        return (lo, hi)
    }

    /// Copies `count` floats. Rows here are short (8 to 100 values): eight at a time through
    /// SIMD registers beats a call to memmove for each.
    @inline(__always)
    static func copyShortRow(from: UnsafePointer<Float>, to: UnsafeMutablePointer<Float>, count: Int) {
        var t = 0
        while t &+ 8 <= count {
            UnsafeMutableRawPointer(to + t).storeBytes(
                of: UnsafeRawPointer(from + t).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            t &+= 8
        }
        if t &+ 4 <= count {
            UnsafeMutableRawPointer(to + t).storeBytes(
                of: UnsafeRawPointer(from + t).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
            t &+= 4
        }
        while t < count { to[t] = from[t]; t &+= 1 }
    }

    /// Adds `count` floats of `from` into `to`, eight and then four at a time: the stride-1
    /// rows of col2im, as short as `copyShortRow`'s.
    @inline(__always)
    static func addShortRow(from: UnsafePointer<Float>, to: UnsafeMutablePointer<Float>, count: Int) {
        var t = 0
        while t &+ 8 <= count {
            let sum = UnsafeRawPointer(to + t).loadUnaligned(as: SIMD8<Float>.self)
                + UnsafeRawPointer(from + t).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(to + t).storeBytes(of: sum, as: SIMD8<Float>.self)
            t &+= 8
        }
        if t &+ 4 <= count {
            let sum = UnsafeRawPointer(to + t).loadUnaligned(as: SIMD4<Float>.self)
                + UnsafeRawPointer(from + t).loadUnaligned(as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(to + t).storeBytes(of: sum, as: SIMD4<Float>.self)
            t &+= 4
        }
        while t < count { to[t] += from[t]; t &+= 1 }
    }

    /// Writes `count` zeros: the padding at a row's ends is one or two values, for which a call
    /// to memset costs more than the stores.
    @inline(__always)
    static func zeroShortRow(_ to: UnsafeMutablePointer<Float>, count: Int) {
        var t = 0
        while t &+ 8 <= count {
            UnsafeMutableRawPointer(to + t).storeBytes(of: SIMD8<Float>(), as: SIMD8<Float>.self)
            t &+= 8
        }
        while t < count { to[t] = 0; t &+= 1 }
    }

    /// Writes image `n`'s patches (its `C·H·W` values at `image`) into its columns of `cols`,
    /// whose rows are `rowStride` long.
    static func fill(image: UnsafePointer<Float>, geometry g: ConvGeometry,
                     cols: UnsafeMutablePointer<Float>, rowStride: Int, columnOffset: Int) {
        if g.stride == 1 && g.padding == 0 {
            fillUnpadded(image: image, geometry: g, cols: cols, rowStride: rowStride, columnOffset: columnOffset)
            return
        }
        let H = g.height, W = g.width, outH = g.outputHeight, outW = g.outputWidth
        let s = g.stride, pad = g.padding
        for c in 0..<g.channels {
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    let r = (c &* g.kernelHeight &+ ki) &* g.kernelWidth &+ kj
                    let dst = cols + (r &* rowStride &+ columnOffset)
                    let (lo, hi) = insideColumns(g, kernelColumn: kj)
                    for oy in 0..<outH {
                        let row = dst + oy &* outW
                        let iy = oy &* s &- pad &+ ki
                        if iy < 0 || iy >= H {
                            zeroShortRow(row, count: outW)
                            continue
                        }
                        let src = image + (c &* H &+ iy) &* W
                        if lo > 0 { zeroShortRow(row, count: lo) }
                        if s == 1 {
                            copyShortRow(from: src + (lo &- pad &+ kj), to: row + lo, count: hi &- lo)
                        } else {
                            for ox in lo..<hi { row[ox] = src[ox &* s &- pad &+ kj] }
                        }
                        if hi < outW { zeroShortRow(row + hi, count: outW &- hi) }
                    }
                }
            }
        }
    }

    /// `fill` for stride 1 without padding (M1's and Koch's convolutions): every patch row lies
    /// inside the image, so each output row is one copy of `outW` floats and the loops carry
    /// only two pointers (the general loop's bookkeeping, spilled to the stack, cost more than
    /// the copies of M1's 8-wide rows).
    static func fillUnpadded(image: UnsafePointer<Float>, geometry g: ConvGeometry,
                             cols: UnsafeMutablePointer<Float>, rowStride: Int, columnOffset: Int) {
        let H = g.height, W = g.width, outH = g.outputHeight, outW = g.outputWidth
        var dst = cols + columnOffset
        for c in 0..<g.channels {
            let plane = image + c &* H &* W
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    var src = plane + (ki &* W &+ kj), row = dst
                    for _ in 0..<outH {
                        copyShortRow(from: src, to: row, count: outW)
                        src += W
                        row += outW
                    }
                    dst += rowStride
                }
            }
        }
    }

    /// The adjoint of `fill`: adds each column entry back to the input position it was copied
    /// from (positions read by several patches receive the sum), into image `n`'s gradient.
    static func accumulate(cols: UnsafePointer<Float>, rowStride: Int, columnOffset: Int,
                           geometry g: ConvGeometry, into image: UnsafeMutablePointer<Float>) {
        let H = g.height, W = g.width, outH = g.outputHeight, outW = g.outputWidth
        let s = g.stride, pad = g.padding
        for c in 0..<g.channels {
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    let r = (c &* g.kernelHeight &+ ki) &* g.kernelWidth &+ kj
                    let src = cols + (r &* rowStride &+ columnOffset)
                    let (lo, hi) = insideColumns(g, kernelColumn: kj)
                    for oy in 0..<outH {
                        let iy = oy &* s &- pad &+ ki
                        if iy < 0 || iy >= H { continue }
                        let row = src + oy &* outW
                        let dst = image + (c &* H &+ iy) &* W
                        if s == 1 {
                            addShortRow(from: row + lo, to: dst + (lo &- pad &+ kj), count: hi &- lo)
                        } else {
                            for ox in lo..<hi { dst[ox &* s &- pad &+ kj] += row[ox] }
                        }
                    }
                }
            }
        }
    }

    /// The im2col matrix `[C·kh·kw, N·Hout·Wout]` of a batch `[N, C, H, W]`, filled in parallel.
    static func matrix(_ input: Tensor, geometry g: ConvGeometry) -> Tensor {
        let n = input.shape[0]
        let rowStride = n * g.outputPlane
        var cols = [Float](repeating: 0, count: g.patchSize * rowStride)
        input.scalars.withUnsafeBufferPointer { x in
            cols.withUnsafeMutableBufferPointer { c in
                let xBase = x.baseAddress!, cBase = c.baseAddress!
                Parallel.forEachChunk(n) { images in
                    for i in images {
                        fill(image: xBase + i * g.inputPlane, geometry: g, cols: cBase,
                             rowStride: rowStride, columnOffset: i * g.outputPlane)
                    }
                }
            }
        }
        return Tensor(shape: [g.patchSize, rowStride], scalars: cols)
    }
}

extension Tensor {
    /// The im2col matrix of a `[N, C, H, W]` batch for a `kernel × kernel` window: shape
    /// `[C·kernel², N·Hout·Wout]`, column `n·HW + p` holding the patch under output position p
    /// of image n. (Chapter 02 draws one.)
    public func im2col(kernel: Int, stride: Int = 1, padding: Int = 0) -> Tensor {
        precondition(rank == 4, "im2col: expected [N, C, H, W], got \(shape)")
        let g = ConvGeometry(channels: shape[1], height: shape[2], width: shape[3],
                             kernelHeight: kernel, kernelWidth: kernel, stride: stride, padding: padding)
        return Im2Col.matrix(self, geometry: g)
    }
}
