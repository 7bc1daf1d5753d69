/// Rotations by multiples of 90°. Turned characters are used as new classes (a character
/// turned on its side is a different symbol), which multiplies the classes a metric learner
/// sees by four. Santoro et al., "One-shot Learning with Memory-Augmented Neural Networks"
/// (2016); Vinyals et al. (2016); Snell et al. (2017).
public enum QuarterTurns {
    /// Every image of a `[N, C, S, S]` batch turned counter-clockwise by `turns` × 90°.
    public static func rotated(_ images: Tensor, turns: Int) -> Tensor {
        precondition(images.rank == 4 && images.shape[2] == images.shape[3],
                     "QuarterTurns: expected square images [N, C, S, S], got \(images.shape)")
        let q = ((turns % 4) + 4) % 4
        guard q != 0 else { return images }
        let planes = images.shape[0] * images.shape[1], s = images.shape[3], size = s * s
        var out = [Float](repeating: 0, count: images.count)
        images.scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for p in 0..<planes {
                    let base = p &* size
                    for y in 0..<s {
                        for x in 0..<s {
                            let from: Int
                            switch q {
                            case 1: from = x &* s &+ (s &- 1 &- y)
                            case 2: from = (s &- 1 &- y) &* s &+ (s &- 1 &- x)
                            default: from = (s &- 1 &- x) &* s &+ y
                            }
                            dst[base &+ y &* s &+ x] = src[base &+ from]
                        }
                    }
                }
            }
        }
        return Tensor(shape: images.shape, scalars: out)
    }
}
