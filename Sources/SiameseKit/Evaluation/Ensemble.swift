/// Several embedding models trained apart (other initialisations, other batches) and scored
/// as one: an ensemble (Dietterich 2000; for few-shot classification, Dvornik et al. 2019,
/// "Diversity with Cooperation"). In a trial every member scores the query against each
/// support character (`EmbeddingModel.characterScores`); a member's scores are divided by
/// their mean size over the trial's characters, so that no member outvotes the others by
/// having longer embeddings, and the members' scaled scores are added. The character with the
/// highest total wins. Members' mistakes are partly independent, so the sum errs less often
/// than any one of them, at the members' cost added up in training and in embedding.
public struct EmbeddingEnsemble {
    /// The models, all on the same input size.
    public let members: [EmbeddingModel]

    public init(_ members: [EmbeddingModel]) {
        precondition(!members.isEmpty, "EmbeddingEnsemble: no members")
        precondition(Set(members.map(\.card.side)).count == 1,
                     "EmbeddingEnsemble: members take different input sizes \(members.map(\.card.side))")
        self.members = members
    }

    /// The input side every member takes.
    public var side: Int { members[0].card.side }

    /// One-shot accuracy on `trials` over the images of `split` (resized to the members' input
    /// if needed); `shifts` and `turns` as in `EmbeddingModel.accuracy`. With one member, exactly
    /// that member's accuracy.
    public func accuracy(on trials: [OneShotTrial], of split: Omniglot, shifts: Bool = false, turns: Bool = false,
                         batchSize: Int = 256) -> TrialAccuracy {
        accuracies(on: trials, of: split, shifts: shifts, turns: turns, batchSize: batchSize).ensemble
    }

    /// Each member's accuracy alone and the ensemble's, on `trials` over the images of `split`,
    /// every image embedded once per member.
    public func accuracies(on trials: [OneShotTrial], of split: Omniglot, shifts: Bool = false, turns: Bool = false,
                           batchSize: Int = 256) -> (members: [TrialAccuracy], ensemble: TrialAccuracy) {
        let (order, position) = trialImageOrder(trials)
        var images = split.images(at: order)
        if split.side != side { images = Resampling.resize(images, toHeight: side, toWidth: side) }
        let embeddings = members.map { $0.embed(images, shifts: shifts, turns: turns, batchSize: batchSize) }
        let alone = zip(members, embeddings).map { member, table in member.accuracy(on: trials, embeddings: table) { position[$0]! } }
        return (alone, TrialAccuracy(trials) { combinedScores($0, embeddings: embeddings) { position[$0]! } })
    }

    /// The members' scores of `trial`'s characters, each member's divided by its mean absolute
    /// score over the characters, added up. `embeddings[m]` `[M, D_m]` are member `m`'s, with
    /// image `i` in row `row(i)`.
    public func combinedScores(_ trial: OneShotTrial, embeddings: [Tensor], row: (Int) -> Int) -> [Float] {
        precondition(embeddings.count == members.count,
                     "EmbeddingEnsemble: \(embeddings.count) embedding tables for \(members.count) members")
        var total = [Float](repeating: 0, count: trial.characters.count)
        for (member, table) in zip(members, embeddings) {
            let scores = member.characterScores(trial, embeddings: table, row: row)
            let size = scores.reduce(0) { $0 + Swift.abs($1) } / Float(scores.count)
            let scale = size > 0 ? 1 / size : 1
            for c in total.indices { total[c] += scores[c] * scale }
        }
        return total
    }
}
