// Chapter 03 · The twin network
// =============================
//
// A classifier answers "which of my ten classes is this?". One-shot learning needs a different
// question: "do these two images show the same thing?", because that question still makes
// sense for a class the network has never seen. A Siamese (twin) network answers it: one
// encoder turns each image into an embedding, and a head compares the two embeddings.
//
//   * the twins share their weights because there is only one encoder;
//   * distances between untrained embeddings already carry some signal;
//   * a classifier has no answer for a new class, a similarity function does;
//   * Koch et al.'s head (a weighted L1 distance and a sigmoid) trained on MNIST pairs, next to
//     the design one seed blog starts from (the two embeddings concatenated into a dense layer
//     with a sigmoid), trained on the same pairs for the same number of steps.
//
// Run: `swift run -c release 03-twin-network` (about two minutes on two cores).

import SiameseKit

let book = Notebook(
    chapter: "03", title: "The twin network", command: "03-twin-network",
    abstract: "Chapter 03: a Siamese network on MNIST pairs; Koch's L1 head against concatenation.")

// MARK: 1. One encoder, two inputs
//
// The encoder is Chapter 02's convolutional trunk with a 32-number output: an embedding. The
// "twin" is not a second network. Both images of a pair go through the same encoder object
// (stacked into one batch), so the weights are identical by construction, and during training
// the gradients from both sides add up in the one set of parameters.

book.section("One encoder, two inputs")
let (train, test) = book.require { (try MNIST.load(.train, from: book.dataFolder), try MNIST.load(.test, from: book.dataFolder)) }
let trainSet = book.quick ? train.subset(first: 3000) : train
let testSet = book.quick ? test.subset(first: 1000) : test
let embeddingSize = 32
/// A new encoder, always with the same initial weights: every twin in this chapter starts equal.
@MainActor func freshEncoder() -> Sequential {
    var g = SeededGenerator(seed: book.options.seed &+ 1)
    return MNISTNetworks.encoder(embeddingSize: embeddingSize, using: &g)
}
let encoder = freshEncoder()
let twin = TwinNetwork(encoder: encoder)
let pair = (testSet.images.rows(0..<2), testSet.images.rows(2..<4))
let (left, right) = twin(pair.0, pair.1)
book.result("encoder", "[N, 1, 28, 28] -> [N, \(embeddingSize)], \(encoder.parameterCount) parameters")
book.result("a batch of 2 pairs", "left embeddings \(left.shape), right embeddings \(right.shape)")
book.result("parameters of the twin", "\(twin.parameters.count) tensors, \(encoder.parameterCount) numbers: one encoder, not two")

// MARK: 2. Distances before any training
//
// Even random convolution filters keep some of the image: two drawings of the same digit tend
// to land closer than drawings of different digits. We measure that with balanced test pairs
// (half same, half different) and the area under the ROC curve: the probability that a random
// same pair is closer than a random different pair (0.5 is chance, 1 is perfect).

book.section("Distances before any training")
let testPairs = PairSampler(labels: testSet.labels).batch(book.size(10_000, quick: 1000), using: &book.generator)
let untrained = PairTraining.scores(twin, images: testSet.images, first: testPairs.first, second: testPairs.second) {
    Distance.l2($0, $1)
}
let (sameUntrained, differentUntrained) = PairLabel.split(untrained, by: testPairs.labels)
let untrainedROC = ROCCurve(scores: untrained.map { -$0 }, labels: testPairs.labels)
book.result("mean distance, same digit", fixed(sameUntrained.reduce(0, +) / Float(sameUntrained.count), 3))
book.result("mean distance, different digits", fixed(differentUntrained.reduce(0, +) / Float(differentUntrained.count), 3))
book.result("ROC area of the untrained distance", fixed(untrainedROC.area, 3))
book.figure(Figure.sameDifferentHistogram(untrained, labels: testPairs.labels,
                                          title: "Distances between untrained embeddings of test pairs", bins: 40),
            name: "untrained-distances")

