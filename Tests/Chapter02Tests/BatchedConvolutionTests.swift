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

/// A batch norm followed by a ReLU runs fused inside `Sequential` too: exactly the numbers of
/// the two steps run apart, forward and backward, in training and in evaluation mode.
@Suite("Fused batch norm and ReLU")
struct FusedBatchNormTests {
    @Test(arguments: [true, false])
    func fusedEqualsBatchNormThenReLU(training: Bool) {
        let bn = BatchNorm(4)
        bn.weight.value = Tensor([1.5, -0.5, 1, 0.25])
        bn.bias.value = Tensor([0.1, 0.2, -0.3, 0])
        bn.setTraining(training)
        let x = Variable(ConvolutionTests.random([5, 4, 7, 7], seed: 31), requiresGrad: true)
        let seed = ConvolutionTests.random([5, 4, 7, 7], seed: 32)

        let apart = bn(x).relu()
        apart.backward(seed: seed)
        let apartGrads = [x.grad!, bn.weight.grad!, bn.bias.grad!]
        for v in [x, bn.weight, bn.bias] { v.zeroGrad() }

        let fused = Sequential(bn, ReLU())(x)
        #expect(fused.op == "batchnorm+relu")
        fused.backward(seed: seed)
        #expect(fused.value.scalars == apart.value.scalars)
        for (a, b) in zip(apartGrads, [x.grad!, bn.weight.grad!, bn.bias.grad!]) {
            #expect(a.scalars == b.scalars)
        }
    }

    @Test func fusedGradientsMatchFiniteDifferences() {
        let bn = BatchNorm(3)
        bn.weight.value = Tensor([1.5, -0.5, 0.8])
        bn.bias.value = Tensor([0.3, 0.2, -0.1])
        let input = Variable(ConvolutionTests.random([4, 3, 5, 5], seed: 33), requiresGrad: true)
        let check = GradientCheck(parameters: [input, bn.weight, bn.bias]) { bn.withReLU(input) }
        #expect(check.passed(), "\(check)")
    }

    /// Channels are spread over the workers; each channel's sums do not depend on how many.
    @Test func sameNumbersWithOneOrTwoWorkers() {
        let x = ConvolutionTests.random([16, 8, 9, 9], seed: 34)
        func run() -> [[Float]] {
            let bn = BatchNorm(8)
            let input = Variable(x, requiresGrad: true)
            let y = bn.withReLU(input)
            y.backward(seed: x)
            return [y.value.scalars, input.grad!.scalars, bn.weight.grad!.scalars, bn.runningVar.value.scalars]
        }
        let saved = Parallel.workers
        defer { Parallel.workers = saved }
        Parallel.workers = 1
        let one = run()
        Parallel.workers = 2
        #expect(run() == one)
    }
}
