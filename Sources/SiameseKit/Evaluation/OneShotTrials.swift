/// One N-way K-shot trial of the within-alphabet protocol of Koch, Zemel and Salakhutdinov (2015):
/// N characters of one alphabet, K support drawings of each by the support drawers, and one
/// query drawing of one of them by a different drawer.
public struct OneShotTrial: Sendable, Equatable {
    public let alphabet: Int
    /// The N characters, in support order.
    public let characters: [Int]
    /// Image indices of the supports: `supports[i]` holds K drawings of `characters[i]`.
    public let supports: [[Int]]
    /// The image index of the query.
    public let query: Int
    /// The position in `characters` of the query's character: the right answer.
    public let answer: Int
    /// Who drew the supports, and who drew the query (never one of them).
    public let supportDrawers: [Int]
    public let queryDrawer: Int
}

/// Draws seeded one-shot trials from a data set with alphabet, character and drawer structure
/// (Omniglot's), and scores them.
public struct OneShotTrialGenerator: Sendable {
    /// The alphabet of each character.
    public let characterAlphabet: [Int]
    /// For each image, its character and its drawer.
    public let imageCharacters: [Int], imageDrawers: [Int]
    private let imageOf: [[Int: Int]]            // per character: drawer -> image index

    public init(characterAlphabet: [Int], imageCharacters: [Int], imageDrawers: [Int]) {
        precondition(imageCharacters.count == imageDrawers.count, "OneShotTrialGenerator: tables disagree")
        self.characterAlphabet = characterAlphabet
        self.imageCharacters = imageCharacters
        self.imageDrawers = imageDrawers
        var imageOf = [[Int: Int]](repeating: [:], count: characterAlphabet.count)
        for (image, character) in imageCharacters.enumerated() { imageOf[character][imageDrawers[image]] = image }
        self.imageOf = imageOf
    }

    /// The generator for an Omniglot split.
    public init(_ omniglot: Omniglot) {
        self.init(characterAlphabet: omniglot.characters.map(\.alphabet), imageCharacters: omniglot.imageCharacters,
                  imageDrawers: omniglot.imageDrawers)
    }

    /// `count` trials of `ways` characters with `shots` supports each. Each trial picks an
    /// alphabet with at least `ways` characters, `ways` distinct characters of it, `shots`
    /// support drawers and one different query drawer who drew all of them, and the query's
    /// character uniformly. The same generator state gives the same trials.
    public func trials(ways: Int, shots: Int = 1, count: Int = 400, using generator: inout SeededGenerator) -> [OneShotTrial] {
        let alphabets = Dictionary(grouping: characterAlphabet.indices, by: { characterAlphabet[$0] })
            .filter { $0.value.count >= ways }.sorted { $0.key < $1.key }
        precondition(!alphabets.isEmpty, "one-shot trials: no alphabet has \(ways) characters")
        var result: [OneShotTrial] = []
        while result.count < count {
            let (alphabet, members) = alphabets[Int.random(in: 0..<alphabets.count, using: &generator)]
            var chosen = members
            chosen.shuffle(using: &generator)
            let characters = Array(chosen.prefix(ways))
            var drawers = characters.dropFirst().reduce(Set(imageOf[characters[0]].keys)) { $0.intersection(imageOf[$1].keys) }
                .sorted()
            guard drawers.count > shots else { continue }          // not enough common drawers: draw again
            drawers.shuffle(using: &generator)
            let supportDrawers = Array(drawers.prefix(shots)), queryDrawer = drawers[shots]
            let answer = Int.random(in: 0..<ways, using: &generator)
            result.append(OneShotTrial(alphabet: alphabet, characters: characters,
                                       supports: characters.map { c in supportDrawers.map { imageOf[c][$0]! } },
                                       query: imageOf[characters[answer]][queryDrawer]!, answer: answer,
                                       supportDrawers: supportDrawers, queryDrawer: queryDrawer))
        }
        return result
    }
}

/// Scores trials by nearest prototype: each character's supports are averaged in embedding
/// space (`embeddings` is `[images, D]`, indexed by image), and the trial is right when the
/// query is nearest (Euclidean) to its own character's prototype. With raw pixels as the
/// embeddings this is the nearest-neighbour pixel baseline.
public func score(_ trials: [OneShotTrial], embeddings: Tensor) -> TrialAccuracy {
    let d = embeddings.shape[1]
    var correct = 0
    for trial in trials {
        var best = Float.infinity, guess = -1
        for (position, supports) in trial.supports.enumerated() {
            var distance: Float = 0
            for j in 0..<d {
                var prototype: Float = 0
                for s in supports { prototype += embeddings.scalars[s * d + j] }
                let diff = prototype / Float(supports.count) - embeddings.scalars[trial.query * d + j]
                distance += diff * diff
            }
            if distance < best { best = distance; guess = position }
        }
        if guess == trial.answer { correct += 1 }
    }
    return TrialAccuracy(correct: correct, trials: trials.count)
}

/// The random-guess baseline on the same trials: a uniformly random character per trial.
public func randomGuess(_ trials: [OneShotTrial], using generator: inout SeededGenerator) -> TrialAccuracy {
    let correct = trials.filter { Int.random(in: 0..<$0.characters.count, using: &generator) == $0.answer }.count
    return TrialAccuracy(correct: correct, trials: trials.count)
}
