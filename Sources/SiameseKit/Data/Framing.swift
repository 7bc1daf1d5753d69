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

extension Framing {
    /// The share of the frame an ink box fills by default, Chapter 07's: 0.9, 29 of 32 pixels.
    /// (26 of 32, more room for Koch et al.'s distortions to stay inside, scored the same.)
    public static let defaultInkBoxFill: Float = 0.9

    /// Size and position normalisation for drawings: the square around the ink's bounding box
    /// (pixels with ink above one half), centred on the box, with the box's longer side filling
    /// `fill` of it, resized to `side x side` by area averaging (zero outside the image). People
    /// draw the same character large or small, left or right; this takes both away, and a small
    /// drawing gets more of the network's pixels (LeCun et al. 1998 size-normalised MNIST's
    /// digits to a 20x20 box the same way). The crop is never narrower than 0.38 of the image's
    /// longer side (40 of Omniglot's 105 pixels), so a dot is not blown up to fill the frame;
    /// in an image without ink the whole image is the box.
    ///
    /// `ink`: `height * width` values, row-major, ink 1 on paper 0. Returns `side * side` values.
    public static func inkBox(_ ink: [Float], width: Int, height: Int, side: Int, fill: Float = defaultInkBoxFill) -> [Float] {
        precondition(ink.count == width * height && side > 0 && fill > 0 && fill <= 1,
                     "Framing.inkBox: expected \(width)x\(height) values, a positive side and 0 < fill ≤ 1")
        var x0 = width, x1 = -1, y0 = height, y1 = -1
        ink.withUnsafeBufferPointer { p in
            for y in 0..<height {
                for x in 0..<width where p[y &* width &+ x] > 0.5 {
                    x0 = Swift.min(x0, x); x1 = Swift.max(x1, x); y0 = Swift.min(y0, y); y1 = Swift.max(y1, y)
                }
            }
        }
        if x1 < 0 { (x0, x1, y0, y1) = (0, width - 1, 0, height - 1) }
        let longest = Float(Swift.max(x1 - x0 + 1, y1 - y0 + 1))
        let crop = Swift.max(Int((longest / fill).rounded()), Int((0.38 * Float(Swift.max(width, height))).rounded()), 1)
        let left = Int((Float(x0 + x1 + 1) / 2 - Float(crop) / 2).rounded())
        let top = Int((Float(y0 + y1 + 1) / 2 - Float(crop) / 2).rounded())
        var window = [Float](repeating: 0, count: crop * crop)
        ink.withUnsafeBufferPointer { p in
            for y in Swift.max(0, -top)..<Swift.min(crop, height - top) {
                for x in Swift.max(0, -left)..<Swift.min(crop, width - left) {
                    window[y &* crop &+ x] = p[(top &+ y) &* width &+ left &+ x]
                }
            }
        }
        return Resampling.resize(window, width: crop, height: crop, toWidth: side, toHeight: side, method: .area)
    }
}
