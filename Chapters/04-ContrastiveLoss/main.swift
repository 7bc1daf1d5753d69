// Chapter 04 · Contrastive loss
// =============================
//
// Chapter 03 trained a head to say "same" or "different". The contrastive loss skips the head
// and shapes the embedding space itself: drawings of the same digit are pulled together,
// different digits pushed at least a margin apart. Then plain distance is the similarity, and
// one-shot classification is "which reference image is nearest?".
//
//   * the loss, and the two label conventions of the seed texts;
//   * a 2-D embedding (as in the seed repository) before and after training, coloured by digit;
//   * distances of same and different pairs, the loss curve, and the effect of the margin;
//   * one-shot 10-way MNIST: one reference image per digit, every test digit classified by
//     its nearest reference, trained from scratch and from Chapter 02's classifier.
//
// Run: `swift run -c release 04-contrastive-loss` (a few minutes on two cores; run
// 02-convolutions first for the transfer comparison).

import SiameseKit

let book = Notebook(
    chapter: "04", title: "Contrastive loss", command: "04-contrastive-loss",
    abstract: "Chapter 04: contrastive loss on MNIST pairs, 2-D embeddings, margins, and one-shot 10-way classification.")

// MARK: 1. The loss and its two conventions
//
// Hadsell, Chopra and LeCun (2006): L = ½ (1 − Y) D² + ½ Y max(0, m − D)², where D is the
// distance between the two embeddings. Their Y is 0 for a similar pair. Koch et al. (2015)
// write y = 1 for "same". The two seed texts follow one each, and mixing them up silently
// trains the network backwards. Here a pair's label is `PairLabel.same` or `.different`; the
// numbers appear only inside the formulas (`hadsellY`, `kochTarget`).

book.section("The loss and its two conventions")
let distancesShown: [Float] = [0, 0.5, 1, 1.5, 2]
book.table(["distance D", "same pair: ½D²", "different pair, margin 1: ½max(0, 1 − D)²"], distancesShown.map { d in
    let same = contrastiveLoss(distances: Variable(Tensor([d])), labels: [.same], margin: 1).value.scalar
    let different = contrastiveLoss(distances: Variable(Tensor([d])), labels: [.different], margin: 1).value.scalar
    return [fixed(d, 1), fixed(same, 3), fixed(different, 3)]
})
book.result("Hadsell's Y for a same pair", "\(PairLabel.same.hadsellY);  Koch's y for a same pair: \(PairLabel.same.kochTarget)")
book.prose("""
    A same pair always costs something until its distance is 0. A different pair costs
    nothing once it is a margin apart: the loss does not push different digits to infinity,
    which is what keeps the space from blowing up.
    """)

// MARK: 2. A 2-D embedding you can look at
//
// With a 2-number embedding, as in the seed repository, every digit is a point in the plane.
// Before training, the classes overlap; after a few hundred steps of contrastive loss on
// balanced pairs, they form separate clusters.

book.section("A 2-D embedding you can look at")
let (train, test) = book.require { (try MNIST.load(.train, from: book.dataFolder), try MNIST.load(.test, from: book.dataFolder)) }
let trainSet = book.quick ? train.subset(first: 3000) : train
let testSet = book.quick ? test.subset(first: 1000) : test
let shown = testSet.subset(first: book.size(2000, quick: 500))
let sampler = PairSampler(labels: trainSet.labels)
let pairsPerStep = 64
var initGenerator = book.generator.split()
let flat = TwinNetwork(encoder: MNISTNetworks.encoder(embeddingSize: 2, using: &initGenerator))

/// A scatter of 2-D embeddings coloured by digit.
func embeddingFigure(_ points: Tensor, title: String) -> Figure {
    var figure = Figure(title: title, xLabel: "embedding 1", yLabel: "embedding 2")
    figure.scatter(x: (0..<points.shape[0]).map { points[$0, 0] }, y: (0..<points.shape[0]).map { points[$0, 1] },
                   classes: shown.labels, classNames: (0..<10).map { "digit \($0)" })
    figure.key = "outside right top"
    figure.width = 760
    figure.height = 600
    return figure
}
book.figure(embeddingFigure(flat.embeddings(shown.images), title: "2-D embeddings of test digits before training"),
            name: "embedding-before")
