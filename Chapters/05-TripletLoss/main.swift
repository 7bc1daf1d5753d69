// Chapter 05 · Triplet loss
// =========================
//
// The contrastive loss looks at one pair at a time and wants absolute distances: same pairs
// at 0, different pairs beyond the margin. The triplet loss asks only for an order: an anchor
// should be closer to a positive (same class) than to a negative (another class), by a margin.
// Which triplets to train on then matters more than anything else: most random triplets are
// already satisfied and teach nothing. This chapter compares the ways of choosing them.
//
//   * the loss with a hard margin and with the soft margin (softplus);
//   * random triplets against batch-all, batch-hard and semi-hard mining in P x K batches;
//   * a table of one-shot accuracy and training time, with Chapter 04's contrastive loss;
//   * an embedding figure, and a deliberate collapse, shown and diagnosed.
//
// Run: `swift run -c release 05-triplet-loss` (a few minutes on two cores).

import SiameseKit

let book = Notebook(
    chapter: "05", title: "Triplet loss", command: "05-triplet-loss",
    abstract: "Chapter 05: triplet loss with batch-all, batch-hard and semi-hard mining on MNIST, and a collapse.")

// MARK: 1. Anchor, positive, negative
//
// With d⁺ = d(anchor, positive) and d⁻ = d(anchor, negative), the hard-margin loss is
// max(0, d⁺ − d⁻ + m) (Schroff et al., FaceNet, 2015): zero once the negative is a margin
// farther than the positive. The soft margin, log(1 + e^(d⁺ − d⁻)) (Hermans et al. 2017), never
// quite reaches zero, so every triplet keeps pulling a little, and there is no m to choose.

book.section("Anchor, positive, negative")
book.table(["d+", "d-", "hard margin 1", "soft margin"], [(0.5, 2.0), (1.0, 1.5), (1.0, 1.0), (2.0, 1.0)].map { (p: Float, n: Float) in
    let dap = Variable(Tensor([p])), dan = Variable(Tensor([n]))
    return [fixed(p, 1), fixed(n, 1), fixed(TripletMargin.hard(1).loss(positive: dap, negative: dan).value.scalar, 3),
            fixed(TripletMargin.soft.loss(positive: dap, negative: dan).value.scalar, 3)]
})

// MARK: 2. Mining inside a batch
//
// Hermans, Beyer and Leibe (2017) build each batch from P classes with K images each. Every
// image is an anchor; its K − 1 classmates are positives and the other (P − 1)·K images
// negatives. From the matrix of all pairwise distances (one matrix product) a miner picks:
// batch-all, every valid triplet; batch-hard, each anchor's farthest positive and nearest
// negative; semi-hard (FaceNet), for each positive the nearest negative that is still farther.

book.section("Mining inside a batch")
let (train, test) = book.require { (try MNIST.load(.train, from: book.dataFolder), try MNIST.load(.test, from: book.dataFolder)) }
let trainSet = book.quick ? train.subset(first: 3000) : train
let testSet = book.quick ? test.subset(first: 1000) : test
let embeddingSize = 32
let (p, k) = (8, 8)
let classBatches = ClassBatchSampler(labels: trainSet.labels, classes: p, perClass: k)
var probeGenerator = book.generator.split()
let probeEncoder = MNISTNetworks.encoder(embeddingSize: embeddingSize, using: &probeGenerator)
let probeBatch = classBatches.batch(using: &probeGenerator)
let probeEmbeddings = withoutGradients { probeEncoder(trainSet.images.gatherRows(probeBatch)) }
book.table(["mining", "triplets in one 8x8 batch", "violating margin 1 (untrained)"], [TripletMining.batchAll, .batchHard, .semiHard].map { mining in
    let (_, stats) = batchTripletLoss(embeddings: probeEmbeddings, labels: probeBatch.map { trainSet.labels[$0] }, mining: mining, margin: .hard(1))
    return [mining.description, "\(stats.triplets)", "\(stats.active)"]
})

// MARK: 3. Which triplets to learn from
//
// Seven ways to spend the same budget: the same number of steps, each on 64 images. Random
// triplets need no batch structure; the miners use 8 digits x 8 images; Chapter 04's
// contrastive loss sees 32 pairs. Afterwards, the one-shot test of Chapter 04: one reference
// image per digit, every test digit classified by its nearest reference, 10 draws.

book.section("Which triplets to learn from")
let steps = book.options.epochs.map { $0 * 400 } ?? book.size(500, quick: 15)
let draws = book.size(10, quick: 2)

/// Nearest-reference one-shot accuracy over the test set, averaged over `draws` reference choices.
@MainActor func oneShot(_ encoder: any Layer, using generator: inout SeededGenerator) -> Float {
    referenceOneShot(TwinNetwork(encoder: encoder), queries: testSet, references: trainSet, draws: draws, using: &generator).mean
}

