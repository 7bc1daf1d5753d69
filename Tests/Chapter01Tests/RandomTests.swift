import Testing
@testable import SiameseKit

/// One seedable generator: the same seed gives the same numbers.
@Suite("Seeded randomness")
struct RandomTests {
    @Test func sameSeedSameNumbers() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let xs = (0..<100).map { _ in a.next() }
        #expect(xs == (0..<100).map { _ in b.next() })
        #expect(xs != (0..<100).map { _ in c.next() })
        var g1 = SeededGenerator(seed: 7), g2 = SeededGenerator(seed: 7)
        #expect(Tensor.randomNormal([10], using: &g1) == Tensor.randomNormal([10], using: &g2))
        #expect(Tensor.randomUniform([10], using: &g1) == Tensor.randomUniform([10], using: &g2))
        #expect(Linear(3, 4, using: &g1).weight.value == Linear(3, 4, using: &g2).weight.value)
        #expect(ToyDatasets.spirals(using: &g1).points == ToyDatasets.spirals(using: &g2).points)
        var s1 = SeededGenerator(seed: 9), s2 = SeededGenerator(seed: 9)
        #expect(Array(0..<20).shuffled(using: &s1) == Array(0..<20).shuffled(using: &s2))
    }

    @Test func matchesReferenceXoshiro() {
        // xoshiro256** seeded by SplitMix64(0), from an independent Python implementation of the
        // published algorithms. Pinned: a change here would change every number in the book.
        var g = SeededGenerator(seed: 0)
        #expect([g.next(), g.next(), g.next()] == [11091344671253066420, 13793997310169335082, 1900383378846508768])
    }

    @Test func distributionsHaveTheirMoments() {
        var g = SeededGenerator(seed: 1)
        let n = Tensor.randomNormal([100_000], mean: 2, std: 3, using: &g)
        let mean = n.mean()
        let std = (n - mean).squared().mean().squareRoot()
        #expect(abs(mean - 2) < 0.05)
        #expect(abs(std - 3) < 0.05)
        let u = Tensor.randomUniform([100_000], low: -1, high: 3, using: &g)
        #expect(u.scalars.min()! >= -1 && u.max() < 3)
        #expect(abs(u.mean() - 1) < 0.03)
    }

    @Test func splitGivesIndependentStreams() {
        var g = SeededGenerator(seed: 5)
        var child = g.split()
        #expect(child.next() != g.next())
    }
}
