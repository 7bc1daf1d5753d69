/// How an image is resampled to another size.
public enum ResizeMethod: String, CaseIterable, Sendable {
    /// Box filter: each output pixel is the average of the source area it covers, with
    /// fractional overlaps weighted by their length. The right choice for shrinking (no
    /// aliasing: a thin stroke fades instead of vanishing); the same as OpenCV's `INTER_AREA`
    /// when shrinking, and PyTorch's `mode="area"` when the factor is a whole number.
    case area
    /// Linear interpolation between the two nearest source pixels on each axis, pixel centres
    /// at half-integers (PyTorch's `mode="bilinear", align_corners=False`, no antialiasing).
    /// Good for enlarging; when shrinking by more than 2 it skips pixels and aliases.
    case bilinear
}

/// Separable image resampling. A resize is two small matrices: `R_y` (`newHeight x height`)
/// and `R_x` (`newWidth x width`), and the result is `R_y · X · R_xᵀ`. Each row of a matrix
/// has only a few non-zero weights, so `Resampler` keeps them as sparse taps and applies the
/// two passes (rows, then columns) directly.
public struct Resampler: Sendable {
    /// One axis: for output index `i`, taps `start[i]..<start[i+1]` of `index` and `weight`.
    struct Axis: Sendable {
        var start: [Int] = [0]
        var index: [Int] = []
        var weight: [Float] = []

        init(from n: Int, to m: Int, method: ResizeMethod) {
            precondition(n > 0 && m > 0, "Resampler: sizes must be positive (\(n) -> \(m))")
            let scale = Double(n) / Double(m)
            for i in 0..<m {
                switch method {
                case .area:
                    let lo = Double(i) * scale, hi = Double(i + 1) * scale
                    var j = Int(lo.rounded(.down))
                    while j < n && Double(j) < hi {
                        let overlap = Swift.min(Double(j + 1), hi) - Swift.max(Double(j), lo)
                        if overlap > 1e-12 { append(j, overlap / scale) }
                        j += 1
                    }
                case .bilinear:
                    let source = Swift.max((Double(i) + 0.5) * scale - 0.5, 0)
                    let j0 = Swift.min(Int(source.rounded(.down)), n - 1)
                    let j1 = Swift.min(j0 + 1, n - 1)
                    let lambda = source - Double(j0)
                    if j1 == j0 || lambda == 0 {
                        append(j0, 1)
                    } else {
                        append(j0, 1 - lambda)
                        append(j1, lambda)
                    }
                }
                start.append(index.count)
            }
        }

        mutating func append(_ j: Int, _ w: Double) {
            index.append(j)
            weight.append(Float(w))
        }

        /// The dense `m x n` matrix, row-major.
        func dense(columns n: Int) -> [Float] {
            let m = start.count - 1
            var matrix = [Float](repeating: 0, count: m * n)
            for i in 0..<m {
                for k in start[i]..<start[i + 1] { matrix[i * n + index[k]] += weight[k] }
            }
            return matrix
        }
    }

    /// Source size.
    public let width: Int, height: Int
    /// Output size.
    public let newWidth: Int, newHeight: Int
    /// The method.
    public let method: ResizeMethod
    let xAxis: Axis, yAxis: Axis

    /// A resampler from `width x height` to `newWidth x newHeight`; build it once for many images.
    public init(width: Int, height: Int, toWidth newWidth: Int, toHeight newHeight: Int, method: ResizeMethod) {
        self.width = width
        self.height = height
        self.newWidth = newWidth
        self.newHeight = newHeight
        self.method = method
        xAxis = Axis(from: width, to: newWidth, method: method)
        yAxis = Axis(from: height, to: newHeight, method: method)
    }

    /// The resampling matrix of one axis, `[newSize, size]` (each row sums to 1).
    public static func matrix(from size: Int, to newSize: Int, method: ResizeMethod) -> Tensor {
        Tensor(shape: [newSize, size], scalars: Axis(from: size, to: newSize, method: method).dense(columns: size))
    }

