/// Test-time augmentation by one-pixel shifts: an image is embedded as it is and moved one
/// pixel left, right, up and down, and the five embeddings are averaged. A drawing's
/// embedding then depends less on exactly where the pen put it, which is one of the things
/// that tell two drawings of a character apart at 28x28. Nothing is learned: it is a cheaper,
/// deterministic cousin of training with Koch's distortions (Simard et al. 2003 shift images
/// the same way; Krizhevsky et al. 2012 average the predictions of shifted crops).
public enum TestTimeShifts {
    /// The offsets (dx, dy) of the five views: unmoved, then one pixel each way.
    public static let offsets = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]

    /// Every image of `[N, C, H, W]` moved by `dx` columns and `dy` rows (positive: right and
    /// down); what moves out is dropped, what moves in is 0 (paper).
    public static func shifted(_ images: Tensor, dx: Int, dy: Int) -> Tensor {
        precondition(images.rank == 4, "TestTimeShifts: expected [N, C, H, W], got \(images.shape)")
        guard dx != 0 || dy != 0 else { return images }
        let planes = images.shape[0] * images.shape[1], h = images.shape[2], w = images.shape[3]
        var out = [Float](repeating: 0, count: images.count)
        let x0 = Swift.max(0, dx), x1 = Swift.min(w, w + dx)          // destination columns that read the image
        guard x0 < x1 else { return Tensor(shape: images.shape, scalars: out) }
        let rows = Swift.max(0, dy)..<Swift.min(h, h + dy), count = x1 - x0
        images.scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let from: UnsafePointer<Float> = src.baseAddress!, to: UnsafeMutablePointer<Float> = dst.baseAddress!
                for p in 0..<planes {
                    let base: Int = p * h * w
                    for y in rows {
                        let source: Int = base + (y - dy) * w + (x0 - dx)
                        let target: Int = base + y * w + x0
                        (to + target).update(from: from + source, count: count)
                    }
                }
            }
        }
        return Tensor(shape: images.shape, scalars: out)
    }

    /// The mean of `embed` over the five views of `images`: `[N, D]`.
    public static func averaged(_ images: Tensor, embed: (Tensor) -> Tensor) -> Tensor {
        var sum = embed(images)
        for (dx, dy) in offsets.dropFirst() { sum = sum + embed(shifted(images, dx: dx, dy: dy)) }
        return sum * (1 / Float(offsets.count))
    }
}
