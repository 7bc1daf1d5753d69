import Testing
@testable import SiameseKit

/// Triplet losses, miners on a hand-made batch, samplers, and one-shot evaluation.
@Suite("Triplet loss and mining")
struct TripletTests {
    /// Four points on a line, classes [0, 0, 1, 1] at positions 0, 3, 1, 5.
    static let positions: [Float] = [0, 3, 1, 5]
    static let labels = [0, 0, 1, 1]
    static var distances: Tensor {
        Tensor(shape: [4, 4], scalars: positions.flatMap { a in positions.map { b in abs(a - b) } })
    }

    @Test func tripletLossByHand() {
        // d(a,p) = 1, d(a,n) = 3: hard margin 1 gives max(0, 1 − 3 + 1) = 0; margin 3 gives 1.
        let a = Variable(Tensor([[0, 0]])), p = Variable(Tensor([[1, 0]])), n = Variable(Tensor([[0, 3]]))
        #expect(abs(tripletLoss(anchor: a, positive: p, negative: n, margin: .hard(1)).value.scalar) < 1e-5)
        #expect(abs(tripletLoss(anchor: a, positive: p, negative: n, margin: .hard(3)).value.scalar - 1) < 1e-4)
        // Soft margin: log(1 + e^(1 − 3)).
        #expect(abs(tripletLoss(anchor: a, positive: p, negative: n, margin: .soft).value.scalar - 0.126928) < 1e-4)
        var g = SeededGenerator(seed: 1)
        let x = (0..<3).map { _ in Tensor.randomNormal([5, 4], using: &g) }
        for margin in [TripletMargin.hard(2), .soft] {
            let check = GradientCheck(inputs: x) { tripletLoss(anchor: $0[0], positive: $0[1], negative: $0[2], margin: margin) }
            #expect(check.passed(), "\(check)")
        }
        #expect(GradientCheck(inputs: [x[0]]) { $0[0].softplus() }.passed())
    }

    @Test func batchAllTakesEveryValidTriplet() {
        let t = TripletMining.batchAll.select(distances: Self.distances, labels: Self.labels)
        #expect(t.count == 8)      // 4 anchors × 1 positive × 2 negatives
        #expect(Set(t) == Set([Triplet(0, 1, 2), Triplet(0, 1, 3), Triplet(1, 0, 2), Triplet(1, 0, 3),
                               Triplet(2, 3, 0), Triplet(2, 3, 1), Triplet(3, 2, 0), Triplet(3, 2, 1)]))
    }

    @Test func batchHardTakesFarthestPositiveNearestNegative() {
        let labels = [0, 0, 0, 1, 1]
        let positions: [Float] = [0, 2, 5, 1.2, 9]     // no ties
        let d = Tensor(shape: [5, 5], scalars: positions.flatMap { a in positions.map { b in abs(a - b) } })
        let t = TripletMining.batchHard.select(distances: d, labels: labels)
        #expect(t == [Triplet(0, 2, 3), Triplet(1, 2, 3), Triplet(2, 0, 3), Triplet(3, 4, 1), Triplet(4, 3, 2)])
    }

    @Test func semiHardTakesNearestNegativeFartherThanThePositive() {
        // Anchor 0 (at 0), positive 1 (at 3): negatives at 1 (closer, hard) and 5 (farther, semi-hard) -> 3.
        let t = TripletMining.semiHard.select(distances: Self.distances, labels: Self.labels)
        #expect(t.contains(Triplet(0, 1, 3)))
        // Anchor 1 (at 3), positive 0 (d = 3): negatives at d 2 and 2; none farther -> the farthest.
        #expect(t.contains { $0.anchor == 1 && $0.positive == 0 })
        #expect(t.count == 4)
    }

    @Test func batchLossAveragesTheActiveTriplets() {
        let e = Variable(Tensor(shape: [4, 1], scalars: Self.positions), requiresGrad: true)
        let (loss, stats) = batchTripletLoss(embeddings: e, labels: Self.labels, mining: .batchAll, margin: .hard(1))
        // Per-triplet losses max(0, d_ap − d_an + 1): (0,1,2) 3, (0,1,3) 0, (1,0,2) 2, (1,0,3) 2,
        // (2,3,0) 4, (2,3,1) 3, (3,2,0) 0, (3,2,1) 3 -> sum 17 over 6 active.
        #expect(stats.triplets == 8 && stats.active == 6)
        #expect(abs(loss.value.scalar - 17.0 / 6) < 1e-3)
        var g = SeededGenerator(seed: 2)
        let x = Tensor.randomNormal([8, 3], using: &g)
        let labels = [0, 0, 1, 1, 2, 2, 3, 3]
        // Mining is a selection (piecewise constant, no gradient); the gradient flows through
        // the distances of the chosen triplets. So the triplets are chosen once, then held fixed
        // while the finite differences nudge the embeddings.
        for mining in [TripletMining.batchAll, .batchHard, .semiHard] {
            let triplets = mining.select(distances: Distance.pairwiseL2(x, x), labels: labels)
            let check = GradientCheck(inputs: [x]) { v in
                tripletLoss(distances: Distance.pairwiseL2(v[0], v[0]), triplets: triplets, margin: .hard(0.5),
                            averageOverActive: mining == .batchAll).loss
            }
            #expect(check.passed(), "\(mining): \(check)")
        }
    }

    @Test func classBatchesHavePClassesOfK() {
        let labels = (0..<100).map { $0 % 10 }
        let sampler = ClassBatchSampler(labels: labels, classes: 4, perClass: 3)
        var g = SeededGenerator(seed: 3)
        let batch = sampler.batch(using: &g)
        #expect(batch.count == 12)
        let classes = batch.map { labels[$0] }
        #expect(Set(classes).count == 4)
        for c in Set(classes) { #expect(classes.filter { $0 == c }.count == 3) }
        #expect(Set(batch).count == 12)          // no example twice
        let triplets = TripletSampler(labels: labels).batch(20, using: &g)
        for k in 0..<20 {
            #expect(labels[triplets.anchors[k]] == labels[triplets.positives[k]])
            #expect(triplets.anchors[k] != triplets.positives[k])
            #expect(labels[triplets.anchors[k]] != labels[triplets.negatives[k]])
        }
    }
}

