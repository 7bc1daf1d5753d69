extension Omniglot {
    /// Every drawing put in its ink box (`Framing.inkBox`) at `side x side`: the same
    /// characters, drawers and order, `method` `.area`.
    public func inkBoxFramed(side newSide: Int, fill: Float = Framing.defaultInkBoxFill) -> Omniglot {
        let size = side * side, newSize = newSide * newSide
        var out = [UInt8](repeating: 0, count: count * newSize)
        var ink = [Float](repeating: 0, count: size)
        for index in 0..<count {
            let base = index &* size
            for j in 0..<size { ink[j] = Float(pixels[base &+ j]) / 255 }
            let framed = Framing.inkBox(ink, width: side, height: side, side: newSide, fill: fill)
            for j in 0..<newSize {
                // Round to the nearest byte; the value is in [0, 1] up to rounding error.
                let v = framed[j] * 255 + 0.5
                out[index &* newSize &+ j] = v <= 0 ? 0 : v >= 255 ? 255 : UInt8(v)
            }
        }
        return Omniglot(split: split, side: newSide, method: .area, alphabets: alphabets, characters: characters,
                        imageCharacters: imageCharacters, imageDrawers: imageDrawers, pixels: out)
    }
}
