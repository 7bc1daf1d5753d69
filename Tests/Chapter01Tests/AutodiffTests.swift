import Testing
@testable import SiameseKit

/// Every differentiable operation's gradient against finite differences, plus the mechanics
/// of the graph (accumulation, shared nodes, constants).
@Suite("Autodiff")
struct AutodiffTests {
    /// Random inputs kept away from 0 (so kinks of relu/abs and poles of log/div are not crossed).
    static func input(_ shape: [Int], seed: UInt64, positive: Bool = false) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor.randomUniform(shape, low: 0.2, high: 1.5, using: &g).map { x in
            positive ? x : (g.nextUniform() < 0.5 ? -x : x)
        }
    }

    static func expectGradients(_ inputs: [Tensor], tolerance: Float = 1e-2,
                                sourceLocation: SourceLocation = #_sourceLocation,
                                _ f: @escaping ([Variable]) -> Variable) {
        let check = GradientCheck(inputs: inputs, f)
        #expect(check.passed(tolerance: tolerance), "\(check)", sourceLocation: sourceLocation)
        #expect(check.comparedElements == inputs.reduce(0) { $0 + $1.count }, sourceLocation: sourceLocation)
    }

    @Test func arithmeticWithBroadcasting() {
        let a = Self.input([3, 4], seed: 1), b = Self.input([4], seed: 2), c = Self.input([3, 1], seed: 3)
        Self.expectGradients([a, b]) { $0[0] + $0[1] }
        Self.expectGradients([a, c]) { $0[0] - $0[1] }
        Self.expectGradients([a, b]) { $0[0] * $0[1] }
        Self.expectGradients([a, c]) { $0[0] / $0[1] }
        Self.expectGradients([c, a]) { $0[0] / $0[1] }
        Self.expectGradients([a]) { -$0[0] }
        Self.expectGradients([a]) { ($0[0] + 2) * 3 - 1 }
        Self.expectGradients([a]) { 2 - $0[0] / 4 }
    }

    @Test func elementwiseFunctions() {
        let x = Self.input([2, 5], seed: 4), p = Self.input([2, 5], seed: 5, positive: true)
        Self.expectGradients([x]) { $0[0].relu() }
        Self.expectGradients([x]) { $0[0].sigmoid() }
        Self.expectGradients([x]) { $0[0].tanh() }
        Self.expectGradients([x]) { $0[0].exp() }
        Self.expectGradients([p]) { $0[0].log() }
        Self.expectGradients([p]) { $0[0].sqrt() }
        Self.expectGradients([x]) { $0[0].squared() }
        Self.expectGradients([x]) { $0[0].abs() }
    }

    @Test func reductions() {
        let x = Self.input([3, 4, 2], seed: 6)
        Self.expectGradients([x]) { $0[0].sum() }
        Self.expectGradients([x]) { $0[0].mean() }
        for axis in [0, 1, 2, -1] {
            Self.expectGradients([x]) { $0[0].sum(alongAxis: axis) }
            Self.expectGradients([x]) { $0[0].mean(alongAxis: axis, keepingDims: true) }
            Self.expectGradients([x]) { $0[0].max(alongAxis: axis) }
        }
    }

    @Test func shapeOperations() {
        let x = Self.input([4, 3], seed: 7)
        Self.expectGradients([x]) { $0[0].reshaped([2, 6]) }
        Self.expectGradients([x]) { $0[0].transposed() }
        Self.expectGradients([x]) { $0[0].gatherRows([3, 0, 3, 1]) }
        Self.expectGradients([x]) { $0[0].rows(1..<3) }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulGradients(transposeA: Bool, transposeB: Bool) {
        let a = Self.input(transposeA ? [4, 3] : [3, 4], seed: 8)
        let b = Self.input(transposeB ? [5, 4] : [4, 5], seed: 9)
        Self.expectGradients([a, b]) { matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB) }
    }

    @Test func lossesAndLayers() {
        let logits = Self.input([5, 3], seed: 10)
        Self.expectGradients([logits]) { softmaxCrossEntropy(logits: $0[0], labels: [0, 2, 1, 1, 0]) }
        let target = Self.input([5, 3], seed: 11)
        Self.expectGradients([logits]) { meanSquaredError($0[0], target) }
        var g = SeededGenerator(seed: 12)
        let layer = Linear(3, 2, using: &g)
        Self.expectGradients([logits, layer.weight.value, layer.bias.value]) { v in
            matmul(v[0], v[1], transposeB: true) + v[2]
        }
        // A whole small network, through its real parameters.
        let net = Sequential(Linear(3, 4, using: &g), Tanh(), Linear(4, 2, using: &g), Sigmoid())
        let check = GradientCheck(parameters: net.parameters) { net(logits).sum() }
        #expect(check.passed(), "\(check)")
        #expect(check.comparedElements == net.parameterCount)
        #expect(net.parameters.allSatisfy { $0.grad == nil })
    }

    @Test func crossEntropyValue() {
        // Uniform logits over 4 classes: the loss is ln 4, whatever the label.
        let loss = softmaxCrossEntropy(logits: Variable(Tensor.zeros([2, 4])), labels: [0, 3])
        #expect(abs(loss.value.scalar - 1.3862944) < 1e-6)
        #expect(softmax(Tensor([[0, 0], [1000, 0]])).isClose(to: Tensor([[0.5, 0.5], [1, 0]])))
    }

    @Test func handWorkedChainRule() {
        // y = (a·b + a)² at a = 3, b = 2: y = 81, dy/da = 2(ab + a)(b + 1) = 54, dy/db = 2(ab + a)a = 54.
        let a = Variable(Tensor(scalar: 3), requiresGrad: true)
        let b = Variable(Tensor(scalar: 2), requiresGrad: true)
        let y = (a * b + a).squared()
        y.backward()
        #expect(y.value.scalar == 81)
        #expect(a.grad?.scalar == 54)
        #expect(b.grad?.scalar == 54)
    }

    @Test func sharedNodesAndRepeatedBackwardAccumulate() {
        let x = Variable(Tensor([2, -1]), requiresGrad: true)
        (x * x).sum().backward()              // d/dx Σx² = 2x
        #expect(x.grad?.scalars == [4, -2])
        (x * 3).sum().backward()              // accumulates 3 more
        #expect(x.grad?.scalars == [7, 1])
        x.zeroGrad()
        #expect(x.grad == nil)
    }

    @Test func constantsRecordNoGraph() {
        let a = Variable(Tensor([1, 2])), b = Variable(Tensor([3, 4]))
        let c = (a * b).relu().sum()
        #expect(!c.requiresGrad)
        #expect(c.parents.isEmpty)
        let w = Variable(Tensor([1, 1]), requiresGrad: true)
        let d = (a * w).sum()
        d.backward()
        #expect(a.grad == nil)
        #expect(w.grad?.scalars == [1, 2])
    }

    @Test func graphIsPrintable() {
        let w = Variable(Tensor([1, 1]), requiresGrad: true, name: "w")
        let text = (w * w).sum().graphDescription()
        #expect(text == "sum []\n  mul [2]\n    leaf w [2]\n    leaf w [2] (shown above)")
    }
}
