// Chapter 01 · Tensors
// ====================
//
// Everything a Siamese network does, comparing two images, learning from pairs and triplets,
// is arithmetic on arrays of numbers and the gradients of that arithmetic. This chapter builds
// the two pieces the rest of the book stands on:
//
//   * a tensor: a shape plus one contiguous run of Floats, with broadcasting, reductions and a
//     matrix product handed to OpenBLAS;
//   * reverse-mode automatic differentiation: every operation remembers how to pass a
//     gradient back, so `loss.backward()` computes all the derivatives a network needs.
//
// It ends by training a tiny two-layer network on a spiral dataset that no straight line can
// separate. Run it with `swift run -c release 01-tensors` (about half a minute); it prints what
// it measures and draws its figures into Figures/.

import SiameseKit

let book = Notebook(
    chapter: "01", title: "Tensors", command: "01-tensors",
    abstract: "Chapter 01: tensors, broadcasting, matmul on OpenBLAS, autodiff, and a tiny network.")

// MARK: 1. Storage and shape
//
// A tensor is a flat array plus a shape. Row-major order puts the last axis next to itself in
// memory: element [i, j] of a [2, 3] matrix lives at i·3 + j. The strides say how far to jump
// per axis. A reshape changes only the shape, never the storage, which is why it is free.

book.section("Storage and shape")
book.prose("""
    A tensor is one contiguous run of numbers plus a shape that says how to read it. Here are
    six numbers read as a 2x3 matrix, then the very same storage read as 3x2:
    """)
let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
print(m)
book.result("storage", "\(m.scalars)")
book.result("strides", "\(m.strides)  (step 3 to the next row, 1 to the next column)")
print(m.reshaped([3, 2]))
book.prose("""
    A transpose is different: element [i, j] moves to [j, i], so the numbers must be copied into a
    new order. Matrix products never need that copy, as section 4 shows.
    """)
print(m.transposed())

// MARK: 2. Broadcasting
//
// Adding a bias to every row of a batch, or subtracting a row's mean from each element, needs
// arrays of different shapes to combine. NumPy's rule: align the shapes at the right; each
// pair of axes must be equal or one of them 1; the 1 is repeated, without copying.

book.section("Broadcasting")
let column = Tensor(shape: [3, 1], scalars: [0, 10, 20])
let row = Tensor([1, 2, 3, 4])
book.prose("A [3, 1] column plus a [4] row: each is stretched along the axis where it has size 1.")
print(column + row)
book.prose("Shapes that cannot be aligned are refused with both shapes named:")
do {
    _ = try Shape.broadcast([2, 3], [4, 3])
} catch {
    book.result("[2, 3] + [4, 3]", "\(error)")
}

// MARK: 3. Reductions
//
// Sums, means and maxima along an axis turn a batch of rows into one number per row (or per
// column). They are how a loss becomes a single number to minimise.

book.section("Reductions")
book.result("sum along axis 0 (per column)", "\(m.sum(alongAxis: 0).scalars)")
book.result("mean along axis 1 (per row)", "\(m.mean(alongAxis: 1).scalars)")
book.result("argmax along axis 1", "\(m.argmax(alongAxis: 1))")

// MARK: 4. Matrix multiplication: a loop versus OpenBLAS
//
// A dense layer is one matrix product; so (after im2col, Chapter 02) is a convolution. The
// textbook triple loop does 2n³ floating-point operations and is correct. OpenBLAS does the
// same arithmetic in blocks that fit the caches, in SIMD registers, on both cores. We measure
// both in GFLOP/s (billions of operations per second), the best of several runs.

