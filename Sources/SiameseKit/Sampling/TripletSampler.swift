/// Random triplets: an anchor, another example of its class (positive), an example of another
/// class (negative). No mining: most such triplets are already easy, which is why the batch
/// miners exist (`TripletMining`).
public struct TripletSampler: Sendable {
    public let pairs: PairSampler

    public init(labels: [Int]) { pairs = PairSampler(labels: labels) }

    /// `count` triplets of example indices.
    public func batch(_ count: Int, using generator: inout SeededGenerator)
        -> (anchors: [Int], positives: [Int], negatives: [Int]) {
        var anchors: [Int] = [], positives: [Int] = [], negatives: [Int] = []
        let byClass = pairs.indicesByClass
        for _ in 0..<count {
            let c = Int.random(in: 0..<byClass.count, using: &generator)
            let i = Int.random(in: 0..<byClass[c].count, using: &generator)
            var j = Int.random(in: 0..<(byClass[c].count - 1), using: &generator)
            if j >= i { j += 1 }
            var d = Int.random(in: 0..<(byClass.count - 1), using: &generator)
            if d >= c { d += 1 }
            anchors.append(byClass[c][i])
            positives.append(byClass[c][j])
            negatives.append(byClass[d][Int.random(in: 0..<byClass[d].count, using: &generator)])
        }
        return (anchors, positives, negatives)
    }
}

/// "P classes × K examples" batches, the batches triplet mining needs: every anchor then has
/// K − 1 positives and (P − 1)·K negatives in its batch. Hermans, Beyer and Leibe (2017).
public struct ClassBatchSampler: Sendable {
    public let classes: Int, perClass: Int
    public let indicesByClass: [[Int]]

    public init(labels: [Int], classes p: Int, perClass k: Int) {
        let pairs = PairSampler(labels: labels)
        precondition(p >= 2 && p <= pairs.indicesByClass.count,
                     "ClassBatchSampler: P = \(p) classes per batch, but there are \(pairs.indicesByClass.count)")
        precondition(k >= 2, "ClassBatchSampler: K must be at least 2")
        classes = p
        perClass = k
        indicesByClass = pairs.indicesByClass
    }

    /// One batch of P·K indices, class by class; examples are drawn without repeats within a
    /// class when it has at least K of them.
    public func batch(using generator: inout SeededGenerator) -> [Int] {
        var chosen = Array(0..<indicesByClass.count)
        chosen.shuffle(using: &generator)
        var batch: [Int] = []
        for c in chosen.prefix(classes) {
            let members = indicesByClass[c]
            if members.count >= perClass {
                var pool = members
                for k in 0..<perClass {
                    let j = Int.random(in: k..<pool.count, using: &generator)
                    pool.swapAt(k, j)
                    batch.append(pool[k])
                }
            } else {
                for _ in 0..<perClass { batch.append(members[Int.random(in: 0..<members.count, using: &generator)]) }
            }
        }
        return batch
    }
}
