// Chapter 02 · Convolutions
// =========================
//
// A dense layer looks at every pixel with its own weight and has no idea that neighbouring
// pixels belong together. A convolution slides one small filter over the whole image: the same
// few weights detect an edge or a stroke wherever it is. This chapter builds convolutions on
// real handwritten digits (MNIST) and ends with a trained classifier whose weights the
// Siamese chapters reuse.
//
//   * a hand-made edge filter and the feature map it produces;
//   * im2col, the rearrangement that turns a convolution into one fast matrix product;
//   * max and average pooling;
//   * a small convolutional network trained to at least 99% test accuracy, its learned
//     filters, feature maps, training curve and confusion matrix, and a checkpoint.
//
// Run: `swift run -c release 02-convolutions` (a few minutes on two cores). The data comes
// from `Scripts/fetch-data.sh` (see the README); `--data DIR` points elsewhere.

import SiameseKit

let book = Notebook(
    chapter: "02", title: "Convolutions", command: "02-convolutions",
    abstract: "Chapter 02: convolutions and pooling on MNIST, im2col, and a CNN trained to 99% that later chapters reuse.")

// MARK: 1. Real digits
//
// MNIST: 70,000 handwritten digits, 28x28 grey levels, 60,000 for training and 10,000 for
// testing (LeCun, Cortes, Burges). The loader reads the original gzipped IDX files, checks
// their headers, and scales pixels to [0, 1]. The tensor layout is [N, C, H, W]: N images,
// C = 1 channel.

book.section("Real digits")
let folder = book.dataFolder
let ((train, test), loadSeconds) = timed {
    book.require { (try MNIST.load(.train, from: folder), try MNIST.load(.test, from: folder)) }
}
let trainSet = book.quick ? train.subset(first: 2000) : train
let testSet = book.quick ? test.subset(first: 1000) : test
book.result("data folder", folder.description)
book.result("training images", "\(train.images.shape)  test images: \(test.images.shape)  (loaded in \(duration(loadSeconds)))")
book.result("training digits per class", "\((0..<10).map { d in train.labels.filter { $0 == d }.count })")
book.figure(Figure.imageGrid(train.images.rows(0..<64), columns: 8, title: "The first 64 MNIST training digits"),
            name: "mnist-samples")

// MARK: 2. A hand-made edge filter
//
// A filter is a small grid of weights. Slide it over the image; at each position multiply the
// weights with the pixels under them and add up. The Sobel filter below is large where the
// image gets brighter from left to right: it answers "is there a vertical edge here?". Its
// transpose finds horizontal edges. Nobody trained these weights; a network will learn its own.

book.section("A hand-made edge filter")
let digit = test.images.rows(0..<1)
let sobel = Tensor(shape: [2, 1, 3, 3], scalars: [-1, 0, 1, -2, 0, 2, -1, 0, 1,     // vertical edges
                                                  -1, -2, -1, 0, 0, 0, 1, 2, 1])   // horizontal edges
let edges = conv2d(Variable(digit), weight: Variable(sobel), bias: nil, padding: 1).value
book.result("digit", "\(digit.shape) (a \(test.labels[0]))  ->  edge maps \(edges.shape)")
book.result("strongest vertical edge response", fixed(edges.rows(0..<1).reshaped([2, 784]).row(0).abs().max(), 2))
let edgePanels = Tensor.concatenateRows([digit.reshaped([1, 28, 28]), edges.reshaped([2, 28, 28]).abs()])
book.figure(Figure.imageGrid(edgePanels, columns: 3, title: "A digit, its vertical edges and its horizontal edges (Sobel filters)",
                             stretchEach: true), name: "edge-filters")

// MARK: 3. im2col: a convolution as one matrix product
//
// Computing a convolution position by position is seven nested loops and slow. im2col copies
// the 3x3 patch under every output position into a column: a [1·3·3, 28·28] matrix for one
// digit. Then all filters at all positions are one product, filters [Cout, 9] times columns
// [9, 784], which OpenBLAS runs at full speed (Chapter 01). Read row by row, the im2col matrix
// is nine copies of the digit, each shifted by one filter offset: that is the picture below.