@Suite("One-shot evaluation")
struct OneShotEvaluationTests {
    @Test func separatedClassesAreAlwaysRight() {
        // Class c sits around (10c, 0): nearest prototype is always right.
        let labels = (0..<50).map { $0 % 5 }
        var scalars: [Float] = []
        for i in 0..<50 { scalars += [Float(10 * (i % 5)) + Float(i % 3) * 0.1, 0] }
        let points = Tensor(shape: [50, 2], scalars: scalars)
        var g = SeededGenerator(seed: 1)
        let result = oneShotAccuracy(embeddings: points, labels: labels, ways: 5, shots: 1, trials: 200, using: &g)
        #expect(result.accuracy == 1 && result.trials == 200)
        #expect(oneShotAccuracy(embeddings: points, labels: labels, ways: 3, shots: 3, trials: 50, using: &g).accuracy == 1)
        #expect(precisionAtOne(embeddings: points, labels: labels) == 1)
    }

    @Test func indistinguishableClassesAreAtChance() {
        // Every embedding identical: the nearest prototype is the first one, right 1/N of the time.
        let labels = (0..<400).map { $0 % 4 }
        var g = SeededGenerator(seed: 2)
        let result = oneShotAccuracy(embeddings: Tensor.zeros([400, 3]), labels: labels, ways: 4, trials: 2000, using: &g)
        #expect(abs(result.accuracy - 0.25) < 0.04)
        #expect(result.confidence95 > 0.015 && result.confidence95 < 0.025)
    }

    @Test func nearestReferenceByHand() {
        let references = Tensor([[0, 0], [10, 0]])
        let queries = Tensor([[1, 0], [9, 1], [6, 0], [4, 0]])
        let result = nearestReferenceAccuracy(queries: queries, queryLabels: [0, 1, 1, 1], references: references,
                                              referenceLabels: [0, 1])
        #expect(result.predicted == [0, 1, 1, 0])
        #expect(result.accuracy == 0.75)
    }

    @Test func sameSeedSameTrials() {
        var g1 = SeededGenerator(seed: 9), g2 = SeededGenerator(seed: 9), data = SeededGenerator(seed: 1)
        let e = Tensor.randomNormal([60, 4], using: &data)
        let labels = (0..<60).map { $0 % 6 }
        #expect(oneShotAccuracy(embeddings: e, labels: labels, ways: 5, trials: 100, using: &g1).correct
                == oneShotAccuracy(embeddings: e, labels: labels, ways: 5, trials: 100, using: &g2).correct)
    }
}

@Suite("One reference per class")
struct ReferenceOneShotTests {
    @Test func wellSeparatedClassesAreAlwaysRight() {
        // Images whose pixels all equal their class (0, 1, 2) plus a little noise: with the
        // identity encoder (Flatten), every query is nearest to its own class's reference.
        var g = SeededGenerator(seed: 1)
        let labels = (0..<30).map { $0 % 3 }
        let noise = Tensor.randomUniform([30, 1, 2, 2], low: -0.1, high: 0.1, using: &g)
        let images = Tensor(shape: [30, 1, 2, 2], scalars: (0..<120).map { Float(labels[$0 / 4]) }) + noise
        let set = LabeledImages(images: images, labels: labels)
        let result = referenceOneShot(TwinNetwork(encoder: Flatten()), queries: set, references: set, draws: 4, using: &g)
        #expect(result.accuracies.count == 4)
        #expect(result.mean == 1 && result.low == 1 && result.high == 1)
    }
}