    /// Resamples one row-major image `source` (`height * width` values) into `output`
    /// (`newHeight * newWidth` values); `scratch` needs `height * newWidth` values.
    public func resize(_ source: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
                       scratch: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count >= width * height && output.count >= newWidth * newHeight
                     && scratch.count >= height * newWidth, "Resampler: buffer too small")
        guard let src = source.baseAddress, let out = output.baseAddress, let tmp = scratch.baseAddress else { return }
        // Plain pointer loops: fast in release, and tolerable in debug builds (the tests).
        Self.pass(rows: height, from: src, rowLength: width, into: tmp, axis: xAxis)
        // Columns: output[y', x'] = sum_k w_k * scratch[j_k, x'], whole rows at a time.
        yAxis.start.withUnsafeBufferPointer { starts in
        yAxis.index.withUnsafeBufferPointer { indices in
        yAxis.weight.withUnsafeBufferPointer { weights in
            let n = newWidth
            var y = 0
            while y < newHeight {
                let row = out + y &* n
                row.update(repeating: 0, count: n)
                var k = starts[y]
                let end = starts[y &+ 1]
                while k < end {
                    let w = weights[k], from = UnsafePointer(tmp + indices[k] &* n)
                    var x = 0
                    while x < n { row[x] += w * from[x]; x &+= 1 }
                    k &+= 1
                }
                y &+= 1
            }
        }}}
    }

    /// Rows: `into[r, i] = sum_k w_k * from[r, j_k]` for `rows` rows of `rowLength` values.
    static func pass(rows: Int, from source: UnsafePointer<Float>, rowLength: Int,
                     into target: UnsafeMutablePointer<Float>, axis: Axis) {
        axis.start.withUnsafeBufferPointer { starts in
        axis.index.withUnsafeBufferPointer { indices in
        axis.weight.withUnsafeBufferPointer { weights in
            let m = starts.count &- 1
            guard let s = starts.baseAddress, let j = indices.baseAddress, let w = weights.baseAddress else { return }
            var r = 0
            while r < rows {
                let row = source + r &* rowLength, out = target + r &* m
                var i = 0
                while i < m {
                    var sum: Float = 0
                    var k = s[i]
                    let end = s[i &+ 1]
                    while k < end { sum += w[k] * row[j[k]]; k &+= 1 }
                    out[i] = sum
                    i &+= 1
                }
                r &+= 1
            }
        }}}
    }

    /// `source` (row-major `height * width`) resampled; a new array of `newHeight * newWidth`.
    public func resize(_ source: [Float]) -> [Float] {
        precondition(source.count == width * height, "Resampler: \(source.count) values for \(width)x\(height)")
        var scratch = [Float](repeating: 0, count: height * newWidth)
        var output = [Float](repeating: 0, count: newHeight * newWidth)
        source.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { tmp in
                output.withUnsafeMutableBufferPointer { resize(src, into: $0, scratch: tmp) }
            }
        }
        return output
    }
}

/// One-off resizing; for many images of the same size build a `Resampler` once.
public enum Resampling {
    /// `values` (row-major `height * width`) resampled to `toHeight * toWidth` by `method`.
    public static func resize(_ values: [Float], width: Int, height: Int,
                              toWidth: Int, toHeight: Int, method: ResizeMethod = .area) -> [Float] {
        Resampler(width: width, height: height, toWidth: toWidth, toHeight: toHeight, method: method).resize(values)
    }

    /// An image tensor `[N, C, H, W]` resampled to `[N, C, toHeight, toWidth]`.
    public static func resize(_ images: Tensor, toHeight: Int, toWidth: Int, method: ResizeMethod = .area) -> Tensor {
        precondition(images.rank == 4, "Resampling.resize: images must be [N, C, H, W], got \(images.shape)")
        let (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let resampler = Resampler(width: w, height: h, toWidth: toWidth, toHeight: toHeight, method: method)
        let planes = n * c, inSize = h * w, outSize = toHeight * toWidth
        var scratch = [Float](repeating: 0, count: h * toWidth)
        var output = [Float](repeating: 0, count: planes * outSize)
        images.scalars.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { tmp in
                output.withUnsafeMutableBufferPointer { out in
                    for p in 0..<planes {
                        resampler.resize(UnsafeBufferPointer(rebasing: src[(p * inSize)..<((p + 1) * inSize)]),
                                         into: UnsafeMutableBufferPointer(rebasing: out[(p * outSize)..<((p + 1) * outSize)]),
                                         scratch: tmp)
                    }
                }
            }
        }
        return Tensor(shape: [n, c, toHeight, toWidth], scalars: output)
    }
}
