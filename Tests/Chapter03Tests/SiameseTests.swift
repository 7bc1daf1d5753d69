import Testing
@testable import SiameseKit

/// The twin network, distances, heads, pair sampling and verification.
@Suite("Twin network and heads")
struct SiameseTests {
    static func encoder(_ g: inout SeededGenerator) -> Sequential {
        Sequential(Linear(4, 6, using: &g), Tanh(), Linear(6, 3, using: &g))
    }

    @Test func sharedWeightsAccumulateGradientsFromBothBranches() {
        var g = SeededGenerator(seed: 1)
        let twin = TwinNetwork(encoder: Self.encoder(&g))
        let a = Tensor.randomNormal([5, 4], using: &g), b = Tensor.randomNormal([5, 4], using: &g)
        // Gradient through the twin of a loss that depends on both branches...
        let (ea, eb) = twin(a, b)
        Distance.squaredL2(ea, eb).sum().backward()
        let together = twin.parameters.map { $0.grad! }
        twin.encoder.zeroGrad()
        // ...equals the sum of the two branches' gradients taken one at a time.
        let (ea2, eb2) = (twin.encoder(a), twin.encoder(b))
        let fixedB = Variable(eb2.value), fixedA = Variable(ea2.value)
        Distance.squaredL2(ea2, fixedB).sum().backward()
        let fromA = twin.parameters.map { $0.grad! }
        twin.encoder.zeroGrad()
        Distance.squaredL2(fixedA, twin.encoder(b)).sum().backward()
        let fromB = twin.parameters.map { $0.grad! }
        for k in together.indices {
            #expect(together[k].isClose(to: fromA[k] + fromB[k], tolerance: 1e-4))
        }
        // And the stacked pass is the same function as two separate passes.
        #expect(ea.value.isClose(to: ea2.value) && eb.value.isClose(to: eb2.value))
    }