book.section("im2col: a convolution as one matrix product")
let cols = digit.im2col(kernel: 3, padding: 1)
book.result("im2col of one digit, 3x3 windows", "\(cols.shape)  (9 filter offsets x 784 positions)")
book.figure(Figure.imageGrid(cols.reshaped([9, 28, 28]), columns: 3,
                             title: "The 9 rows of the im2col matrix: the digit shifted by each 3x3 offset"),
            name: "im2col")

let benchmarkBatch = train.images.rows(0..<book.size(64, quick: 4))
var convRows: [[String]] = []
var seedForWeights = book.generator.split()
for (inChannels, outChannels, size) in [(1, 32, 28), (32, 64, 12)] {
    let x = inChannels == 1 ? benchmarkBatch
        : Tensor.randomNormal([benchmarkBatch.shape[0], inChannels, size, size], using: &seedForWeights)
    let w = Tensor.randomNormal([outChannels, inChannels, 5, 5], std: 0.1, using: &seedForWeights)
    let flops = 2.0 * Double(x.shape[0] * outChannels * inChannels * 25 * (size - 4) * (size - 4))
    let naiveSeconds = Throughput.bestSeconds(minimumSeconds: 0.1, minimumRepeats: 1) {
        blackHole(naiveConv2d(x, weight: w, bias: nil))
    }
    let fastSeconds = Throughput.bestSeconds(minimumSeconds: 0.2) {
        blackHole(conv2d(Variable(x), weight: Variable(w), bias: nil))
    }
    let difference = (conv2d(Variable(x), weight: Variable(w), bias: nil).value - naiveConv2d(x, weight: w, bias: nil)).abs().max()
    convRows.append(["\(inChannels)->\(outChannels) @5x5 on \(size)x\(size)", "\(x.shape[0])",
                     fixed(flops / naiveSeconds / 1e9, 1), fixed(flops / fastSeconds / 1e9, 1),
                     fixed(naiveSeconds / fastSeconds, 0) + "x", String(format: "%.1e", difference)])
}
book.table(["layer", "batch", "naive GFLOP/s", "im2col+sgemm GFLOP/s", "speed-up", "max |difference|"], convRows)
book.prose("""
    Both compute the same numbers (the last column is the largest disagreement, rounding only).
    The speed-up is not a cleverer formula: it is the same multiply-adds, arranged as one large
    matrix product that OpenBLAS runs from the caches, in SIMD registers, on both cores.
    """)

// MARK: 4. Pooling
//
// Pooling summarises each 2x2 window by one number, its maximum or its mean, halving the
// width and height. Max pooling keeps "was the feature anywhere here?" and forgets exactly
// where, which makes the network tolerant to small shifts of the digit.

book.section("Pooling")
let edgeMap = edges.rows(0..<1).abs().reshaped([1, 2, 28, 28]).rows(0..<1)
let maxPooled = maxPool2d(Variable(edgeMap), kernel: 2).value
let avgPooled = avgPool2d(Variable(edgeMap), kernel: 2).value
book.result("edge maps", "\(edgeMap.shape) -> max-pooled \(maxPooled.shape), average-pooled \(avgPooled.shape)")
let poolPanels = Tensor.concatenateRows([edgeMap.reshaped([2, 28, 28]).rows(0..<1),
                                         maxPooled.upsampledNearest(by: 2).reshaped([2, 28, 28]).rows(0..<1),
                                         avgPooled.upsampledNearest(by: 2).reshaped([2, 28, 28]).rows(0..<1)])
book.figure(Figure.imageGrid(poolPanels, columns: 3, title: "Vertical edges, max-pooled 2x2 and average-pooled 2x2 (drawn at the same size)",
                             stretchEach: true), name: "pooling")

// MARK: 5. A convolutional network learns to read digits
//
// Two convolution + ReLU + max-pool stages turn a 28x28 digit into 64 feature maps of 4x4;
// two dense layers turn those 1,024 numbers into 10 class scores. Training is Chapter 01's
// loop on mini-batches: shuffle, take 64 digits, loss, backward, Adam step. Dropout switches
// off 30% of the dense units at random during training so that no unit can rely on another.

