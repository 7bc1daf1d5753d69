import Foundation

extension Omniglot {
    /// EXPERIMENT: every drawing cropped to a square around its ink's bounding box (the box
    /// filling `fill` of the side, never magnified past `minimumCrop` source pixels) and resized
    /// to `side x side` by area averaging.
    public func inkBoxFramed(side newSide: Int, fill: Float = 26.0 / 32.0, minimumCrop: Int = 40) -> Omniglot {
        let s = side, size = s * s
        var out = [UInt8](repeating: 0, count: count * newSide * newSide)
        for index in 0..<count {
            let base = index * size
            var x0 = s, x1 = -1, y0 = s, y1 = -1
            for y in 0..<s { for x in 0..<s where pixels[base + y * s + x] > 127 {
                x0 = Swift.min(x0, x); x1 = Swift.max(x1, x); y0 = Swift.min(y0, y); y1 = Swift.max(y1, y)
            } }
            if x1 < 0 { x0 = 0; x1 = s - 1; y0 = 0; y1 = s - 1 }
            let box = Float(Swift.max(x1 - x0 + 1, y1 - y0 + 1))
            let crop = Swift.max(Int((box / fill).rounded()), minimumCrop)
            let cx = Float(x0 + x1 + 1) / 2, cy = Float(y0 + y1 + 1) / 2
            let left = Int((cx - Float(crop) / 2).rounded()), top = Int((cy - Float(crop) / 2).rounded())
            var window = [Float](repeating: 0, count: crop * crop)
            for y in 0..<crop {
                let sy = top + y
                guard sy >= 0 && sy < s else { continue }
                for x in 0..<crop {
                    let sx = left + x
                    if sx >= 0 && sx < s { window[y * crop + x] = Float(pixels[base + sy * s + sx]) / 255 }
                }
            }
            let small = Resampling.resize(window, width: crop, height: crop, toWidth: newSide, toHeight: newSide, method: .area)
            for j in 0..<(newSide * newSide) {
                let v = small[j] * 255 + 0.5
                out[index * newSide * newSide + j] = v <= 0 ? 0 : v >= 255 ? 255 : UInt8(v)
            }
        }
        return Omniglot(split: split, side: newSide, method: .area, alphabets: alphabets, characters: characters,
                        imageCharacters: imageCharacters, imageDrawers: imageDrawers, pixels: out)
    }
}