// MARK: 3. Why a classifier cannot add a class
//
// Chapter 02's classifier ends in ten outputs, one per digit. Show it a shirt and it must
// still answer with a digit; there is no output for "shirt", and adding one means retraining
// with many labelled shirts. A similarity function needs no output per class: to recognise a
// new class from one example, compare against that example.

book.section("Why a classifier cannot add a class")
let fashion = book.require { try MNIST.load(.test, variant: .fashion, from: book.dataFolder) }.subset(first: book.size(2000, quick: 500))
let classifierURL = book.checkpointURL("mnist-cnn", from: "02")
var classifierGenerator = SeededGenerator(seed: 0)
let classifier = MNISTNetworks.classifier(using: &classifierGenerator)
if (try? Checkpoint.load(into: classifier, from: classifierURL)) != nil {
    let probabilities = softmax(outputs(classifier, images: fashion.images))
    let confidence = probabilities.max(alongAxis: 1).mean()
    let votes = probabilities.argmax(alongAxis: 1)
    let favourite = (0..<10).max { d1, d2 in votes.filter { $0 == d1 }.count < votes.filter { $0 == d2 }.count }!
    book.result("Chapter 02's classifier on \(fashion.count) Fashion-MNIST items", "every one called a digit, mean confidence \(percent(confidence))")
    book.result("its favourite answer", "\(favourite) (\(votes.filter { $0 == favourite }.count) items)")
} else {
    book.result("Chapter 02's classifier", "not found at \(classifierURL.relativePath); run 02-convolutions first to see it answer digits for clothes")
}

// MARK: 4. Koch's head: a weighted L1 distance
//
// Koch, Zemel and Salakhutdinov (2015) score a pair by p = σ(Σⱼ αⱼ |aⱼ − bⱼ| + β): the
// coordinate-wise distances, weighted and squashed into a probability of "same". It is
// symmetric, and it can only use how far apart the embeddings are. Trained with binary
// cross-entropy on balanced pairs (label `.same` is target 1, as in Koch's paper).

book.section("Koch's head: a weighted L1 distance")
let steps = book.options.epochs.map { $0 * 500 } ?? book.size(800, quick: 30)
let pairsPerStep = 64
let sampler = PairSampler(labels: trainSet.labels)

/// Trains `twin` and a head (its parameters and its logit of "same") with binary cross-entropy
/// on the same sequence of balanced pairs for every head, then scores the test pairs.
@MainActor func trainHead(_ twin: TwinNetwork, head: [Variable], name: String,
               logits: @escaping (Variable, Variable) -> Variable) -> (run: TrainingRun, scores: [Float]) {
    var pairs = SeededGenerator(seed: book.options.seed &+ 2)
    let run = PairTraining.train(twin, images: trainSet.images, sampler: sampler, steps: steps, pairsPerStep: pairsPerStep,
                                 optimizer: Adam(twin.parameters + head, learningRate: 1e-3), name: name, using: &pairs,
                                 report: { book.progress($0.progressLine()) }) { a, b, labels in
        binaryCrossEntropy(logits: logits(a, b), labels: labels)
    }
    book.endProgress()
    return (run, PairTraining.scores(twin, images: testSet.images, first: testPairs.first, second: testPairs.second, score: logits))
}

var headGenerator = SeededGenerator(seed: book.options.seed &+ 3)
let kochHead = KochHead(embeddingSize: embeddingSize, using: &headGenerator)
let (kochRun, kochScores) = trainHead(twin, head: kochHead.parameters, name: "Koch L1 head") { kochHead.logits($0, $1) }
let kochROC = ROCCurve(scores: kochScores, labels: testPairs.labels)
let kochAccuracy = ROCCurve.accuracy(scores: kochScores, labels: testPairs.labels, threshold: 0)   // p ≥ 0.5
book.result("trained", "\(steps) steps of \(pairsPerStep) pairs in \(duration(kochRun.elapsed)) (\(fixed(kochRun.examplesPerSecond, 0)) pairs/s)")
book.result("verification accuracy on \(testPairs.labels.count) test pairs (p ≥ 0.5)", percent(kochAccuracy, 2))
book.result("ROC area", fixed(kochROC.area, 4))

