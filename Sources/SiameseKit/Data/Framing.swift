/// Putting images into the frame a network was trained on. MNIST digits were size-normalised
/// to fit a 20x20 box and centred (by centre of mass) in a 28x28 field (LeCun et al. 1998);
/// a drawing resized straight to 28x28 fills the whole field instead.
public enum Framing {
    /// Each `[N, C, S, S]` image resized to `box x box` (area averaging) and centred on a
    /// blank `side x side` field: `[N, C, side, side]`.
    public static func centred(_ images: Tensor, box: Int, in side: Int) -> Tensor {
        precondition(images.rank == 4 && box <= side, "Framing.centred: expected [N, C, H, W] and box ≤ side")
        let small = Resampling.resize(images, toHeight: box, toWidth: box, method: .area)
        let planes = images.shape[0] * images.shape[1], offset = (side - box) / 2
        var out = [Float](repeating: 0, count: planes * side * side)
        small.scalars.withUnsafeBufferPointer { src in
            for p in 0..<planes {
                for r in 0..<box {
                    for c in 0..<box {
                        out[p &* side &* side &+ (r &+ offset) &* side &+ c &+ offset] = src[p &* box &* box &+ r &* box &+ c]
                    }
                }
            }
        }
        return Tensor(shape: [images.shape[0], images.shape[1], side, side], scalars: out)
    }
}