book.section("A convolutional network learns to read digits")
let model = MNISTNetworks.classifier(using: &book.generator)
book.result("architecture", "conv 32@5x5, ReLU, maxpool 2, conv 64@5x5, ReLU, maxpool 2, fc 1024->256, ReLU, dropout 0.3, fc 256->10")
book.result("parameters", "\(model.parameterCount)")
let epochs = book.options.epochs ?? book.size(3, quick: 1)
let optimizer = Adam(model.parameters, learningRate: 1e-3)
let trainer = ClassifierTrainer(model: model, optimizer: optimizer, batchSize: 64)
let checkpoint = book.checkpointURL("mnist-cnn")
var reports: [EpochReport] = []
for epoch in 1...epochs {
    if epoch == 3 { optimizer.learningRate = 3e-4 }          // a smaller step to settle in
    let report = trainer.trainEpoch(images: trainSet.images, labels: trainSet.labels,
                                    test: (testSet.images, testSet.labels), using: &book.generator) { batch, batches, loss in
        if batch % 50 == 0 { book.progress("epoch \(epoch)/\(epochs)  batch \(batch)/\(batches)  loss \(fixed(loss, 4))") }
    }
    book.endProgress()
    reports.append(report)
    print("  epoch \(epoch)/\(epochs): loss \(fixed(report.loss, 4)), train accuracy \(percent(report.trainAccuracy, 2)), "
          + "test accuracy \(percent(report.testAccuracy, 2)), \(fixed(report.imagesPerSecond, 0)) images/s, \(duration(report.seconds))")
    // Saved after every epoch, so an interrupted run keeps what it learned.
    book.require {
        try Checkpoint.save(model, to: checkpoint, metadata: [
            "chapter": "02", "architecture": "MNISTNetworks.classifier", "epoch": "\(epoch)",
            "test_accuracy": fixed(report.testAccuracy, 4), "seed": "\(book.options.seed)",
        ])
    }
}
let final = reports.last!
book.table(["epoch", "loss", "train accuracy", "test accuracy", "images/s", "time"], reports.map {
    ["\($0.epoch)", fixed($0.loss, 4), percent($0.trainAccuracy, 2), percent($0.testAccuracy, 2),
     fixed($0.imagesPerSecond, 0), duration($0.seconds)]
})
book.prose("""
    After \(epochs) epoch\(epochs == 1 ? "" : "s") the network classifies \(percent(final.testAccuracy, 2)) of the
    \(testSet.labels.count) test digits correctly, training at \(fixed(final.imagesPerSecond, 0)) images per second
    (forward, backward and update) on this machine.
    """)
var curve = Figure(title: "Training loss per batch (smoothed over 50 batches)", xLabel: "epoch", yLabel: "cross-entropy")
let batchLosses = reports.flatMap(\.batchLosses)
let window = Swift.min(50, batchLosses.count)
let smoothed = (window...batchLosses.count).map { end in batchLosses[(end - window)..<end].reduce(0, +) / Float(window) }
let batchesPerEpoch = Double(batchLosses.count) / Double(epochs)
curve.logScaleY = 10
curve.line("training loss", x: (window...batchLosses.count).map { Double($0) / batchesPerEpoch }, y: smoothed)
book.figure(curve, name: "training-loss")

// MARK: 6. What the network learned
//
// The first layer's 32 filters are 5x5 pictures. At this size they look like noise, but their
// feature maps on a test digit show what they became: detectors of the top bar, of the left or
// right side of the diagonal stroke, of stroke ends, much like the Sobel filters of section 2,
// learned from the data alone. The confusion matrix counts the remaining mistakes by true and
// predicted digit.

book.section("What the network learned")
let firstLayer = model.layers[0] as! Conv2D
book.figure(Figure.imageGrid(firstLayer.weight.value.reshaped([32, 5, 5]), columns: 8,
                             title: "The 32 learned first-layer filters (5x5, each stretched to its own range)", stretchEach: true),
            name: "filters")
