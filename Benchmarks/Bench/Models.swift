import SiameseKit

/// The two Siamese networks of the speed comparison, layer for layer the ones
/// `Benchmarks/frameworks.py` builds in PyTorch and TensorFlow, on the same synthetic data
/// shapes, with plain SGD (learning rate 0.01).
///
/// - M1 "mnist-small": `MNISTNetworks.encoder` (conv 32@5, ReLU, pool, conv 64@5, ReLU, pool,
///   fc 1024→256, ReLU, fc 256→32), contrastive loss (margin 1) on 128 pairs, whose two halves
///   go through the shared encoder as one batch of 256.
/// - M2 "koch": `OmniglotNetworks.koch` (Koch et al. 2015) with its weighted-L1 sigmoid head and
///   binary cross-entropy on 32 pairs (one batch of 64).
enum BenchModel: String, CaseIterable {
    case m1 = "M1"
    case m2 = "M2"

    var pairs: Int { self == .m1 ? 128 : 32 }
    var inferenceBatch: Int { self == .m1 ? 1024 : 128 }
    var side: Int { self == .m1 ? 28 : 105 }

    /// Uniform [0, 1) images `[n, 1, side, side]`, as the frameworks' synthetic data.
    func images(_ n: Int, using generator: inout SeededGenerator) -> Tensor {
        Tensor.randomUniform([n, 1, side, side], using: &generator)
    }

    /// A training step and an inference call over fixed synthetic data.
    func make(seed: UInt64) -> (train: () -> Float, infer: () -> Tensor) {
        var g = SeededGenerator(seed: seed)
        let pairs = self.pairs
        let x = Variable(images(2 * pairs, using: &g))
        let labels: [PairLabel] = (0..<pairs).map { _ in Bool.random(using: &g) ? .same : .different }
        let queries = Variable(images(inferenceBatch, using: &g))
        switch self {
        case .m1:
            let encoder = MNISTNetworks.encoder(embeddingSize: 32, using: &g)
            let sgd = SGD(encoder.parameters, learningRate: 0.01)
            return ({
                trainStep(sgd) {
                    let e = encoder(x)
                    let d = Distance.l2(e.rows(0..<pairs), e.rows(pairs..<2 * pairs))
                    return contrastiveLoss(distances: d, labels: labels, margin: 1)
                }
            }, { withoutGradients { encoder(queries).value } })
        case .m2:
            let encoder = OmniglotNetworks.koch(using: &g)
            let head = KochHead(embeddingSize: 4096, using: &g)
            let sgd = SGD(encoder.parameters + head.parameters, learningRate: 0.01)
            return ({
                trainStep(sgd) {
                    let e = encoder(x)
                    let logits = head.logits(e.rows(0..<pairs), e.rows(pairs..<2 * pairs))
                    return binaryCrossEntropy(logits: logits, labels: labels)
                }
            }, { withoutGradients { encoder(queries).value } })
        }
    }

    /// The convolutions of the encoder, with the batch the training step runs them at
    /// (both twins: 2 × pairs images).
    var convolutions: [ConvShape] {
        let n = 2 * pairs
        switch self {
        case .m1:
            return [ConvShape(name: "M1 conv1 32@5", batch: n, inChannels: 1, outChannels: 32, kernel: 5, side: 28, inputGradient: false),
                    ConvShape(name: "M1 conv2 64@5", batch: n, inChannels: 32, outChannels: 64, kernel: 5, side: 12, inputGradient: true)]
        case .m2:
            return [ConvShape(name: "M2 conv1 64@10", batch: n, inChannels: 1, outChannels: 64, kernel: 10, side: 105, inputGradient: false),
                    ConvShape(name: "M2 conv2 128@7", batch: n, inChannels: 64, outChannels: 128, kernel: 7, side: 48, inputGradient: true),
                    ConvShape(name: "M2 conv3 128@4", batch: n, inChannels: 128, outChannels: 128, kernel: 4, side: 21, inputGradient: true),
                    ConvShape(name: "M2 conv4 256@4", batch: n, inChannels: 128, outChannels: 256, kernel: 4, side: 9, inputGradient: true)]
        }
    }
}

/// One convolution layer as the training step runs it: batch, channels, kernel and input side.
struct ConvShape {
    let name: String
    let batch: Int, inChannels: Int, outChannels: Int, kernel: Int, side: Int
    /// Whether the backward pass computes the input's gradient (not for the first layer).
    let inputGradient: Bool

    var outputSide: Int { side - kernel + 1 }
    /// Floating-point operations of the forward pass: 2 per multiply-add.
    var forwardFLOPs: Double {
        2 * Double(batch * outputSide * outputSide * outChannels * inChannels * kernel * kernel)
    }
    /// The backward pass: the weight gradient, and the input gradient when needed.
    var backwardFLOPs: Double { forwardFLOPs * (inputGradient ? 2 : 1) }

    /// Closures timing the forward pass, and forward + backward (returns both).
    func make(seed: UInt64) -> (forward: () -> Tensor, backward: () -> Tensor) {
        var g = SeededGenerator(seed: seed)
        let conv = Conv2D(inChannels, outChannels, kernel: kernel, using: &g)
        let x = Variable(Tensor.randomUniform([batch, inChannels, side, side], using: &g),
                         requiresGrad: inputGradient)
        let seedGradient = Tensor.randomNormal([batch, outChannels, outputSide, outputSide], using: &g)
        return ({ withoutGradients { conv(x).value } }, {
            conv.weight.zeroGrad()
            x.zeroGrad()
            conv(x).backward(seed: seedGradient)
            return conv.weight.grad!
        })
    }
}
