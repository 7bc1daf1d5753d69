import Testing
@testable import SiameseKit

/// The chapter's exercises, one test each: read the exercise in the chapter's closing page,
/// try it yourself, then compare with what is checked here.
@Suite("Chapter 01 exercises")
struct ExerciseTests {
    @Test("1. Broadcast shape of [5, 1, 3] and [4, 1]")
    func exercise1() throws {
        #expect(try Shape.broadcast([5, 1, 3], [4, 1]) == [5, 4, 3])
        #expect((Tensor.zeros([5, 1, 3]) + Tensor.zeros([4, 1])).shape == [5, 4, 3])
    }

    @Test("2. Transpose twice is the identity; reshape keeps row-major order")
    func exercise2() {
        var g = SeededGenerator(seed: 2)
        let m = Tensor.randomNormal([7, 5], using: &g)
        #expect(m.transposed().transposed() == m)
        #expect(m.reshaped([-1]).scalars == m.scalars)
        #expect(m.reshaped([-1])[12] == m[2, 2])
    }

    @Test("3. d sigmoid / dx = s(1 − s)")
    func exercise3() {
        let x = Tensor([-3, -0.5, 0, 0.5, 3])
        let s = x.sigmoid()
        let byHand = s * (1 - s)
        let check = GradientCheck(inputs: [x]) { $0[0].sigmoid().sum() }
        #expect(check.passed(tolerance: 1e-3))
        #expect(check.analytic[0].isClose(to: byHand, tolerance: 1e-6))
        #expect(check.numerical[0].isClose(to: byHand, tolerance: 1e-2))
    }

    @Test("4. Aᵀ·B with the transposeA flag")
    func exercise4() {
        var g = SeededGenerator(seed: 4)
        let a = Tensor.randomNormal([6, 3], using: &g), b = Tensor.randomNormal([6, 4], using: &g)
        let flagged = matmul(a, b, transposeA: true)
        #expect(flagged.shape == [3, 4])
        #expect(flagged.isClose(to: matmul(a.transposed(), b), tolerance: 1e-5))
    }

    @Test("5. A hidden layer separates spirals; a linear model cannot")
    func exercise5() {
        var g = SeededGenerator(seed: 5)
        let data = ToyDatasets.spirals(classes: 3, pointsPerClass: 60, using: &g)
        func trainedAccuracy(_ model: any Layer, learningRate: Float) -> Float {
            let optimizer = Adam(model.parameters, learningRate: learningRate)
            for _ in 0..<600 {
                trainStep(optimizer) { softmaxCrossEntropy(logits: model(data.points), labels: data.labels) }
            }
            return accuracy(logits: model(data.points).value, labels: data.labels)
        }
        let linear = trainedAccuracy(Linear(2, 3, using: &g), learningRate: 0.05)
        let network = trainedAccuracy(Sequential(Linear(2, 48, using: &g), ReLU(), Linear(48, 3, using: &g)),
                                      learningRate: 0.02)
        #expect(linear < 0.7, "linear model reached \(linear)")
        #expect(network > 0.9, "two-layer network reached \(network)")
    }
}
