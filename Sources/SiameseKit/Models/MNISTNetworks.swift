/// The convolutional networks the book trains on 28x28 digits.
public enum MNISTNetworks {
    /// The convolutional trunk shared by the classifier (Chapter 02) and the twin networks
    /// that reuse its weights: conv 32@5x5 + ReLU + max-pool 2, conv 64@5x5 + ReLU + max-pool 2,
    /// flatten. `[N, 1, 28, 28]` → `[N, 1024]` (64 maps of 4x4). The layout of the classic
    /// TensorFlow/PyTorch MNIST examples without padding (LeCun et al. 1998, widened).
    public static func trunk(using generator: inout SeededGenerator) -> [any Layer] {
        [Conv2D(1, 32, kernel: 5, using: &generator), ReLU(), MaxPool2D(2),
         Conv2D(32, 64, kernel: 5, using: &generator), ReLU(), MaxPool2D(2),
         Flatten()]
    }

    /// The trunk, then fc 1024→256 + ReLU, dropout, fc 256→`classes`: logits `[N, classes]`.
    /// Parameter names: `0.*` and `3.*` (convolutions), `7.*` and `10.*` (dense layers).
    public static func classifier(classes: Int = 10, dropout: Float = 0.3,
                                  using generator: inout SeededGenerator) -> Sequential {
        Sequential(trunk(using: &generator) + [
            Linear(1024, 256, using: &generator), ReLU(), Dropout(dropout, using: &generator),
            Linear(256, classes, using: &generator),
        ])
    }
}
