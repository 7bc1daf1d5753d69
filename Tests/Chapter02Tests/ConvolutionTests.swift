import Testing
@testable import SiameseKit

/// Convolution and pooling: values against their definitions, gradients against finite differences.
@Suite("Convolution and pooling")
struct ConvolutionTests {
    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor.randomNormal(shape, using: &g)
    }

    @Test(arguments: [
        // (batch, channels, height, width, outChannels, kernel, stride, padding)
        [2, 1, 7, 7, 3, 3, 1, 0], [2, 3, 8, 6, 4, 3, 1, 1], [3, 2, 9, 9, 2, 5, 2, 2],
        [1, 2, 6, 5, 3, 2, 2, 0], [2, 1, 28, 28, 4, 5, 1, 0], [1, 1, 5, 5, 1, 5, 1, 3],
    ])
    func im2colConvolutionMatchesDefinition(_ c: [Int]) {
        let x = Self.random([c[0], c[1], c[2], c[3]], seed: 1)
        let w = Self.random([c[4], c[1], c[5], c[5]], seed: 2)
        let b = Self.random([c[4]], seed: 3)
        let fast = conv2d(Variable(x), weight: Variable(w), bias: Variable(b), stride: c[6], padding: c[7]).value
        let slow = naiveConv2d(x, weight: w, bias: b, stride: c[6], padding: c[7])
        #expect(fast.shape == slow.shape)
        #expect(fast.isClose(to: slow, tolerance: 1e-4))
    }

    @Test func handWorkedConvolution() {
        // A 3x3 image, a 2x2 kernel of ones: each output is the sum of a 2x2 window.
        let x = Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let w = Tensor.ones([1, 1, 2, 2])
        let y = conv2d(Variable(x), weight: Variable(w), bias: nil).value
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.scalars == [12, 16, 24, 28])
        let padded = conv2d(Variable(x), weight: Variable(w), bias: Variable(Tensor([1])), padding: 1).value
        #expect(padded.shape == [1, 1, 4, 4])
        #expect(padded[0, 0, 0, 0] == 2)      // only x[0,0] under the window, plus the bias
    }

    @Test(arguments: [(1, 0), (1, 1), (2, 1), (2, 0)])
    func convolutionGradients(stride: Int, padding: Int) {
        let x = Self.random([2, 2, 6, 5], seed: 4)
        let w = Self.random([3, 2, 3, 3], seed: 5)
        let b = Self.random([3], seed: 6)
        let check = GradientCheck(inputs: [x, w, b]) { v in
            conv2d(v[0], weight: v[1], bias: v[2], stride: stride, padding: padding)
        }
        #expect(check.passed(), "\(check)")
    }

    @Test func im2colLayout() {
        let x = Tensor(shape: [2, 1, 3, 3], scalars: (0..<18).map(Float.init))
        let cols = x.im2col(kernel: 2)
        #expect(cols.shape == [4, 8])                    // 1·2·2 rows; 2 images × 4 positions
        #expect(cols.row(0).scalars == [0, 1, 3, 4, 9, 10, 12, 13])   // top-left of each window
        #expect(cols.row(3).scalars == [4, 5, 7, 8, 13, 14, 16, 17])  // bottom-right
    }

    @Test func maxPoolValuesAndGradient() {
        let x = Tensor(shape: [1, 1, 4, 4], scalars: [1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 1, 1, 9, 1, 3, 7])
        let y = maxPool2d(Variable(x), kernel: 2).value
        #expect(y.scalars == [5, 8, 9, 7])
        let v = Variable(x, requiresGrad: true)
        maxPool2d(v, kernel: 2).sum().backward()
        #expect(v.grad?.scalars == [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1])
        let r = Self.random([2, 3, 6, 6], seed: 7)
        #expect(GradientCheck(inputs: [r]) { maxPool2d($0[0], kernel: 2) }.passed())
        #expect(GradientCheck(inputs: [r]) { maxPool2d($0[0], kernel: 3, stride: 2) }.passed())
    }

    @Test func avgPoolValuesAndGradient() {
        let x = Tensor(shape: [1, 1, 2, 4], scalars: [1, 3, 2, 2, 5, 7, 0, 4])
        #expect(avgPool2d(Variable(x), kernel: 2).value.scalars == [4, 2])
        let r = Self.random([2, 2, 6, 6], seed: 8)
        #expect(GradientCheck(inputs: [r]) { avgPool2d($0[0], kernel: 2) }.passed())
        #expect(GradientCheck(inputs: [r]) { avgPool2d($0[0], kernel: 3, stride: 1) }.passed())
    }
}