    @Test func distancesByHand() {
        let a = Variable(Tensor([[0, 0], [1, 1]])), b = Variable(Tensor([[3, 4], [1, 2]]))
        #expect(Distance.squaredL2(a, b).value.scalars == [25, 1])
        #expect(Distance.l2(a, b).value.isClose(to: Tensor([5, 1])))
        #expect(Distance.l1(a, b).value.scalars == [7, 1])
        #expect(Distance.cosineSimilarity(Variable(Tensor([[1, 0], [1, 1]])), Variable(Tensor([[0, 2], [2, 2]])))
            .value.isClose(to: Tensor([0, 1]), tolerance: 1e-4))
        #expect(Distance.rbf(a, b, sigma: 1).value.isClose(to: Tensor([0, 0.36787944]), tolerance: 1e-6))
        let x = Tensor([[0, 0], [3, 4]]), y = Tensor([[0, 0], [6, 8], [3, 0]])
        #expect(Distance.pairwiseL2(x, y).isClose(to: Tensor([[0, 10, 3], [5, 5, 4]]), tolerance: 1e-3))
    }

    @Test func distanceGradients() {
        var g = SeededGenerator(seed: 2)
        let a = Tensor.randomNormal([4, 3], using: &g), b = Tensor.randomNormal([4, 3], using: &g)
        for f in [{ (v: [Variable]) in Distance.l2(v[0], v[1]) }, { Distance.squaredL2($0[0], $0[1]) },
                  { Distance.cosineSimilarity($0[0], $0[1]) }, { Distance.rbf($0[0], $0[1], sigma: 2) },
                  { Distance.pairwiseL2($0[0], $0[1]) }, { Distance.l1($0[0], $0[1]) }] {
            let check = GradientCheck(inputs: [a, b], f)
            #expect(check.passed(), "\(check)")
        }
    }

    @Test func binaryCrossEntropyValueAndGradient() {
        // z = 0: p = 0.5, the loss is ln 2 whatever the label.
        let loss = binaryCrossEntropy(logits: Variable(Tensor([0, 0])), labels: [.same, .different])
        #expect(abs(loss.value.scalar - 0.6931472) < 1e-6)
        // Large logits do not overflow: a confident right answer costs ~0, a wrong one ~|z|.
        let extreme = binaryCrossEntropy(logits: Variable(Tensor([100, 100])), labels: [.same, .different])
        #expect(abs(extreme.value.scalar - 50) < 1e-3)
        var g = SeededGenerator(seed: 3)
        let z = Tensor.randomNormal([6], using: &g)
        let check = GradientCheck(inputs: [z]) { binaryCrossEntropy(logits: $0[0], labels: [.same, .different, .same, .same, .different, .different]) }
        #expect(check.passed(), "\(check)")
    }

    @Test func headsAndTheirGradients() {
        var g = SeededGenerator(seed: 4)
        let koch = KochHead(embeddingSize: 3, using: &g)
        let a = Variable(Tensor.randomNormal([4, 3], using: &g)), b = Variable(Tensor.randomNormal([4, 3], using: &g))
        #expect(koch.logits(a, b).shape == [4])
        // Symmetric: swapping the pair does not change the score.
        #expect(koch.logits(a, b).value == koch.logits(b, a).value)
        #expect(koch.namedParameters.map(\.name) == ["head.weight", "head.bias"])
        let concat = ConcatenationHead(embeddingSize: 3, using: &g)
        #expect(concat.logits(a, b).shape == [4])
        let labels: [PairLabel] = [.same, .different, .same, .different]
        #expect(GradientCheck(parameters: koch.parameters) { binaryCrossEntropy(logits: koch.logits(a, b), labels: labels) }.passed())
        #expect(GradientCheck(parameters: concat.parameters) { binaryCrossEntropy(logits: concat.logits(a, b), labels: labels) }.passed())
        #expect(GradientCheck(inputs: [a.value, b.value]) { Variable.concatenateColumns($0[0], $0[1]) }.passed())
        #expect(Variable.concatenateColumns(Variable(Tensor([[1], [2]])), Variable(Tensor([[3, 4], [5, 6]]))).value.scalars == [1, 3, 4, 2, 5, 6])
    }

    @Test func pairLabelConventions() {
        #expect(PairLabel(3, 3) == .same && PairLabel(3, 4) == .different)
        #expect(PairLabel.same.kochTarget == 1 && PairLabel.same.hadsellY == 0)
        #expect(PairLabel.different.kochTarget == 0 && PairLabel.different.hadsellY == 1)
    }

    @Test func pairBatchesAreBalancedAndValid() {
        let labels = (0..<200).map { $0 % 7 }
        let sampler = PairSampler(labels: labels)
        var g = SeededGenerator(seed: 5)
        let batch = sampler.batch(100, using: &g)
        #expect(batch.labels.filter { $0 == .same }.count == 50)
        for k in 0..<100 {
            #expect(batch.first[k] != batch.second[k])
            #expect(PairLabel(labels[batch.first[k]], labels[batch.second[k]]) == batch.labels[k])
        }
        var g2 = SeededGenerator(seed: 5)
        #expect(sampler.batch(100, using: &g2).first == batch.first)
    }

    @Test func rocCurveByHand() {
        // Scores 0.9 (same), 0.8 (different), 0.7 (same), 0.1 (different).
        let roc = ROCCurve(scores: [0.9, 0.8, 0.7, 0.1], labels: [.same, .different, .same, .different])
        #expect(roc.truePositiveRates == [0, 0.5, 0.5, 1, 1])
        #expect(roc.falsePositiveRates == [0, 0, 0.5, 0.5, 1])
        #expect(abs(roc.area - 0.75) < 1e-6)
        #expect(roc.bestAccuracy == 0.75)
        #expect(ROCCurve.accuracy(scores: [0.9, 0.8, 0.7, 0.1], labels: [.same, .different, .same, .different], threshold: 0.5) == 0.75)
        let perfect = ROCCurve(scores: [3, 2, 1, 0], labels: [.same, .same, .different, .different])
        #expect(perfect.area == 1 && perfect.bestAccuracy == 1)
    }
}

@Suite("Pair label helpers")
struct PairLabelSplitTests {
    @Test func splitKeepsOrderWithinEachSide() {
        let (same, different) = PairLabel.split([1, 2, 3, 4], by: [.same, .different, .different, .same])
        #expect(same == [1, 4] && different == [2, 3])
    }
}
