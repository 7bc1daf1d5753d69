import Testing
@testable import SiameseKit

/// The convolution walks a batch a few images at a time (`ConvChunks`): chunking must not
/// change any number, whatever the batch size or the number of workers.
@Suite("Batched convolution")
struct BatchedConvolutionTests {
    /// A batch of 29 28x28 images under a 3x3 kernel: chunks of 4 and 5 images.
    static let x = ConvolutionTests.random([29, 2, 28, 28], seed: 11)
    static let w = ConvolutionTests.random([4, 2, 3, 3], seed: 12)
    static let b = ConvolutionTests.random([4], seed: 13)
    static let seed = ConvolutionTests.random([29, 4, 28, 28], seed: 14)

    /// Output and gradients (input, weight, bias) of one forward and backward pass.
    static func pass(_ x: Tensor, seed: Tensor) -> [Tensor] {
        let input = Variable(x, requiresGrad: true)
        let weight = Variable(w, requiresGrad: true), bias = Variable(b, requiresGrad: true)
        let y = conv2d(input, weight: weight, bias: bias, padding: 1)
        y.backward(seed: seed)
        return [y.value, input.grad!, weight.grad!, bias.grad!]
    }

    @Test func theBatchIsSplitIntoSeveralUnevenChunks() {
        let g = ConvGeometry(channels: 2, height: 28, width: 28, kernelHeight: 3, kernelWidth: 3, padding: 1)
        let chunks = ConvChunks(geometry: g, batch: 29, outChannels: 4)
        #expect(chunks.count > 2)
        let sizes = (0..<chunks.count).map { chunks.images($0).count }
        #expect(sizes.reduce(0, +) == 29)
        #expect(Set(sizes).count > 1, "chunk sizes \(sizes)")
    }

    @Test func aBatchGivesWhatItsImagesGiveOneByOne() {
        let all = Self.pass(Self.x, seed: Self.seed)
        var weightGradient = Tensor.zeros(Self.w.shape), biasGradient = Tensor.zeros(Self.b.shape)
        for i in 0..<29 {
            let one = Self.pass(Self.x.rows(i..<i + 1), seed: Self.seed.rows(i..<i + 1))
            #expect(all[0].rows(i..<i + 1).isClose(to: one[0], tolerance: 1e-5))
            #expect(all[1].rows(i..<i + 1).isClose(to: one[1], tolerance: 1e-5))
            weightGradient += one[2]
            biasGradient += one[3]
        }
        #expect(all[2].isClose(to: weightGradient, tolerance: 1e-3))
        #expect(all[3].isClose(to: biasGradient, tolerance: 1e-3))
    }

    @Test func theNumberOfWorkersDoesNotChangeAnyBit() {
        let before = Parallel.workers
        defer { Parallel.workers = before }
        Parallel.workers = 1
        let one = Self.pass(Self.x, seed: Self.seed)
        Parallel.workers = 2
        let two = Self.pass(Self.x, seed: Self.seed)
        for (a, b) in zip(one, two) { #expect(a.scalars == b.scalars) }
    }
}

/// A convolution followed by a ReLU runs fused inside `Sequential`: it must give exactly the
/// numbers of the two steps run apart.
@Suite("Fused convolution and ReLU")
struct FusedConvolutionTests {
    @Test func fusedEqualsConvolutionThenReLU() {
        var g = SeededGenerator(seed: 3)
        let conv = Conv2D(2, 4, kernel: 3, padding: 1, using: &g)
        let x = Variable(BatchedConvolutionTests.x, requiresGrad: true)
        let seed = BatchedConvolutionTests.seed

        let apart = conv(x).relu()
        apart.backward(seed: seed)
        let apartGrads = [x.grad!, conv.weight.grad!, conv.bias.grad!]
        for v in [x, conv.weight, conv.bias] { v.zeroGrad() }

        let fused = Sequential(conv, ReLU())(x)
        #expect(fused.op == "conv2d+relu")
        fused.backward(seed: seed)
        #expect(fused.value.scalars == apart.value.scalars)
        for (a, b) in zip(apartGrads, [x.grad!, conv.weight.grad!, conv.bias.grad!]) {
            #expect(a.scalars == b.scalars)
        }
    }

    @Test func fusedGradientsMatchFiniteDifferences() {
        let check = GradientCheck(inputs: [ConvolutionTests.random([2, 2, 6, 5], seed: 21),
                                           ConvolutionTests.random([3, 2, 3, 3], seed: 22),
                                           ConvolutionTests.random([3], seed: 23)]) { v in
            conv2d(v[0], weight: v[1], bias: v[2], padding: 1, relu: true)
        }
        #expect(check.passed(), "\(check)")
    }
}