let flatMargin: Float = 2
let flatSteps = book.size(600, quick: 30)
var trainingGenerator = book.generator.split()
let flatRun = PairTraining.train(flat, images: trainSet.images, sampler: sampler, steps: flatSteps, pairsPerStep: pairsPerStep,
                                 optimizer: Adam(flat.parameters, learningRate: 1e-3), name: "2-D embedding",
                                 using: &trainingGenerator, report: { book.progress($0.progressLine()) }) { a, b, labels in
    contrastiveLoss(distances: Distance.l2(a, b), labels: labels, margin: flatMargin)
}
book.endProgress()
let flatEmbeddings = flat.embeddings(shown.images)
let flatPrecision = precisionAtOne(embeddings: flatEmbeddings, labels: shown.labels)
book.figure(embeddingFigure(flatEmbeddings, title: "2-D embeddings of test digits after \(flatSteps) steps of contrastive loss (margin \(fixed(flatMargin, 0)))"),
            name: "embedding-after")
if let warning = CollapseCheck.embeddings(flatEmbeddings) { print("  " + warning) }
book.result("trained", "\(flatSteps) steps of \(pairsPerStep) pairs in \(duration(flatRun.elapsed)), \(fixed(flatRun.examplesPerSecond, 0)) pairs/s")
book.result("precision@1 of the 2-D embedding (nearest other test digit has the same label)",
            percent(flatPrecision, 1))

// MARK: 3. Same and different distances
//
// The loss asked for two things: same pairs close, different pairs at least the margin apart.
// The histograms of test-pair distances show how well it got them.

book.section("Same and different distances")
let testPairs = PairSampler(labels: testSet.labels).batch(book.size(10_000, quick: 1000), using: &book.generator)
let flatDistances = PairTraining.scores(flat, images: testSet.images, first: testPairs.first, second: testPairs.second) {
    Distance.l2($0, $1)
}
let (sameDistances, differentDistances) = PairLabel.split(flatDistances, by: testPairs.labels)
book.result("same pairs closer than the margin", percent(Float(sameDistances.filter { $0 < flatMargin }.count) / Float(sameDistances.count), 1))
book.result("different pairs at least the margin apart", percent(Float(differentDistances.filter { $0 >= flatMargin }.count) / Float(differentDistances.count), 1))
book.figure(Figure.sameDifferentHistogram(flatDistances, labels: testPairs.labels,
                                          title: "Test-pair distances in the trained 2-D embedding (margin \(fixed(flatMargin, 0)))"),
            name: "distance-histograms")

// MARK: 4. The effect of the margin
//
// The margin sets the scale of the space: how far apart different digits must be before the
// loss stops pushing. We train the 32-number embedding the rest of the chapter uses for a short
// while with several margins and measure one-shot accuracy (section 5's test, on the whole test
// set, averaged over 5 draws of references).

book.section("The effect of the margin")
let embeddingSize = 32
let references = book.size(20, quick: 3)

var marginRows: [[String]] = []
var marginAccuracy: [Float] = []
let margins: [Float] = book.quick ? [1, 2] : [0.5, 1, 2, 4]
for margin in margins {
    var g = SeededGenerator(seed: book.options.seed &+ 100)
    let twin = TwinNetwork(encoder: MNISTNetworks.encoder(embeddingSize: embeddingSize, using: &g))
    let run = PairTraining.train(twin, images: trainSet.images, sampler: sampler, steps: book.size(250, quick: 15),
                                 pairsPerStep: pairsPerStep, optimizer: Adam(twin.parameters, learningRate: 1e-3),
                                 name: "margin \(fixed(margin, 1))", using: &g, report: { book.progress($0.progressLine()) }) { a, b, labels in
        contrastiveLoss(distances: Distance.l2(a, b), labels: labels, margin: margin)
    }
    book.endProgress()
    let result = referenceOneShot(twin, queries: testSet, references: trainSet, draws: 5, using: &g)
    marginAccuracy.append(result.mean)
    marginRows.append([fixed(margin, 1), fixed(run.recentLoss(), 4), percent(result.mean, 2), duration(run.elapsed)])
}
book.table(["margin", "final loss", "one-shot 10-way (5 draws)", "time"], marginRows)
let bestMargin = zip(margins, marginAccuracy).max { $0.1 < $1.1 }!
let growsWithMargin = marginAccuracy == marginAccuracy.sorted()
book.prose("""
    The loss values are not comparable across margins (a larger margin asks for more), but the
    one-shot accuracy is: after this short training it ranged from \(percent(marginAccuracy.min()!, 2)) to
    \(percent(marginAccuracy.max()!, 2)), best at margin \(fixed(bestMargin.0, 1)).
    \(growsWithMargin ? "Here it grew with the margin: a wider margin keeps more different pairs inside it, so more of them push, and the digits separate sooner. Train long enough and the network can rescale its embedding to any margin; early on, the margin sets the pace." : "The trend is not monotone in this run: the margin interacts with the scale the network chooses for its embedding.")
    """)