let maps = withoutGradients { model.layers[1](firstLayer(digit)) }.value
book.figure(Figure.imageGrid(maps.reshaped([32, 24, 24]), columns: 8,
                             title: "The 32 first-layer feature maps (after ReLU) of the test digit", stretchEach: true),
            name: "feature-maps")
let predicted = predictClasses(model, images: testSet.images)
let confusion = confusionMatrix(predicted: predicted, labels: testSet.labels, classes: 10)
let mistakes = (0..<10).flatMap { t in (0..<10).filter { $0 != t }.map { (t, $0, confusion[t][$0]) } }
    .sorted { $0.2 > $1.2 }
book.result("test errors", "\(mistakes.reduce(0) { $0 + $1.2 }) of \(testSet.labels.count)")
book.table(["true digit", "predicted as", "times"], mistakes.prefix(5).map { ["\($0.0)", "\($0.1)", "\($0.2)"] })
var confusionFigure = Figure(title: "Confusion matrix, mistakes only (row: true digit, column: predicted)",
                             xLabel: "predicted", yLabel: "true")
confusionFigure.equalAxes = true
confusionFigure.width = 620
confusionFigure.imageRows = false
confusionFigure.extraCommands = ["set xtics 0,1,9", "set ytics 0,1,9", "set yrange [9.5:-0.5]", "set xrange [-0.5:9.5]"]
confusionFigure.heatmap(Tensor(shape: [10, 10], scalars: (0..<100).map { i in i / 10 == i % 10 ? 0 : Float(confusion[i / 10][i % 10]) }),
                        x: 0...9, y: 0...9)
book.figure(confusionFigure, name: "confusion")

// MARK: 7. A checkpoint to build on
//
// The weights were saved after every epoch in the safetensors format: a JSON header naming
// each tensor (`0.weight` is the first convolution's [32, 1, 5, 5] filters), then raw
// little-endian floats. PyTorch and NumPy read it directly. Loading it into a fresh network
// must give back exactly the same predictions.

book.section("A checkpoint to build on")
var freshGenerator = SeededGenerator(seed: book.options.seed &+ 1)
let reloaded = MNISTNetworks.classifier(using: &freshGenerator)
let metadata = book.require { try Checkpoint.load(into: reloaded, from: checkpoint) }
let reloadedAccuracy = accuracy(predicted: predictClasses(reloaded, images: testSet.images), labels: testSet.labels)
book.result("checkpoint", "\(checkpoint.relativePath) (epoch \(metadata["epoch"] ?? "?"))")
book.result("test accuracy after reloading", "\(percent(reloadedAccuracy, 2)) (before: \(percent(final.testAccuracy, 2)))")

// MARK: Summary and exercises

book.finish(summary: [
    "A convolution slides one small filter over the image; a hand-made Sobel filter already finds edges.",
    "im2col turns a convolution into one matrix product: \(convRows.last?[4] ?? "?") faster than the loops here, with the same numbers.",
    "Max pooling keeps the strongest response of each window and halves the maps.",
    "Two convolution stages and two dense layers reach \(percent(final.testAccuracy, 2)) on MNIST's test set in \(epochs) epoch\(epochs == 1 ? "" : "s"), at \(fixed(final.imagesPerSecond, 0)) images/s.",
    "The checkpoint \(checkpoint.relativePath) holds the weights for the Siamese chapters.",
], exercises: [
    "Apply the horizontal Sobel filter to an image that is dark above and bright below: the response is positive along the boundary.",
    "Show that conv2d with a 1x1 kernel of weight 2 and bias 1 computes 2x + 1 at every pixel.",
    "Check the output size formula (H + 2·padding − kernel) / stride + 1 for a 28x28 input, 5x5 kernel, stride 2, padding 2.",
    "Verify that max pooling is unchanged when the input moves by one pixel inside each 2x2 window.",
    "Save a small network to a checkpoint, load it into a fresh one, and check their outputs are identical.",
])
