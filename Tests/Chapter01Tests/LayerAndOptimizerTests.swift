import Foundation
import Testing
@testable import SiameseKit

@Suite("Layers, initialisers and optimizers")
struct LayerAndOptimizerTests {
    @Test func linearComputesXWtPlusB() {
        var g = SeededGenerator(seed: 1)
        let layer = Linear(2, 3, using: &g)
        layer.weight.value = Tensor([[1, 0], [0, 1], [1, 1]])
        layer.bias.value = Tensor([0, 10, 100])
        let y = layer(Tensor([[1, 2], [3, 4]]))
        #expect(y.shape == [2, 3])
        #expect(y.value.scalars == [1, 12, 103, 3, 14, 107])
        #expect(layer.parameterCount == 9)
    }

    @Test func sequentialNamesParametersLikePyTorch() {
        var g = SeededGenerator(seed: 1)
        let net = Sequential(Linear(4, 3, using: &g), ReLU(), Linear(3, 2, using: &g))
        #expect(net.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(net.namedParameters[0].parameter.shape == [3, 4])
        #expect(net(Tensor.zeros([5, 4])).shape == [5, 2])
    }

    @Test func initialisersHaveTheirScale() {
        var g = SeededGenerator(seed: 2)
        let he = Initializer.heNormal.make([256, 512], fanIn: 512, fanOut: 256, using: &g)
        let heStd = he.squared().mean().squareRoot()
        #expect(abs(heStd - Float(sqrt(2.0 / 512))) < 0.002)
        let bound = Float(sqrt(6.0 / 768))
        let xavier = Initializer.xavierUniform.make([256, 512], fanIn: 512, fanOut: 256, using: &g)
        #expect(xavier.max() <= bound && xavier.scalars.min()! >= -bound)
        #expect(xavier.max() > 0.99 * bound)
        #expect(Initializer.constant(0.5).make([3], fanIn: 1, fanOut: 1, using: &g).scalars == [0.5, 0.5, 0.5])
        let n = Initializer.normal(mean: 0.5, std: 0.01).make([10_000], fanIn: 1, fanOut: 1, using: &g)
        #expect(abs(n.mean() - 0.5) < 0.001)
    }

    @Test func sgdStepsByHand() {
        let p = Variable(Tensor([1]), requiresGrad: true)
        let sgd = SGD([p], learningRate: 0.1, momentum: 0.9)
        p.grad = Tensor([2])
        sgd.step()                                       // v = 2, p = 1 - 0.2
        #expect(abs(p.value.scalars[0] - 0.8) < 1e-6)
        sgd.step()                                       // v = 0.9·2 + 2 = 3.8, p = 0.8 - 0.38
        #expect(abs(p.value.scalars[0] - 0.42) < 1e-6)
        let q = Variable(Tensor([1]), requiresGrad: true)
        let decayed = SGD([q], learningRate: 0.1, weightDecay: 0.5)
        q.grad = Tensor([0])
        decayed.step()                                   // g = 0 + 0.5·1, p = 1 - 0.05
        #expect(abs(q.value.scalars[0] - 0.95) < 1e-6)
    }

    @Test func adamStepsByHand() {
        // Adam's first step moves every parameter by lr in the direction against its gradient,
        // whatever the gradient's size (m̂ = g, v̂ = g²).
        let p = Variable(Tensor([1, 1]), requiresGrad: true)
        let adam = Adam([p], learningRate: 0.01)
        p.grad = Tensor([100, -0.001])
        adam.step()
        #expect(Tensor([0.99, 1.01]).isClose(to: p.value, tolerance: 1e-4))
        // Second step with the same gradient: m̂ = g, v̂ = g² again, so again lr.
        adam.step()
        #expect(Tensor([0.98, 1.02]).isClose(to: p.value, tolerance: 1e-4))
    }

    @Test func optimizersMinimiseAQuadratic() {
        for makeOptimizer in [{ SGD($0, learningRate: 0.1, momentum: 0.5) as any Optimizer },
                              { Adam($0, learningRate: 0.1) as any Optimizer }] {
            let x = Variable(Tensor([3, -2]), requiresGrad: true)
            let optimizer = makeOptimizer([x])
            var last: Float = 0
            for _ in 0..<200 { last = trainStep(optimizer) { (x - Variable(Tensor([1, 1]))).squared().sum() } }
            #expect(last < 1e-3)
            #expect(x.value.isClose(to: Tensor([1, 1]), tolerance: 0.05))
        }
    }

    @Test func layersShareWeightsWhenReused() {
        // The same layer object applied twice is one set of weights; both uses add gradient.
        var g = SeededGenerator(seed: 3)
        let layer = Linear(2, 1, using: &g)
        let a = layer(Tensor([[1, 0]])), b = layer(Tensor([[0, 1]]))
        (a + b).sum().backward()
        #expect(layer.weight.grad?.scalars == [1, 1])
        #expect(layer.bias.grad?.scalars == [2])
    }
}