// MARK: 5. The design that does not work well
//
// A seed blog starts from the obvious design: concatenate the two embeddings and feed them to a
// dense layer with a sigmoid, p = σ(u·a + v·b + c), and admits it "does not work well". It
// promised to show the gap; here it is, measured. The same initial encoder weights, the same
// pairs in the same order, the same number of steps; only the head differs.

book.section("The design that does not work well")
let concatTwin = TwinNetwork(encoder: freshEncoder())
var concatHeadGenerator = SeededGenerator(seed: book.options.seed &+ 3)
let concatHead = ConcatenationHead(embeddingSize: embeddingSize, using: &concatHeadGenerator)
let (concatRun, concatScores) = trainHead(concatTwin, head: concatHead.parameters, name: "concatenation head") {
    concatHead.logits($0, $1)
}
let concatROC = ROCCurve(scores: concatScores, labels: testPairs.labels)
let concatAccuracy = ROCCurve.accuracy(scores: concatScores, labels: testPairs.labels, threshold: 0)
book.table(["head", "test accuracy", "ROC area", "final loss", "training time"], [
    ["untrained encoder, L2 distance (best threshold)", percent(untrainedROC.bestAccuracy, 2), fixed(untrainedROC.area, 4), "-", "-"],
    ["Koch: σ(α·|a − b| + β)", percent(kochAccuracy, 2), fixed(kochROC.area, 4), fixed(kochRun.recentLoss(), 4), duration(kochRun.elapsed)],
    ["concatenation: σ(u·a + v·b + c)", percent(concatAccuracy, 2), fixed(concatROC.area, 4), fixed(concatRun.recentLoss(), 4), duration(concatRun.elapsed)],
])
book.prose("""
    The gap is \(fixed((kochAccuracy - concatAccuracy) * 100, 1)) points of accuracy. The reason is in the formula:
    s(a, b) = u·a + v·b + c is a score for a plus a score for b, and for any two images
    s(a, b) + s(b, a) = s(a, a) + s(b, b). The two different pairs together score exactly as
    high as the two same pairs, so no threshold can put both same pairs above it and both
    different pairs below. All it can learn is that some images make "same" more likely
    whatever they are paired with, a weak signal. The L1 head compares coordinate by
    coordinate, which is exactly the question asked.
    """)
var roc = Figure(title: "ROC curves on balanced MNIST test pairs", xLabel: "false positive rate", yLabel: "true positive rate")
roc.line("Koch L1 head (area \(fixed(kochROC.area, 3)))", x: kochROC.falsePositiveRates, y: kochROC.truePositiveRates)
roc.line("concatenation head (area \(fixed(concatROC.area, 3)))", x: concatROC.falsePositiveRates, y: concatROC.truePositiveRates)
roc.line("untrained L2 distance (area \(fixed(untrainedROC.area, 3)))", x: untrainedROC.falsePositiveRates, y: untrainedROC.truePositiveRates)
roc.key = "inside bottom right opaque"
roc.equalAxes = true
roc.width = 640
roc.height = 600
book.figure(roc, name: "roc")
var losses = Figure(title: "Training loss (binary cross-entropy, mean of 25 steps)", xLabel: "step", yLabel: "loss")
func smooth(_ values: [Float], _ window: Int = 25) -> [Float] {
    values.indices.map { i in values[Swift.max(0, i - window + 1)...i].reduce(0, +) / Float(Swift.min(window, i + 1)) }
}
losses.line("Koch L1 head", x: (1...kochRun.losses.count).map(Double.init), y: smooth(kochRun.losses))
losses.line("concatenation head", x: (1...concatRun.losses.count).map(Double.init), y: smooth(concatRun.losses))
losses.key = "inside top right opaque"
book.figure(losses, name: "training-loss")

