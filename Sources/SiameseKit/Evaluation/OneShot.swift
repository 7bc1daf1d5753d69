import Foundation

/// An accuracy measured over random trials, with its 95% confidence interval (normal
/// approximation to the binomial: ±1.96 √(p(1−p)/n)).
public struct TrialAccuracy: Sendable, CustomStringConvertible {
    public let correct: Int, trials: Int
    public var accuracy: Float { Float(correct) / Float(Swift.max(trials, 1)) }
    public var confidence95: Float { 1.96 * (accuracy * (1 - accuracy) / Float(Swift.max(trials, 1))).squareRoot() }
    public init(correct: Int, trials: Int) { self.correct = correct; self.trials = trials }
    public var description: String {
        // Rounded as `percent` rounds (from Double), so a table and a summary agree.
        "\(percent(accuracy)) ± \(fixed(Double(confidence95) * 100, 1)) (\(trials) trials)"
    }
}

/// N-way K-shot classification by nearest support embedding. A trial draws `ways` classes,
/// `shots` support examples of each (averaged into one prototype when K > 1, as in Snell et
/// al.'s prototypical networks) and one query from one of those classes, not among the
/// supports; it is correct when the query's nearest prototype (Euclidean) is its class.
/// Koch et al. (2015); Vinyals et al., "Matching Networks for One Shot Learning" (2016).
public func oneShotAccuracy(embeddings: Tensor, labels: [Int], ways: Int, shots: Int = 1, trials: Int,
                            using generator: inout SeededGenerator) -> TrialAccuracy {
    score(oneShotTrials(labels: labels, ways: ways, shots: shots, count: trials, using: &generator), embeddings: embeddings)
}

/// The trials `oneShotAccuracy` scores, drawn from class labels alone (MNIST: no alphabets,
/// no drawers): `ways` distinct classes, `shots` supports of each and one query of one of them
/// that is not among its supports. `characters` holds class positions among the classes with
/// more than `shots` examples; `supportDrawers` is empty and `queryDrawer` −1. Score them with
/// `score(_:embeddings:)` or a model's own scoring (`EmbeddingModel.accuracy(on:embeddings:row:)`).
public func oneShotTrials(labels: [Int], ways: Int, shots: Int = 1, count: Int,
                          using generator: inout SeededGenerator) -> [OneShotTrial] {
    let byClass = PairSampler(labels: labels).indicesByClass.filter { $0.count > shots }
    precondition(byClass.count >= ways, "oneShotAccuracy: \(ways)-way needs \(ways) classes with more than \(shots) examples")
    var trials: [OneShotTrial] = []
    for _ in 0..<count {
        var classes = Array(0..<byClass.count)
        classes.shuffle(using: &generator)
        let chosen = Array(classes.prefix(ways))
        let target = Int.random(in: 0..<ways, using: &generator)
        var supports: [[Int]] = [], query = -1
        for (w, c) in chosen.enumerated() {
            var members = byClass[c]
            members.shuffle(using: &generator)
            supports.append(Array(members.prefix(shots)))
            if w == target { query = members[shots] }
        }
        trials.append(OneShotTrial(alphabet: 0, characters: chosen, supports: supports, query: query, answer: target,
                                   supportDrawers: [], queryDrawer: -1))
    }
    return trials
}

/// Classifies every query by its nearest reference embedding (one or more references per class):
/// the one-shot test of "one reference image per digit, the whole test set". Returns the
/// accuracy and each query's predicted class.
public func nearestReferenceAccuracy(queries: Tensor, queryLabels: [Int], references: Tensor,
                                     referenceLabels: [Int]) -> (accuracy: Float, predicted: [Int]) {
    let distances = Distance.pairwiseL2(queries, references)          // [Q, R], one matrix product
    let nearest = (-distances).argmax(alongAxis: 1)
    let predicted = nearest.map { referenceLabels[$0] }
    return (accuracy(predicted: predicted, labels: queryLabels), predicted)
}

/// Precision@1: the fraction of examples whose nearest other example (Euclidean) has the
/// same class.
public func precisionAtOne(embeddings: Tensor, labels: [Int]) -> Float {
    var distances = Distance.pairwiseL2(embeddings, embeddings)
    let n = labels.count
    for i in 0..<n { distances.scalars[i * n + i] = .infinity }
    let nearest = (-distances).argmax(alongAxis: 1)
    return Float(nearest.enumerated().filter { labels[$1] == labels[$0] }.count) / Float(Swift.max(n, 1))
}

/// The accuracies of `nearestReferenceAccuracy` over several random choices of references.
public struct ReferenceOneShot: Sendable {
    public let accuracies: [Float]
    public var mean: Float { accuracies.reduce(0, +) / Float(Swift.max(accuracies.count, 1)) }
    public var low: Float { accuracies.min() ?? 0 }
    public var high: Float { accuracies.max() ?? 0 }
}

/// One-shot classification with one reference image per class, the test Chapters 04 and 05
/// report: `draws` times, pick one random example of each class from `references`, and classify
/// every image of `queries` by its nearest reference in `twin`'s embedding space.
public func referenceOneShot(_ twin: TwinNetwork, queries: LabeledImages, references: LabeledImages, draws: Int,
                             using generator: inout SeededGenerator) -> ReferenceOneShot {
    let queryEmbeddings = twin.embeddings(queries.images)
    let byClass = references.indicesByClass
    var accuracies: [Float] = []
    for _ in 0..<draws {
        let picks = byClass.indices.map { byClass[$0][Int.random(in: 0..<byClass[$0].count, using: &generator)] }
        accuracies.append(nearestReferenceAccuracy(queries: queryEmbeddings, queryLabels: queries.labels,
                                                   references: twin.embeddings(references.images.gatherRows(picks)),
                                                   referenceLabels: Array(byClass.indices)).accuracy)
    }
    return ReferenceOneShot(accuracies: accuracies)
}
