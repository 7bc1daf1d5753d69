import Foundation
import Testing
@testable import SiameseKit

/// Chapter 02's exercises, one test each.
@Suite("Chapter 02 exercises")
struct Chapter02ExerciseTests {
    @Test("1. The horizontal Sobel filter responds positively where dark turns bright downwards")
    func exercise1() {
        // Rows 0-2 dark (0), rows 3-5 bright (1).
        let image = Tensor(shape: [1, 1, 6, 6], scalars: (0..<36).map { $0 / 6 >= 3 ? 1 : 0 })
        let sobel = Tensor(shape: [1, 1, 3, 3], scalars: [-1, -2, -1, 0, 0, 0, 1, 2, 1])
        let response = conv2d(Variable(image), weight: Variable(sobel), bias: nil).value   // [1, 1, 4, 4]
        // Output rows 1 and 2 straddle the boundary; rows 0 and 3 see a flat region.
        for x in 0..<4 {
            #expect(response[0, 0, 0, x] == 0)
            #expect(response[0, 0, 1, x] == 4)
            #expect(response[0, 0, 2, x] == 4)
            #expect(response[0, 0, 3, x] == 0)
        }
    }

    @Test("2. A 1x1 convolution of weight 2 and bias 1 is 2x + 1")
    func exercise2() {
        var g = SeededGenerator(seed: 2)
        let x = Tensor.randomNormal([2, 1, 5, 5], using: &g)
        let y = conv2d(Variable(x), weight: Variable(Tensor(shape: [1, 1, 1, 1], scalars: [2])),
                       bias: Variable(Tensor([1]))).value
        #expect(y.isClose(to: x * 2 + 1, tolerance: 1e-6))
    }

    @Test("3. Output size (H + 2·padding − kernel) / stride + 1")
    func exercise3() {
        let g = ConvGeometry(channels: 1, height: 28, width: 28, kernelHeight: 5, kernelWidth: 5, stride: 2, padding: 2)
        #expect(g.outputHeight == (28 + 4 - 5) / 2 + 1)
        #expect(g.outputHeight == 14)
        var gen = SeededGenerator(seed: 3)
        let layer = Conv2D(1, 3, kernel: 5, stride: 2, padding: 2, using: &gen)
        #expect(layer(Tensor.zeros([1, 1, 28, 28])).shape == [1, 3, 14, 14])
    }

    @Test("4. Max pooling ignores a shift inside its windows")
    func exercise4() {
        // One bright pixel at (0, 0), then moved to (1, 1): the same 2x2 window holds it.
        var a = Tensor.zeros([1, 1, 4, 4]), b = Tensor.zeros([1, 1, 4, 4])
        a[0, 0, 0, 0] = 1
        b[0, 0, 1, 1] = 1
        #expect(maxPool2d(Variable(a), kernel: 2).value == maxPool2d(Variable(b), kernel: 2).value)
        // Moved across a window boundary, it is seen in another cell.
        var c = Tensor.zeros([1, 1, 4, 4])
        c[0, 0, 2, 2] = 1
        #expect(maxPool2d(Variable(a), kernel: 2).value != maxPool2d(Variable(c), kernel: 2).value)
    }

    @Test("5. A checkpoint restores a network exactly")
    func exercise5() throws {
        var g = SeededGenerator(seed: 5)
        let net = Sequential(Conv2D(1, 4, kernel: 3, using: &g), ReLU(), MaxPool2D(2), Flatten(),
                             Linear(4 * 3 * 3, 3, using: &g))
        let other = Sequential(Conv2D(1, 4, kernel: 3, using: &g), ReLU(), MaxPool2D(2), Flatten(),
                               Linear(4 * 3 * 3, 3, using: &g))
        let x = Tensor.randomNormal([2, 1, 8, 8], using: &g)
        #expect(net(x).value != other(x).value)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ex5-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.save(net, to: url)
        _ = try Checkpoint.load(into: other, from: url)
        #expect(net(x).value == other(x).value)
    }
}
