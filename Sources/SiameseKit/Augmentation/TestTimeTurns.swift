/// Test-time quarter turns: a drawing is embedded as drawn and turned by 90°, 180° and 270°,
/// and the four embeddings are set side by side, `[N, 4·D]`. The Euclidean distance between
/// two such embeddings is the root of the summed squared distances of the four views, so a
/// support wins only if it is near the query in every orientation. It suits an encoder trained
/// with quarter turns as classes (`QuarterTurns`), which has learned to tell turned
/// characters apart and so gives four different looks at a drawing, at four times the cost of
/// embedding. Nothing is learned. (Test-time augmentation: Krizhevsky et al. 2012 average
/// flipped crops; here the views are kept apart instead of averaged, because a turned drawing
/// is another class for this encoder, and the average of four classes' embeddings blurs them.)
public enum TestTimeTurns {
    /// `embed` of `images` `[N, C, S, S]` and of its three quarter turns, side by side:
    /// `[N, 4·D]`, the view turned by q·90° in columns q·D ..< (q + 1)·D.
    public static func concatenated(_ images: Tensor, embed: (Tensor) -> Tensor) -> Tensor {
        let views = (0..<4).map { embed(QuarterTurns.rotated(images, turns: $0)) }
        let n = views[0].shape[0], d = views[0].shape[1], width = 4 * d
        precondition(views.allSatisfy { $0.shape == [n, d] }, "TestTimeTurns: embed must give [N, D] for every view")
        var out = [Float](repeating: 0, count: n * width)
        out.withUnsafeMutableBufferPointer { dst in
            for (q, view) in views.enumerated() {
                view.scalars.withUnsafeBufferPointer { src in
                    for i in 0..<n {
                        (dst.baseAddress! + i * width + q * d).update(from: src.baseAddress! + i * d, count: d)
                    }
                }
            }
        }
        return Tensor(shape: [n, width], scalars: out)
    }
}