@Suite("Convolutional layers")
struct ConvLayerTests {
    @Test func conv2DLayerShapesAndNames() {
        var g = SeededGenerator(seed: 1)
        let layer = Conv2D(1, 8, kernel: 5, padding: 2, using: &g)
        #expect(layer.weight.shape == [8, 1, 5, 5])
        #expect(layer(Tensor.zeros([3, 1, 28, 28])).shape == [3, 8, 28, 28])
        let net = Sequential(Conv2D(1, 4, kernel: 3, using: &g), ReLU(), MaxPool2D(2), Flatten(), Linear(4 * 13 * 13, 10, using: &g))
        #expect(net(Tensor.zeros([2, 1, 28, 28])).shape == [2, 10])
        #expect(net.namedParameters.map(\.name) == ["0.weight", "0.bias", "4.weight", "4.bias"])
        let check = GradientCheck(parameters: Array(net.parameters.prefix(2))) {
            net(ConvolutionTests.random([2, 1, 28, 28], seed: 9)).sum()
        }
        #expect(check.passed(), "\(check)")
    }

    @Test func batchNormNormalisesAndTracks() {
        let bn = BatchNorm(3)
        let x = ConvolutionTests.random([4, 3, 5, 5], seed: 10) * 3 + 2
        let y = bn(x).value
        for c in 0..<3 {
            let values = (0..<4).flatMap { i in (0..<25).map { y.scalars[(i * 3 + c) * 25 + $0] } }
            let mean = values.reduce(0, +) / 100
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 100
            #expect(abs(mean) < 1e-4)
            #expect(abs(variance - 1) < 1e-3)
        }
        // Running statistics moved 10% of the way toward the batch's (mean ≈ 2, variance ≈ 9).
        #expect(bn.runningMean.value.scalars.allSatisfy { $0 > 0.1 && $0 < 0.3 })
        #expect(bn.namedBuffers.map(\.name) == ["running_mean", "running_var"])
        bn.setTraining(false)
        let z = bn(Tensor.ones([1, 3, 1, 1])).value
        let expected = bn.runningMean.value.scalars.enumerated().map { c, mu in
            (1 - mu) / (bn.runningVar.value.scalars[c] + 1e-5).squareRoot()
        }
        #expect(z.isClose(to: Tensor(shape: [1, 3, 1, 1], scalars: expected), tolerance: 1e-5))
    }

    @Test(arguments: [true, false])
    func batchNormGradients(training: Bool) {
        let x = ConvolutionTests.random([3, 2, 3, 3], seed: 11)
        let bn = BatchNorm(2)
        bn.weight.value = Tensor([1.5, -0.5])
        bn.bias.value = Tensor([0.1, 0.2])
        bn.runningVar.value = Tensor([2, 0.5])
        bn.setTraining(training)
        let input = Variable(x, requiresGrad: true)
        let check = GradientCheck(parameters: [input, bn.weight, bn.bias]) { bn(input) }
        #expect(check.passed(), "\(check)")
        let flat = Variable(ConvolutionTests.random([5, 2], seed: 12), requiresGrad: true)
        #expect(GradientCheck(parameters: [flat, bn.weight]) { bn(flat) }.passed())
    }

    @Test func dropoutDropsAndScalesInTrainingOnly() {
        var g = SeededGenerator(seed: 13)
        let dropout = Dropout(0.25, using: &g)
        let x = Variable(Tensor.ones([100, 100]), requiresGrad: true)
        let y = dropout(x)
        let zeros = y.value.scalars.filter { $0 == 0 }.count
        #expect(abs(Float(zeros) / 10_000 - 0.25) < 0.02)
        #expect(y.value.scalars.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3) < 1e-6 })
        y.sum().backward()
        #expect(x.grad == y.value)                // the gradient is the same mask
        dropout.setTraining(false)
        #expect(dropout(x).value == x.value)
    }

    @Test func evaluationRecordsNoGraph() {
        var g = SeededGenerator(seed: 14)
        let layer = Linear(3, 2, using: &g)
        let y = withoutGradients { layer(Tensor.ones([1, 3])) }
        #expect(!y.requiresGrad)
        #expect(layer(Tensor.ones([1, 3])).requiresGrad)
    }

    /// `withoutGradients` in one thread must not switch recording off in another
    /// (tests and data loaders run concurrently).
    @Test func evaluationElsewhereDoesNotStopRecordingHere() async {
        let inside = Tensor.ones([1, 3])
        await withTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    var g = SeededGenerator(seed: UInt64(index))
                    let layer = Linear(3, 2, using: &g)
                    var recorded = true
                    for _ in 0..<2_000 {
                        if index % 2 == 0 {
                            recorded = recorded && !withoutGradients { layer(inside) }.requiresGrad
                        } else {
                            recorded = recorded && layer(inside).requiresGrad
                        }
                    }
                    return recorded
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
