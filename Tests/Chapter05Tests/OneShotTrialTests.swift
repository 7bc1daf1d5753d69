import Testing
@testable import SiameseKit

/// The within-alphabet one-shot protocol (Koch et al. 2015) that the Omniglot chapters use.
@Suite("One-shot trials")
struct OneShotTrialTests {
    /// 3 alphabets of 6, 5 and 2 characters; every character drawn by drawers 1-4.
    static let generator: OneShotTrialGenerator = {
        let characterAlphabet = Array(repeating: 0, count: 6) + Array(repeating: 1, count: 5) + [2, 2]
        var imageCharacters: [Int] = [], imageDrawers: [Int] = []
        for c in characterAlphabet.indices { for drawer in 1...4 { imageCharacters.append(c); imageDrawers.append(drawer) } }
        return OneShotTrialGenerator(characterAlphabet: characterAlphabet, imageCharacters: imageCharacters, imageDrawers: imageDrawers)
    }()

    @Test func trialsFollowTheProtocol() {
        var g = SeededGenerator(seed: 1)
        let trials = Self.generator.trials(ways: 5, shots: 1, count: 300, using: &g)
        #expect(trials.count == 300)
        for t in trials {
            #expect(Set(t.characters).count == 5)                                   // no character twice
            #expect(t.characters.allSatisfy { Self.generator.characterAlphabet[$0] == t.alphabet })   // one alphabet
            #expect(t.alphabet != 2)                                                // too small for 5-way
            #expect(!t.supportDrawers.contains(t.queryDrawer))                      // query drawer differs
            for (i, supports) in t.supports.enumerated() {
                #expect(supports.count == 1)
                #expect(supports.allSatisfy { Self.generator.imageCharacters[$0] == t.characters[i] })
                #expect(supports.allSatisfy { t.supportDrawers.contains(Self.generator.imageDrawers[$0]) })
            }
            #expect(Self.generator.imageCharacters[t.query] == t.characters[t.answer])
            #expect(Self.generator.imageDrawers[t.query] == t.queryDrawer)
        }
        // Both big alphabets are used, and the answer is spread over the positions.
        #expect(Set(trials.map(\.alphabet)) == [0, 1])
        #expect(Set(trials.map(\.answer)).count == 5)
        let kShot = Self.generator.trials(ways: 3, shots: 3, count: 50, using: &g)
        #expect(kShot.allSatisfy { Set($0.supportDrawers).count == 3 && !$0.supportDrawers.contains($0.queryDrawer) })
    }

    @Test func sameSeedSameTrials() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let first = Self.generator.trials(ways: 4, count: 50, using: &a)
        #expect(first == Self.generator.trials(ways: 4, count: 50, using: &b))
        #expect(first != Self.generator.trials(ways: 4, count: 50, using: &c))
    }

    @Test func pixelBaselineOnAToySet() {
        // Each character's "pixels" are a distinct constant plus a drawer-specific wobble that
        // is smaller than the gap between characters: nearest-neighbour on pixels is always right.
        let g0 = Self.generator
        let pixels = Tensor(shape: [g0.imageCharacters.count, 4], scalars: g0.imageCharacters.indices.flatMap { i in
            (0..<4).map { Float(g0.imageCharacters[i]) * 10 + Float(g0.imageDrawers[i]) * 0.1 * Float($0) }
        })
        var g = SeededGenerator(seed: 3)
        let trials = g0.trials(ways: 5, count: 200, using: &g)
        #expect(score(trials, embeddings: pixels).accuracy == 1)
        // Identical images for every character: nearest is always position 0, right 1/5 of the time.
        let blank = Tensor.zeros([g0.imageCharacters.count, 4])
        let blankScore = score(trials, embeddings: blank)
        #expect(blankScore.correct == trials.filter { $0.answer == 0 }.count)
        let guess = randomGuess(g0.trials(ways: 5, count: 2000, using: &g), using: &g)
        #expect(abs(guess.accuracy - 0.2) < 0.03)
    }
}
