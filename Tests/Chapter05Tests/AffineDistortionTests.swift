import Testing
@testable import SiameseKit

/// Koch et al.'s affine distortions (groundwork for the Omniglot chapters).
@Suite("Affine distortions")
struct AffineDistortionTests {
    static func image() -> Tensor {
        var g = SeededGenerator(seed: 1)
        return Tensor.randomUniform([1, 1, 9, 9], using: &g)
    }

    @Test func identityKeepsTheImage() {
        let x = Self.image()
        #expect(AffineDistortion.apply(.identity, to: x) == x)
        // A distortion with every range at zero is the identity too.
        var g = SeededGenerator(seed: 2)
        let none = AffineDistortion(maxRotationDegrees: 0, maxShear: 0, scale: 1...1, maxTranslation: 0)
        #expect(none(x, using: &g).isClose(to: x, tolerance: 1e-5))
    }

    @Test func translationMovesPixels() {
        // Output pixel (x, y) reads input (x − 1, y): the image moves one pixel right.
        let x = Self.image()
        let shifted = AffineDistortion.apply(AffineDistortion.Matrix(a: 1, b: 0, c: -1, d: 0, e: 1, f: 0), to: x)
        for row in 0..<9 {
            #expect(shifted[0, 0, row, 0] == 0)
            for col in 1..<9 { #expect(shifted[0, 0, row, col] == x[0, 0, row, col - 1]) }
        }
    }

    @Test func randomDistortionsStayInRangeAndAreSeeded() {
        let batch = Tensor.concatenateRows([Self.image(), Self.image()])
        var g1 = SeededGenerator(seed: 3), g2 = SeededGenerator(seed: 3)
        let a = AffineDistortion()(batch, using: &g1), b = AffineDistortion()(batch, using: &g2)
        #expect(a == b)
        #expect(a != batch)
        #expect(a.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        // A 10° rotation with scale ≤ 1.2 cannot move the centre more than the 2-pixel translation.
        var g = SeededGenerator(seed: 4)
        for _ in 0..<100 {
            let m = AffineDistortion().sample(side: 9, using: &g)
            let cx = m.a * 4 + m.b * 4 + m.c, cy = m.d * 4 + m.e * 4 + m.f
            #expect(abs(cx - 4) <= 3.5 && abs(cy - 4) <= 3.5)
        }
    }
}
