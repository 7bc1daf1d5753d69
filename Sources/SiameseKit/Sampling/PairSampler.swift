/// Balanced batches of pairs: every same pair is matched by a different pair, so a model
/// cannot score well by always answering one way (with 10 classes, random pairs would be 90%
/// "different").
public struct PairSampler: Sendable {
    /// Indices of each class's examples.
    public let indicesByClass: [[Int]]

    /// A sampler over examples with these class labels (classes `0..<C`, each with ≥ 2 examples).
    public init(labels: [Int]) {
        let classes = (labels.max() ?? -1) + 1
        var byClass = [[Int]](repeating: [], count: classes)
        for (i, label) in labels.enumerated() { byClass[label].append(i) }
        self.init(indicesByClass: byClass)
    }

    public init(indicesByClass: [[Int]]) {
        let usable = indicesByClass.filter { $0.count >= 2 }
        precondition(usable.count >= 2, "PairSampler: need at least two classes with two examples each")
        self.indicesByClass = usable
    }

    /// `count` pairs (even), alternating same and different: indices of the first and second
    /// images and the label of each pair.
    public func batch(_ count: Int, using generator: inout SeededGenerator)
        -> (first: [Int], second: [Int], labels: [PairLabel]) {
        precondition(count > 0 && count % 2 == 0, "PairSampler: the batch size must be even, got \(count)")
        var first: [Int] = [], second: [Int] = [], labels: [PairLabel] = []
        for k in 0..<count {
            let c = Int.random(in: 0..<indicesByClass.count, using: &generator)
            let members = indicesByClass[c]
            let i = Int.random(in: 0..<members.count, using: &generator)
            first.append(members[i])
            if k % 2 == 0 {
                var j = Int.random(in: 0..<(members.count - 1), using: &generator)
                if j >= i { j += 1 }
                second.append(members[j])
                labels.append(.same)
            } else {
                var d = Int.random(in: 0..<(indicesByClass.count - 1), using: &generator)
                if d >= c { d += 1 }
                let others = indicesByClass[d]
                second.append(others[Int.random(in: 0..<others.count, using: &generator)])
                labels.append(.different)
            }
        }
        return (first, second, labels)
    }
}
