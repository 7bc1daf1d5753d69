/// The convolutional encoders the book trains on Omniglot characters.
public enum OmniglotNetworks {
    /// The "conv4" encoder of the few-shot literature: `depth` blocks of conv 3x3 (padding 1,
    /// `width` maps) + batch norm + ReLU + max-pool 2, flattened, then a linear layer to
    /// `embeddingSize` (none when 0). `[N, 1, side, side]` → `[N, embeddingSize]` (or
    /// `[N, width·growth^(depth-1)·(side/2^depth)²]`). Vinyals et al., "Matching Networks for
    /// One Shot Learning" (2016); Snell et al., "Prototypical Networks for Few-shot Learning"
    /// (2017). With `growth` 2 each block has twice the maps of the one before (32, 64, 128,
    /// 256), as in VGG and ResNets: the pooled maps shrink 4x a block, so doubling the maps
    /// keeps each block's work about the same (Simonyan & Zisserman 2015).
    public static func conv4(side: Int, width: Int = 64, growth: Int = 1, depth: Int = 4, embeddingSize: Int = 0,
                             using generator: inout SeededGenerator) -> Sequential {
        precondition(side >> depth >= 1, "conv4: a \(side)-pixel input cannot be halved \(depth) times")
        var layers: [any Layer] = []
        var channels = 1, s = side
        for maps in conv4Maps(width: width, growth: growth, depth: depth) {
            layers += [Conv2D(channels, maps, kernel: 3, padding: 1, using: &generator), BatchNorm(maps), ReLU(), MaxPool2D(2)]
            channels = maps
            s /= 2
        }
        layers.append(Flatten())
        if embeddingSize > 0 {
            layers.append(Linear(channels * s * s, embeddingSize, initializer: .xavierUniform, using: &generator))
        }
        return Sequential(layers)
    }

    /// The maps of `conv4`'s blocks, first to last: `width`, `width·growth`, ...
    public static func conv4Maps(width: Int = 64, growth: Int = 1, depth: Int = 4) -> [Int] {
        (0..<depth).reduce(into: []) { maps, _ in maps.append(maps.last.map { $0 * growth } ?? width) }
    }

    /// The width of `conv4`'s output.
    public static func conv4OutputSize(side: Int, width: Int = 64, growth: Int = 1, depth: Int = 4, embeddingSize: Int = 0) -> Int {
        embeddingSize > 0 ? embeddingSize : conv4Maps(width: width, growth: growth, depth: depth).last! * (side >> depth) * (side >> depth)
    }

    /// Koch, Zemel and Salakhutdinov's encoder (2015) for 105x105 drawings: conv 64@10 + ReLU +
    /// max-pool 2, conv 128@7 + ReLU + max-pool 2, conv 128@4 + ReLU + max-pool 2, conv 256@4 +
    /// ReLU, flatten (256 maps of 6x6 = 9216), fc 9216→4096 + sigmoid.
    /// `[N, 1, 105, 105]` → `[N, 4096]`; pair it with `KochHead`.
    public static func koch(using generator: inout SeededGenerator) -> Sequential {
        Sequential([
            Conv2D(1, 64, kernel: 10, using: &generator), ReLU(), MaxPool2D(2),
            Conv2D(64, 128, kernel: 7, using: &generator), ReLU(), MaxPool2D(2),
            Conv2D(128, 128, kernel: 4, using: &generator), ReLU(), MaxPool2D(2),
            Conv2D(128, 256, kernel: 4, using: &generator), ReLU(), Flatten(),
            Linear(9216, 4096, initializer: .xavierUniform, using: &generator), Sigmoid(),
        ])
    }
}