book.section("Matrix multiplication: naive loop vs OpenBLAS")
let sizes = book.size([16, 32, 64, 128, 256, 512, 1024], quick: [8, 16, 32])
let minimumSeconds = book.size(0.25, quick: 0.01)
let cores = BLAS.threads
var rows: [[String]] = []
var naiveSpeed: [Double] = [], blasOne: [Double] = [], blasAll: [Double] = []
for n in sizes {
    naiveSpeed.append(Throughput.matmulGFLOPS(size: n, minimumSeconds: minimumSeconds, using: &book.generator) {
        naiveMatmul($0, $1)
    })
    BLAS.threads = 1
    blasOne.append(Throughput.matmulGFLOPS(size: n, minimumSeconds: minimumSeconds, using: &book.generator) {
        matmul($0, $1)
    })
    BLAS.threads = cores
    blasAll.append(Throughput.matmulGFLOPS(size: n, minimumSeconds: minimumSeconds, using: &book.generator) {
        matmul($0, $1)
    })
    rows.append(["\(n)", fixed(naiveSpeed.last!, 1), fixed(blasOne.last!, 1), fixed(blasAll.last!, 1),
                 fixed(blasAll.last! / naiveSpeed.last!, 0) + "x"])
}
book.table(["n", "naive GFLOP/s", "OpenBLAS 1 thread", "OpenBLAS \(cores) threads", "speed-up"], rows)
let threadsPay = zip(sizes, zip(blasOne, blasAll)).first { $1.1 > 1.1 * $1.0 }?.0
book.prose("""
    The same arithmetic, \(fixed(blasAll.last! / naiveSpeed.last!, 0)) times faster at n = \(sizes.last!):
    OpenBLAS works on blocks that stay in the caches and fills the SIMD registers, while the loop
    streams whole rows through memory. The gap is smallest for tiny matrices, where there is too
    little work to organise. More threads pay only for large products (\(threadsPay.map { "in this run from n = \($0)" } ?? "in this run, no size was large enough")):
    for small ones, waking a second thread costs more than it saves.
    """)
var speedFigure = Figure(title: "Matrix product speed (n x n times n x n)", xLabel: "n", yLabel: "GFLOP/s")
speedFigure.logScaleX = 2
speedFigure.line("naive triple loop", x: sizes.map(Double.init), y: naiveSpeed, points: true)
speedFigure.line("OpenBLAS sgemm, 1 thread", x: sizes.map(Double.init), y: blasOne, points: true)
speedFigure.line("OpenBLAS sgemm, \(cores) threads", x: sizes.map(Double.init), y: blasAll, points: true)
book.figure(speedFigure, name: "matmul-gflops")

// MARK: 5. A computation graph and its gradients
//
// Every operation on a `Variable` records its inputs and a pullback: given the gradient of the
// output, the gradients of the inputs (for y = a·b: dy/da = b, dy/db = a). `backward()` walks
// the recorded graph from the loss back to the leaves, applying the chain rule. We trust
// it only after checking it against finite differences: nudge each input by ±ε and watch
// the output move.

book.section("A computation graph and its gradients")
let a = Variable(Tensor.randomNormal([4, 3], using: &book.generator), requiresGrad: true, name: "a")
let w = Variable(Tensor.randomNormal([3, 2], using: &book.generator), requiresGrad: true, name: "w")
let bias = Variable(Tensor([0.5, -0.5]), requiresGrad: true, name: "bias")
let loss = (matmul(a, w) + bias).tanh().squared().mean()
book.prose("loss = mean(tanh(a·w + bias)²), recorded as this graph:")
print(loss.graphDescription())
loss.backward()
book.result("loss", fixed(loss.value.scalar, 6))
book.result("d loss / d bias", "\(bias.grad!.scalars.map { fixed($0, 6) })")
let check = GradientCheck(inputs: [a.value, w.value, bias.value]) { v in
    (matmul(v[0], v[1]) + v[2]).tanh().squared().mean()
}
book.table(["input", "backward()", "finite difference"],
           (0..<2).map { ["bias[\($0)]", fixed(check.analytic[2].scalars[$0], 6), fixed(check.numerical[2].scalars[$0], 6)] })
book.result("largest relative error over all \(check.comparedElements) inputs", String(format: "%.1e", check.maxRelativeError))

// MARK: 6. A tiny network learns spirals
//
// Three interleaved spiral arms. A linear classifier (one Linear layer and softmax) can only
// cut the plane with straight lines; a hidden layer of ReLU units bends the boundary. The
// training loop is the one every later chapter uses: clear the gradients, compute the loss,
// back-propagate, let the optimiser step (`trainStep`).

