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

    /// Applies `matrix` to every image of `[N, C, H, W]` (bilinear sampling, zero outside).
    public static func apply(_ matrix: Matrix, to images: Tensor) -> Tensor {
        precondition(images.rank == 4, "AffineDistortion: expected [N, C, H, W], got \(images.shape)")
        let planes = images.shape[0] * images.shape[1], h = images.shape[2], w = images.shape[3]
        var out = [Float](repeating: 0, count: images.count)
        images.scalars.withUnsafeBufferPointer { src in
            for p in 0..<planes {
                let base = p * h * w
                for y in 0..<h {
                    for x in 0..<w {
                        let sx = matrix.a * Float(x) + matrix.b * Float(y) + matrix.c
                        let sy = matrix.d * Float(x) + matrix.e * Float(y) + matrix.f
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
        let parts = (0..<n).map { i in Self.apply(sample(side: images.shape[3], using: &generator), to: images.rows(i..<(i + 1))) }
        return Tensor.concatenateRows(parts)
    }
}