struct Method { let name: String; let mining: TripletMining?; let margin: TripletMargin?; let contrastive: Bool }
let methods = [
    Method(name: "random triplets, margin 1", mining: nil, margin: .hard(1), contrastive: false),
    Method(name: "batch-all, margin 1", mining: .batchAll, margin: .hard(1), contrastive: false),
    Method(name: "batch-hard, margin 1", mining: .batchHard, margin: .hard(1), contrastive: false),
    Method(name: "semi-hard, margin 1", mining: .semiHard, margin: .hard(1), contrastive: false),
    Method(name: "batch-hard, soft margin", mining: .batchHard, margin: .soft, contrastive: false),
    Method(name: "batch-all, soft margin", mining: .batchAll, margin: .soft, contrastive: false),
    Method(name: "contrastive pairs, margin 4 (Chapter 04's loss)", mining: nil, margin: nil, contrastive: true),
]
var rows: [[String]] = []
var results: [(name: String, accuracy: Float, encoder: Sequential, losses: [Float])] = []
for method in methods {
    var g = SeededGenerator(seed: book.options.seed &+ 300)
    let encoder = MNISTNetworks.encoder(embeddingSize: embeddingSize, using: &g)
    let optimizer = Adam(encoder.parameters, learningRate: 5e-4)
    let run: TrainingRun
    if method.contrastive {
        run = PairTraining.train(TwinNetwork(encoder: encoder), images: trainSet.images, sampler: PairSampler(labels: trainSet.labels),
                                 steps: steps, pairsPerStep: 32, optimizer: optimizer, name: method.name, using: &g,
                                 report: { book.progress($0.progressLine()) }) { a, b, labels in
            contrastiveLoss(distances: Distance.l2(a, b), labels: labels, margin: 4)
        }
    } else if let mining = method.mining {
        run = PairTraining.trainTriplets(encoder, images: trainSet.images, labels: trainSet.labels, sampler: classBatches, steps: steps,
                                         optimizer: optimizer, mining: mining, margin: method.margin!, name: method.name, using: &g,
                                         report: { run, _ in book.progress(run.progressLine(unit: "images")) })
    } else {
        let sampler = TripletSampler(labels: trainSet.labels)
        let twin = TwinNetwork(encoder: encoder)
        run = TrainingRun(name: method.name, steps: steps, examplesPerStep: 21)
        encoder.setTraining(true)
        for step in 1...steps {
            let t = sampler.batch(21, using: &g)          // 21 triplets = 63 images
            run.record(trainStep(optimizer) {
                let (a, pos, neg) = twin(anchor: trainSet.images.gatherRows(t.anchors), positive: trainSet.images.gatherRows(t.positives),
                                         negative: trainSet.images.gatherRows(t.negatives))
                return tripletLoss(anchor: a, positive: pos, negative: neg, margin: method.margin!)
            })
            if step % 25 == 0 { book.progress(run.progressLine(unit: "triplets")) }
        }
    }
    book.endProgress()
    let accuracy = oneShot(encoder, using: &g)
    results.append((method.name, accuracy, encoder, run.losses))
    rows.append([method.name, percent(accuracy, 2), fixed(run.recentLoss(), 4), duration(run.elapsed)])
}
// Chapter 04's own model, trained six times longer from Chapter 02's weights, for scale.
let chapter04 = book.checkpointURL("contrastive-encoder", from: "04")
var chapter04Generator = SeededGenerator(seed: book.options.seed &+ 300)
let chapter04Encoder = MNISTNetworks.encoder(embeddingSize: embeddingSize, using: &chapter04Generator)
if let metadata = try? Checkpoint.load(into: chapter04Encoder, from: chapter04) {
    rows.append(["Chapter 04's saved encoder (\(metadata["steps"] ?? "?") steps, \(metadata["start"] ?? "?"))",
                 percent(oneShot(chapter04Encoder, using: &chapter04Generator), 2), "-", "see Chapter 04"])
} else {
    rows.append(["Chapter 04's saved encoder", "run 04-contrastive-loss first", "-", "-"])
}
book.table(["training", "one-shot 10-way (mean of \(draws) draws)", "final loss", "time"], rows)
let winner = results.max { $0.accuracy < $1.accuracy }!
book.prose("""
    Each of the first seven rows spent \(steps) steps on 64 images. Random triplets are mostly easy: once the digits
    are roughly apart, nearly all satisfy the margin and the gradient vanishes. Mining keeps the
    hard ones in play. Best here: \(winner.name), \(percent(winner.accuracy, 2)). Final losses are
    not comparable between rows: each loss averages over different triplets.
    """)
book.require {
    try Checkpoint.save(winner.encoder, to: book.checkpointURL("triplet-encoder"),
                        metadata: ["chapter": "05", "training": winner.name, "one_shot_10_way": fixed(winner.accuracy, 4)])
}