// MARK: 6. What it never saw
//
// The twin was trained on digits only. Does its notion of "same" carry over to a kind of image
// it never saw? We ask its head about pairs of clothing (Fashion-MNIST), next to the plain
// distance of an untrained encoder, which only knows pixels.

book.section("What it never saw")
let fashionPairs = PairSampler(labels: fashion.labels).batch(book.size(2000, quick: 400), using: &book.generator)
let fashionScores = PairTraining.scores(twin, images: fashion.images, first: fashionPairs.first, second: fashionPairs.second) {
    kochHead.logits($0, $1)
}
let fashionROC = ROCCurve(scores: fashionScores, labels: fashionPairs.labels)
var freshGenerator = SeededGenerator(seed: book.options.seed &+ 7)
let freshTwin = TwinNetwork(encoder: MNISTNetworks.encoder(embeddingSize: embeddingSize, using: &freshGenerator))
let freshScores = PairTraining.scores(freshTwin, images: fashion.images, first: fashionPairs.first, second: fashionPairs.second) {
    -Distance.l2($0, $1)
}
let freshROC = ROCCurve(scores: freshScores, labels: fashionPairs.labels)
book.table(["on \(fashionPairs.labels.count) Fashion-MNIST pairs", "ROC area", "best-threshold accuracy"], [
    ["the digit-trained Koch twin", fixed(fashionROC.area, 3), percent(fashionROC.bestAccuracy, 1)],
    ["an untrained encoder's L2 distance", fixed(freshROC.area, 3), percent(freshROC.bestAccuracy, 1)],
])
book.prose("""
    \(fashionROC.area < freshROC.area ? "It does not carry over: the trained twin does worse on clothes than an untrained encoder" : "It carries over only partly"),
    ROC area \(fixed(fashionROC.area, 2)) against \(fixed(freshROC.area, 2)). Ten classes of digits taught it which differences matter
    between digits (a closed loop, a crossing stroke), and those are not the differences between a
    sandal and a sneaker. A similarity function can recognise new classes only when it learned
    from many classes like them: that is why the one-shot benchmark trains on hundreds of
    Omniglot characters and tests on others (Chapters 06 and 07).
    """)
book.require { try Checkpoint.save(encoder, to: book.checkpointURL("koch-encoder"), metadata: ["chapter": "03", "steps": "\(steps)"]) }

// MARK: Summary and exercises

book.finish(summary: [
    "A twin network is one encoder used twice; its weights are shared because there is only one copy.",
    "Untrained embeddings already separate same from different pairs a little (ROC area \(fixed(untrainedROC.area, 2))).",
    "A classifier's outputs are its classes; a similarity function compares with any example, but only generalises to classes like those it learned from (digits do not teach clothes).",
    "Koch's weighted-L1 head reached \(percent(kochAccuracy, 2)) verification accuracy on MNIST test pairs after \(steps) steps.",
    "The concatenation head, same pairs and steps, reached \(percent(concatAccuracy, 2)): a sum of per-image scores cannot compare.",
], exercises: [
    "Show that running the encoder on the stacked batch [a; b] gives the same embeddings as two separate passes.",
    "Show that the Koch head's score is symmetric: p(a, b) = p(b, a), while the concatenation head's is not.",
    "Build a balanced batch of 100 pairs and count its same pairs.",
    "Compute the ROC area of scores [0.9, 0.8, 0.7, 0.1] for labels [same, different, same, different] by hand (0.75) and check it.",
    "Check on random embeddings that the concatenation score obeys s(a, b) + s(b, a) = s(a, a) + s(b, b).",
])
