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
/// With `groups` (the group of each class, e.g. its alphabet) and `groupsPerBatch`, a batch's
/// classes come from that many random groups, P / groups of each (topped up from further
/// groups when one is smaller), so negatives are as alike as the test's: "train as you test"
/// (Vinyals et al. 2016) for within-alphabet trials.
public struct ClassBatchSampler: Sendable {
    public let classes: Int, perClass: Int
    public let indicesByClass: [[Int]]
    /// Classes by group, or nil: classes drawn from all at once.
    public let classesByGroup: [[Int]]?
    public let groupsPerBatch: Int

    public init(labels: [Int], classes p: Int, perClass k: Int, groups: [Int]? = nil, groupsPerBatch: Int = 1) {
        let pairs = PairSampler(labels: labels)
        precondition(p >= 2 && p <= pairs.indicesByClass.count,
                     "ClassBatchSampler: P = \(p) classes per batch, but there are \(pairs.indicesByClass.count)")
        precondition(k >= 2, "ClassBatchSampler: K must be at least 2")
        precondition(groupsPerBatch >= 1, "ClassBatchSampler: groupsPerBatch must be at least 1")
        classes = p
        perClass = k
        indicesByClass = pairs.indicesByClass
        self.groupsPerBatch = groupsPerBatch
        if let groups {
            precondition(groups.count == pairs.indicesByClass.count,
                         "ClassBatchSampler: \(groups.count) group labels for \(pairs.indicesByClass.count) classes")
            classesByGroup = Dictionary(grouping: groups.indices, by: { groups[$0] }).sorted { $0.key < $1.key }.map(\.value)
        } else {
            classesByGroup = nil
        }
    }

    /// The P classes of one batch.
    func batchClasses(using generator: inout SeededGenerator) -> [Int] {
        guard let classesByGroup else {
            var chosen = Array(0..<indicesByClass.count)
            chosen.shuffle(using: &generator)
            return Array(chosen.prefix(classes))
        }
        var order = Array(classesByGroup.indices)
        order.shuffle(using: &generator)
        let quota = (classes + groupsPerBatch - 1) / groupsPerBatch
        var chosen: [Int] = []
        for g in order where chosen.count < classes {
            var members = classesByGroup[g]
            members.shuffle(using: &generator)
            chosen += members.prefix(Swift.min(quota, classes - chosen.count))
        }
        return chosen
    }

    /// One batch of P·K indices, class by class; examples are drawn without repeats within a
    /// class when it has at least K of them.
    public func batch(using generator: inout SeededGenerator) -> [Int] {
        var batch: [Int] = []
        for c in batchClasses(using: &generator) {
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
