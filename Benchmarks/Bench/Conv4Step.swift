import SiameseKit

/// Chapter 07's training step, timed on its own: the conv4 encoder (`width` maps) on a batch
/// of 32 classes x 4 synthetic 32x32 drawings (the chapter's input), Koch's affine distortions, batch-all soft-margin
/// triplet loss and an Adam step: what `07-omniglot-benchmark` repeats ~5,000 times. Swift only
/// (the frameworks' script has no such model); reported in images/s.
struct Conv4Step {
    let width: Int
    let classes = 32, perClass = 4

    var images: Int { classes * perClass }

    /// A closure that runs one step on fixed data (fresh distortions each call).
    func make(seed: UInt64) -> () -> Float {
        var g = SeededGenerator(seed: seed)
        let encoder = OmniglotNetworks.conv4(side: 32, width: width, using: &g)
        let adam = Adam(encoder.parameters, learningRate: 1e-3)
        let x = Tensor.randomUniform([images, 1, 32, 32], using: &g)
        let labels = (0..<images).map { $0 / perClass }
        let distortion = AffineDistortion()
        return {
            let distorted = distortion(x, using: &g)
            return trainStep(adam) { MetricLoss.tripletBatchAll(encoder(Variable(distorted)), labels: labels, head: nil, using: &g) }
        }
    }
}
