import Testing
@testable import SiameseKit

/// The contrastive loss against hand-computed values, and its gradient.
@Suite("Contrastive loss")
struct ContrastiveTests {
    @Test func valuesByHand() {
        // Same pair at distance 2: ½·2² = 2. Different pair at 0.5 with margin 1: ½·(1 − 0.5)² = 0.125.
        // Different pair at 3 (beyond the margin): 0. Mean of three: (2 + 0.125 + 0) / 3.
        let d = Variable(Tensor([2, 0.5, 3]))
        let loss = contrastiveLoss(distances: d, labels: [.same, .different, .different], margin: 1)
        #expect(abs(loss.value.scalar - 2.125 / 3) < 1e-6)
    }

    @Test func gradientPullsSamePushesDifferent() {
        let d = Variable(Tensor([2, 0.5, 3]), requiresGrad: true)
        contrastiveLoss(distances: d, labels: [.same, .different, .different], margin: 1).backward()
        // ∂/∂d: same d/3 = 2/3 (positive: shrinking d lowers the loss); different −(m − d)/3 = −1/6; beyond margin 0.
        #expect(d.grad!.isClose(to: Tensor([2.0 / 3, -1.0 / 6, 0]), tolerance: 1e-6))
        var g = SeededGenerator(seed: 1)
        let a = Tensor.randomNormal([6, 3], using: &g), b = Tensor.randomNormal([6, 3], using: &g)
        let labels: [PairLabel] = [.same, .different, .same, .different, .different, .same]
        let check = GradientCheck(inputs: [a, b]) { contrastiveLoss(distances: Distance.l2($0[0], $0[1]), labels: labels, margin: 2) }
        #expect(check.passed(), "\(check)")
    }
}