var marginFigure = Figure(title: "One-shot 10-way accuracy after a short training, by margin", xLabel: "margin", yLabel: "accuracy (%)")
marginFigure.logScaleX = 2
marginFigure.line("nearest reference, 5 draws", x: margins, y: marginAccuracy.map { $0 * 100 }, points: true)
book.figure(marginFigure, name: "margin")

// MARK: 5. One-shot 10-way MNIST
//
// The test the seed repository reports: pick one reference image of each digit (from the
// training set), and classify every one of the 10,000 test digits by its nearest reference in
// embedding space. No classifier, no output per class: only distances. One draw of references
// can be lucky or unlucky, so we average 20 draws and show the worst and best.
//
// Two starting points, same training: random weights, and Chapter 02's classifier (its
// convolutions and first dense layer, the seed repository's transfer step). Margin 4, which
// did best in section 4, and a learning rate cut tenfold for the last third of the steps so
// the embedding settles.

book.section("One-shot 10-way MNIST")
let margin: Float = 4
let steps = book.options.epochs.map { $0 * 900 } ?? book.size(3000, quick: 30)
var rows: [[String]] = []
var best: (name: String, accuracy: Float)? = nil
let classifierCheckpoint = book.checkpointURL("mnist-cnn", from: "02")
for start in ["random weights", "Chapter 02's classifier"] {
    var g = SeededGenerator(seed: book.options.seed &+ 200)
    let encoder = MNISTNetworks.encoder(embeddingSize: embeddingSize, using: &g)
    if start == "Chapter 02's classifier" {
        guard (try? MNISTNetworks.loadTrunk(into: encoder, from: classifierCheckpoint)) != nil else {
            book.result("transfer", "skipped: \(classifierCheckpoint.relativePath) not found; run 02-convolutions first")
            continue
        }
    }
    let twin = TwinNetwork(encoder: encoder)
    let run = PairTraining.train(twin, images: trainSet.images, sampler: sampler, steps: steps, pairsPerStep: pairsPerStep,
                                 optimizer: Adam(twin.parameters, learningRate: 5e-4), name: start, using: &g,
                                 schedule: { $0 <= 2 * steps / 3 ? 5e-4 : 5e-5 },
                                 report: { book.progress($0.progressLine()) }) { a, b, labels in
        contrastiveLoss(distances: Distance.l2(a, b), labels: labels, margin: margin)
    }
    book.endProgress()
    let result = referenceOneShot(twin, queries: testSet, references: trainSet, draws: references, using: &g)
    rows.append([start, percent(result.mean, 2), percent(result.low, 2), percent(result.high, 2), duration(run.elapsed)])
    if best == nil || result.mean > best!.accuracy {
        best = (start, result.mean)
        book.require {
            try Checkpoint.save(encoder, to: book.checkpointURL("contrastive-encoder"), metadata: [
                "chapter": "04", "start": start, "margin": "\(margin)", "steps": "\(steps)",
                "one_shot_10_way": fixed(result.mean, 4), "seed": "\(book.options.seed)",
            ])
        }
    }
}
book.table(["start", "one-shot 10-way, mean of \(references) draws", "worst draw", "best draw", "training time"], rows)
book.result("test digits", "\(testSet.labels.count); \(steps) steps of \(pairsPerStep) pairs (learning rate 5e-4, then 5e-5 for the last third), margin \(fixed(margin, 0)), 32-number embedding")
book.result("best encoder saved", "\(book.checkpointURL("contrastive-encoder").relativePath) (\(best?.name ?? "-"))")

// MARK: Summary and exercises

book.finish(summary: [
    "The contrastive loss pulls same pairs together and pushes different pairs to a margin; distance becomes the similarity.",
    "Hadsell writes Y = 0 for similar, Koch y = 1 for same; a named PairLabel makes the convention explicit.",
    "A 2-D embedding trained for \(flatSteps) steps puts \(percent(flatPrecision, 1)) of test digits next to one of their own digit (precision@1).",
    "One reference image per digit and nearest-neighbour search classify MNIST's test set at \(best.map { percent($0.accuracy, 2) } ?? "-") (\(best?.name ?? "-"), mean of \(references) draws).",
], exercises: [
    "Compute the contrastive loss of a same pair at distance 2 and of a different pair at distance 0.5 with margin 1 by hand.",
    "Show that a different pair beyond the margin contributes no gradient.",
    "Show that swapping the two images of every pair leaves the loss unchanged.",
    "Classify points by their nearest reference on a toy set where the answer is known.",
    "Check that the contrastive loss's gradient matches finite differences through the L2 distance.",
])
