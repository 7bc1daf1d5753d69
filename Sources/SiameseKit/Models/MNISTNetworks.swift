import Foundation

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

extension MNISTNetworks {
    /// The twin networks' encoder: the trunk, then fc 1024→256 + ReLU and fc 256→`embeddingSize`.
    /// `[N, 1, 28, 28]` → `[N, embeddingSize]`. Its layers 0-7 have the classifier's shapes and
    /// names, so Chapter 02's checkpoint can start it (`loadTrunk`).
    public static func encoder(embeddingSize: Int = 32, using generator: inout SeededGenerator) -> Sequential {
        Sequential(trunk(using: &generator) + [
            Linear(1024, 256, using: &generator), ReLU(),
            Linear(256, embeddingSize, initializer: .xavierUniform, using: &generator),
        ])
    }

    /// Copies the classifier checkpoint's convolution and first dense layer (`0.*`, `3.*`,
    /// `7.*`) into an encoder: transfer learning from Chapter 02. Returns the tensors copied.
    @discardableResult
    public static func loadTrunk(into encoder: Sequential, from url: URL) throws -> [String] {
        let contents = try Checkpoint.read(from: url)
        var copied: [String] = []
        for (name, variable) in encoder.namedState where name.hasPrefix("0.") || name.hasPrefix("3.") || name.hasPrefix("7.") {
            guard let tensor = contents[name] else { continue }
            guard tensor.shape == variable.shape else {
                throw CheckpointError.shapeMismatch(file: url.path, tensor: name, shape: tensor.shape, expected: variable.shape)
            }
            variable.value = tensor
            copied.append(name)
        }
        return copied
    }
}
