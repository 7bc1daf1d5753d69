extension Tensor {
    /// Nearest-neighbour upsampling of `[N, C, H, W]` by an integer `factor`: every value becomes
    /// a `factor × factor` block. (Used to draw pooled maps at their input's size.)
    public func upsampledNearest(by factor: Int) -> Tensor {
        precondition(rank == 4 && factor >= 1, "upsampledNearest: expected [N, C, H, W] and factor ≥ 1, got \(shape)")
        let planes = shape[0] * shape[1], h = shape[2], w = shape[3]
        let oh = h * factor, ow = w * factor
        var out = [Float](repeating: 0, count: planes * oh * ow)
        for p in 0..<planes {
            for y in 0..<oh {
                for x in 0..<ow { out[(p * oh + y) * ow + x] = scalars[(p * h + y / factor) * w + x / factor] }
            }
        }
        return Tensor(shape: [shape[0], shape[1], oh, ow], scalars: out)
    }
}
