import Testing
@testable import SiameseKit

/// Inference with 7x7 kernels goes through Winograd's F(2x2, 7x7) (`Winograd`): it must give
/// the convolution's numbers to float rounding, at the borders and inside, with and without
/// padding, bias and ReLU, one image or a batch, and leave training (im2col) untouched.
@Suite("Winograd convolution")
struct WinogradTests {
    /// The 1-D transforms compute an FIR filter exactly (to rounding): y_i = Σ_k g_k d_{i+k}.
    @Test(arguments: [3, 4, 5, 7])
    func oneDimensionalTransformsFilter(r: Int) {
        let t = Winograd.Transforms(r: r), m = t.m, a = Winograd.alpha
        var generator = SeededGenerator(seed: UInt64(r))
        let d = (0..<a).map { _ in Float.random(in: -1...1, using: &generator) }
        let g = (0..<r).map { _ in Float.random(in: -1...1, using: &generator) }
        let gg = (0..<a).map { i in (0..<r).reduce(Float(0)) { $0 + t.g[i * r + $1] * g[$1] } }
        let bd = (0..<a).map { i in (0..<a).reduce(Float(0)) { $0 + t.bt[i * a + $1] * d[$1] } }
        for i in 0..<m {
            let fast = (0..<a).reduce(Float(0)) { $0 + t.at[i * a + $1] * gg[$1] * bd[$1] }
            let exact = (0..<r).reduce(Float(0)) { $0 + g[$1] * d[i + $1] }
            #expect(abs(fast - exact) < 1e-4, "F(\(m), \(r)) output \(i): \(fast) vs \(exact)")
        }
    }

    /// The largest difference relative to the largest output: Winograd's rounding error is
    /// spread over a tile, so outputs near zero are off by about 1e-6 of the layer's scale.
    static func error(_ a: Tensor, _ b: Tensor) -> Float {
        let scale = b.scalars.map { abs($0) }.max() ?? 0
        return zip(a.scalars, b.scalars).map { abs($0 - $1) }.max()! / Swift.max(scale, 1e-30)
    }

    /// (batch, channels, height, width, outChannels, padding, kernel): odd sizes leave partial
    /// tiles.
    @Test(arguments: [[1, 8, 13, 11, 5, 0, 7], [3, 9, 16, 16, 4, 3, 7], [4, 16, 20, 9, 3, 1, 7]])
    func agreesWithTheDefinition(_ c: [Int]) {
        let x = ConvolutionTests.random([c[0], c[1], c[2], c[3]], seed: 21)
        let w = ConvolutionTests.random([c[4], c[1], c[6], c[6]], seed: 22)
        let b = ConvolutionTests.random([c[4]], seed: 23)
        let slow = naiveConv2d(x, weight: w, bias: b, padding: c[5])
        let fast = conv2d(Variable(x), weight: Variable(w), bias: Variable(b), padding: c[5]).value
        #expect(fast.shape == slow.shape)
        #expect(Self.error(fast, slow) < 1e-5)
        let fused = conv2d(Variable(x), weight: Variable(w), bias: Variable(b), padding: c[5], relu: true).value
        #expect(Self.error(fused, slow.relu()) < 1e-5)
    }

    /// One worker or two, one image at a time or the batch: the same numbers.
    @Test func workersAndBatchingDoNotChangeTheResult() {
        let x = ConvolutionTests.random([5, 8, 15, 15], seed: 31), w = ConvolutionTests.random([6, 8, 7, 7], seed: 32)
        let before = Parallel.workers
        defer { Parallel.workers = before }
        Parallel.workers = 1
        let one = conv2d(Variable(x), weight: Variable(w), bias: nil, padding: 1).value
        Parallel.workers = 2
        let two = conv2d(Variable(x), weight: Variable(w), bias: nil, padding: 1).value
        #expect(one.scalars == two.scalars)
        for i in 0..<5 {
            let single = conv2d(Variable(x.rows(i..<i + 1)), weight: Variable(w), bias: nil, padding: 1).value
            #expect(single.scalars == two.rows(i..<i + 1).scalars)
        }
    }

    /// When a gradient is recorded the convolution keeps im2col: bit for bit what the im2col
    /// chunks give, which inference with the same kernel does not use.
    @Test func trainingKeepsIm2col() {
        let x = ConvolutionTests.random([2, 8, 12, 12], seed: 41), w = ConvolutionTests.random([3, 8, 7, 7], seed: 42)
        let recorded = conv2d(Variable(x, requiresGrad: true), weight: Variable(w, requiresGrad: true), bias: nil).value
        let g = ConvGeometry(channels: 8, height: 12, width: 12, kernelHeight: 7, kernelWidth: 7)
        let im2col = ConvChunks(geometry: g, batch: 2, outChannels: 3).forward(x, weight: w.reshaped([3, g.patchSize]), bias: nil)
        #expect(recorded.scalars == im2col.output)
        let inference = conv2d(Variable(x), weight: Variable(w), bias: nil).value
        #expect(Self.error(inference, recorded) < 1e-5)
    }
}
