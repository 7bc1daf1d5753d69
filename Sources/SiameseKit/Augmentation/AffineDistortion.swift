import Foundation

/// Random affine distortions of images, as Koch, Zemel and Salakhutdinov (2015) use to enlarge
/// Omniglot's training set: rotation θ ∈ [−10°, 10°], shear ρ ∈ [−0.3, 0.3] on each axis, scale
/// s ∈ [0.8, 1.2] on each axis, translation t ∈ [−2, 2] pixels on each axis. Each distortion is
/// applied about the image centre, sampling the source bilinearly (zero outside), so ink stays
/// in [0, 1].
public struct AffineDistortion: Sendable, Equatable {
    public var maxRotationDegrees: Float = 10
    public var maxShear: Float = 0.3
    public var scale: ClosedRange<Float> = 0.8...1.2
    public var maxTranslation: Float = 2
    /// Elastic part (0: none): each point of a `elasticGrid` x `elasticGrid`-cell control grid
    /// over the image moves by up to this many pixels on each axis, and every pixel moves by
    /// the bilinear blend of its cell's corners (a smooth random warp in the spirit of Simard
    /// et al. 2003's elastic distortions).
    public var elastic: Float = 0
    public var elasticGrid = 4

    /// Koch et al.'s ranges.
    public init() {}

    public init(maxRotationDegrees: Float, maxShear: Float, scale: ClosedRange<Float>, maxTranslation: Float) {
        self.maxRotationDegrees = maxRotationDegrees
        self.maxShear = maxShear
        self.scale = scale
        self.maxTranslation = maxTranslation
    }

    /// A 2x3 affine map `[a b c; d e f]` from output to input coordinates: pixel (x, y) of the
    /// result reads the source at (a·x + b·y + c, d·x + e·y + f).
    public struct Matrix: Sendable, Equatable {
        public var a: Float, b: Float, c: Float, d: Float, e: Float, f: Float
        public static let identity = Matrix(a: 1, b: 0, c: 0, d: 0, e: 1, f: 0)
    }

    /// Draws one random distortion for `side × side` images, as its output-to-input matrix.
    public func sample(side: Int, using generator: inout SeededGenerator) -> Matrix {
        func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * generator.nextUniform() }
        let theta = uniform(-maxRotationDegrees, maxRotationDegrees) * .pi / 180
        let shearX = uniform(-maxShear, maxShear), shearY = uniform(-maxShear, maxShear)
        let scaleX = uniform(scale.lowerBound, scale.upperBound), scaleY = uniform(scale.lowerBound, scale.upperBound)
        let tx = uniform(-maxTranslation, maxTranslation), ty = uniform(-maxTranslation, maxTranslation)
        // Forward map (input → output) about the centre: R · Sh · S, then translate; invert it.
        let cosT = Foundation.cos(theta), sinT = Foundation.sin(theta)
        let r = (cosT, -sinT, sinT, cosT)
        let sh = (Float(1), shearX, shearY, Float(1))
        let m1 = (r.0 * sh.0 + r.1 * sh.2, r.0 * sh.1 + r.1 * sh.3, r.2 * sh.0 + r.3 * sh.2, r.2 * sh.1 + r.3 * sh.3)
        let fwd = (m1.0 * scaleX, m1.1 * scaleY, m1.2 * scaleX, m1.3 * scaleY)
        let det = fwd.0 * fwd.3 - fwd.1 * fwd.2
        let inv = (fwd.3 / det, -fwd.1 / det, -fwd.2 / det, fwd.0 / det)
        let centre = Float(side - 1) / 2
        // input = inv · (output − centre − t) + centre
        let ox = centre + tx, oy = centre + ty
        return Matrix(a: inv.0, b: inv.1, c: centre - inv.0 * ox - inv.1 * oy,
                      d: inv.2, e: inv.3, f: centre - inv.2 * ox - inv.3 * oy)
    }

    /// Draws one random warp for `side × side` images: the control grid's displacements,
    /// `(elasticGrid + 1)²` (dx, dy) pairs row by row, or nil without an elastic part.
    public func sampleWarp(using generator: inout SeededGenerator) -> [(Float, Float)]? {
        guard elastic > 0 else { return nil }
        let points = (elasticGrid + 1) * (elasticGrid + 1)
        return (0..<points).map { _ in (elastic * (2 * generator.nextUniform() - 1), elastic * (2 * generator.nextUniform() - 1)) }
    }

    /// Applies `matrix` to every image of `[N, C, H, W]` (bilinear sampling, zero outside),
    /// then moves each source point by `warp` (a control grid from `sampleWarp`) if given.
    public static func apply(_ matrix: Matrix, to images: Tensor, warp: [(Float, Float)]? = nil) -> Tensor {
        precondition(images.rank == 4, "AffineDistortion: expected [N, C, H, W], got \(images.shape)")
        let planes = images.shape[0] * images.shape[1], h = images.shape[2], w = images.shape[3]
        var out = [Float](repeating: 0, count: images.count)
        let cells = warp.map { Int(Double($0.count).squareRoot().rounded()) - 1 } ?? 0
        func displacement(_ x: Int, _ y: Int) -> (Float, Float) {
            guard let warp else { return (0, 0) }
            let u = Float(x) / Float(Swift.max(w - 1, 1)) * Float(cells), v = Float(y) / Float(Swift.max(h - 1, 1)) * Float(cells)
            let i = Swift.min(Int(u), cells - 1), j = Swift.min(Int(v), cells - 1)
            let fu = u - Float(i), fv = v - Float(j)
            let p00 = warp[j * (cells + 1) + i], p01 = warp[j * (cells + 1) + i + 1]
            let p10 = warp[(j + 1) * (cells + 1) + i], p11 = warp[(j + 1) * (cells + 1) + i + 1]
            return ((1 - fv) * ((1 - fu) * p00.0 + fu * p01.0) + fv * ((1 - fu) * p10.0 + fu * p11.0),
                    (1 - fv) * ((1 - fu) * p00.1 + fu * p01.1) + fv * ((1 - fu) * p10.1 + fu * p11.1))
        }
        images.scalars.withUnsafeBufferPointer { src in
            for p in 0..<planes {
                let base = p * h * w
                for y in 0..<h {
                    for x in 0..<w {
                        let (dx, dy) = displacement(x, y)
                        let sx = matrix.a * Float(x) + matrix.b * Float(y) + matrix.c + dx
                        let sy = matrix.d * Float(x) + matrix.e * Float(y) + matrix.f + dy
                        let x0 = Int(Foundation.floor(sx)), y0 = Int(Foundation.floor(sy))
                        let fx = sx - Float(x0), fy = sy - Float(y0)
                        func at(_ yy: Int, _ xx: Int) -> Float {
                            yy >= 0 && yy < h && xx >= 0 && xx < w ? src[base + yy * w + xx] : 0
                        }
                        out[base + y * w + x] = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1))
                            + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1))
                    }
                }
            }
        }
        return Tensor(shape: images.shape, scalars: out)
    }

    /// Each image of a `[N, C, S, S]` batch with its own random distortion.
    public func callAsFunction(_ images: Tensor, using generator: inout SeededGenerator) -> Tensor {
        let n = images.shape[0]
        let parts = (0..<n).map { i in
            let matrix = sample(side: images.shape[3], using: &generator)
            return Self.apply(matrix, to: images.rows(i..<(i + 1)), warp: sampleWarp(using: &generator))
        }
        return Tensor.concatenateRows(parts)
    }
}