// MARK: 4. The embedding
//
// The 32-number embedding of the best model, projected on its two principal directions (the
// plane in which the points spread most). Each digit is its own cloud.

book.section("The embedding")
let shown = testSet.subset(first: book.size(2000, quick: 500))
let projected = Projection.pca2(TwinNetwork(encoder: winner.encoder).embeddings(shown.images))
var embeddingFigure = Figure(title: "Test digits in the \(winner.name) embedding (first two principal components)",
                             xLabel: "component 1", yLabel: "component 2")
embeddingFigure.scatter(x: (0..<shown.count).map { projected[$0, 0] }, y: (0..<shown.count).map { projected[$0, 1] },
                        classes: shown.labels, classNames: (0..<10).map { "digit \($0)" })
embeddingFigure.key = "outside right top"
embeddingFigure.width = 760
embeddingFigure.height = 600
book.figure(embeddingFigure, name: "embedding")

// MARK: 5. A collapse, on purpose
//
// The failure users of Siamese code report most: the loss drops to a constant, the margin,
// and stays there. Every image has been mapped to the same point, so d⁺ = d⁻ = 0 and the loss
// is exactly m, with no gradient to escape. Here we cause it with a learning rate six hundred
// times too large (0.3 instead of 0.0005) on batch-hard mining: the first Adam steps move every
// weight so far that the ReLUs stop firing, the encoder outputs a constant, and the library's
// check diagnoses what happened.

book.section("A collapse, on purpose")
var collapseGenerator = SeededGenerator(seed: book.options.seed &+ 400)
let collapsing = MNISTNetworks.encoder(embeddingSize: embeddingSize, using: &collapseGenerator)
var warning: String? = nil
var lastStats: TripletBatchStats? = nil
let collapseRun = PairTraining.trainTriplets(collapsing, images: trainSet.images, labels: trainSet.labels, sampler: classBatches,
                                             steps: book.size(150, quick: 60), optimizer: Adam(collapsing.parameters, learningRate: 0.3),
                                             mining: .batchHard, margin: .hard(1), name: "learning rate 0.3",
                                             using: &collapseGenerator, reportEvery: 5,
                                             report: { _, stats in lastStats = stats },
                                             warn: { warning = $0 })        // the training loop's own collapse check
let collapsedEmbeddings = TwinNetwork(encoder: collapsing).embeddings(testSet.images.rows(0..<200))
let embeddingWarning = CollapseCheck.embeddings(collapsedEmbeddings)
book.result("final loss", "\(fixed(collapseRun.recentLoss(window: 10), 4)) (the margin is 1)")
book.result("last batch", "mean d+ \(fixed(lastStats?.meanPositiveDistance ?? 0, 5)), mean d- \(fixed(lastStats?.meanNegativeDistance ?? 0, 5))")
book.result("one-shot 10-way of the collapsed model", percent(oneShot(collapsing, using: &collapseGenerator), 1))
print("  " + (warning ?? embeddingWarning ?? "no collapse detected in this run (try a larger learning rate)"))
let peak = collapseRun.losses.max() ?? 0
var collapseFigure = Figure(title: "Batch-hard loss, healthy and collapsed (axis cut at 3; the collapse first peaks at \(fixed(peak, 0)))",
                            xLabel: "step", yLabel: "loss (margin 1)")
collapseFigure.yRange = 0...3
let healthyLosses = Array(results.first { $0.name == "batch-hard, margin 1" }!.losses.prefix(collapseRun.losses.count))
collapseFigure.line("learning rate 0.0005 (section 3)", x: (1...healthyLosses.count).map(Double.init), y: healthyLosses)
collapseFigure.line("learning rate 0.3 (collapses)", x: (1...collapseRun.losses.count).map(Double.init), y: collapseRun.losses)
collapseFigure.key = "inside top right opaque"
book.figure(collapseFigure, name: "collapse")

// MARK: Summary and exercises

book.finish(summary: [
    "The triplet loss asks for an order, d+ + m < d-, instead of absolute distances.",
    "In P x K batches one distance matrix gives every triplet; the miner decides which ones count.",
    "With the same budget, \(winner.name) reached \(percent(winner.accuracy, 2)) one-shot 10-way accuracy on MNIST.",
    "A collapse maps every image to one point: the loss sits at the margin and distances are 0; CollapseCheck flags it.",
], exercises: [
    "Compute the hard-margin and soft-margin losses for d+ = 1, d- = 3, m = 1 by hand.",
    "List the batch-all triplets of a batch with classes [0, 0, 1, 1] and check their count (8).",
    "Find batch-hard's triplet for an anchor on a line of points by hand.",
    "Show that a P x K batch has P classes with K examples each and no repeats.",
    "Show that identical embeddings give a batch-hard loss equal to the margin and trigger the collapse warning.",
])