book.section("A two-layer network learns spirals")
let data = ToyDatasets.spirals(classes: 3, pointsPerClass: book.size(100, quick: 40), using: &book.generator)
let hidden = book.size(64, quick: 16)
let steps = book.size(1500, quick: 150)

/// Trains `model` full-batch with Adam and returns the loss after each step.
func train(_ model: any Layer, steps: Int, learningRate: Float) -> [Float] {
    let optimizer = Adam(model.parameters, learningRate: learningRate)
    return (0..<steps).map { _ in
        trainStep(optimizer) { softmaxCrossEntropy(logits: model(data.points), labels: data.labels) }
    }
}

let linear = Linear(2, 3, initializer: .xavierUniform, using: &book.generator)
let twoLayer = Sequential(Linear(2, hidden, using: &book.generator), ReLU(),
                          Linear(hidden, 3, using: &book.generator))
let (linearLosses, linearTime) = timed { train(linear, steps: steps, learningRate: 0.05) }
let (networkLosses, networkTime) = timed { train(twoLayer, steps: steps, learningRate: 0.02) }
let linearAccuracy = accuracy(logits: linear(data.points).value, labels: data.labels)
let networkAccuracy = accuracy(logits: twoLayer(data.points).value, labels: data.labels)
book.table(["model", "parameters", "final loss", "training accuracy", "time"], [
    ["linear (softmax regression)", "\(linear.parameterCount)", fixed(linearLosses.last!, 3),
     percent(linearAccuracy), duration(linearTime)],
    ["2 -> \(hidden) ReLU -> 3", "\(twoLayer.parameterCount)", fixed(networkLosses.last!, 3),
     percent(networkAccuracy), duration(networkTime)],
])
book.prose("""
    \(data.labels.count) points, \(steps) full-batch Adam steps each. The linear model is stuck near
    \(percent(linearAccuracy, 0)): three straight cuts cannot follow a spiral. One hidden layer of
    \(hidden) ReLU units reaches \(percent(networkAccuracy, 0)).
    """)

var lossFigure = Figure(title: "Training loss on the spirals", xLabel: "step", yLabel: "cross-entropy")
lossFigure.logScaleY = 10
lossFigure.line("linear", x: (1...steps).map(Double.init), y: linearLosses)
lossFigure.line("2 -> \(hidden) ReLU -> 3", x: (1...steps).map(Double.init), y: networkLosses)
book.figure(lossFigure, name: "spiral-loss")
book.figure(Figure.decisionBoundary(title: "Decision regions of the two-layer network (training accuracy \(percent(networkAccuracy)))",
                                    points: data.points, labels: data.labels, classes: 3) { twoLayer($0).value },
            name: "spiral-boundary")
book.figure(Figure.decisionBoundary(title: "Decision regions of the linear model (training accuracy \(percent(linearAccuracy)))",
                                    points: data.points, labels: data.labels, classes: 3) { linear($0).value },
            name: "spiral-linear-boundary")

// MARK: Summary and exercises

book.finish(summary: [
    "A tensor is a shape over contiguous row-major storage; reshape is free, transpose copies.",
    "Broadcasting stretches size-1 axes to match; shapes that cannot align are refused, naming both.",
    "OpenBLAS sgemm reached \(fixed(blasAll.max()!, 0)) GFLOP/s here, \(fixed(blasAll.max()! / naiveSpeed.max()!, 0))x the best of the naive loop.",
    "Reverse-mode autodiff records a pullback per operation; finite differences agree with it to \(String(format: "%.0e", check.maxRelativeError)).",
    "A hidden ReLU layer turns \(percent(linearAccuracy, 0)) into \(percent(networkAccuracy, 0)) on spirals.",
], exercises: [
    "Predict the broadcast shape of [5, 1, 3] and [4, 1], then check it with Shape.broadcast.",
    "Show that a transpose of a transpose is the original, and that reshaped([-1]) keeps the row-major order.",
    "Derive d sigmoid(x)/dx = s(1 - s) by hand and confirm it with GradientCheck.",
    "Compute Aᵀ·B with matmul's transposeA flag and confirm it equals matmul(A.transposed(), B).",
    "Train the linear model and the two-layer network on the spirals: the linear one stays below 70%, the network passes 90%.",
])
