/// An 8-bit grayscale image: `height` rows of `width` bytes, row-major, 0 black ... 255 white.
/// What `PNG.decodeGray` returns for a PNG of any bit depth and colour type.
public struct GrayImage: Equatable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// `width * height` bytes, row by row from the top.
    public var pixels: [UInt8]

    /// An image over row-major `pixels`; `pixels.count` must be `width * height`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height,
                     "GrayImage: \(pixels.count) pixels for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The pixel in `row` (from the top) and `column` (from the left).
    public subscript(row: Int, column: Int) -> UInt8 {
        get { pixels[row * width + column] }
        set { pixels[row * width + column] = newValue }
    }

    /// The mean brightness in [0, 1]: above 0.5 for dark strokes on a light page (Omniglot,
    /// most drawings), below for light strokes on black (MNIST).
    public var meanBrightness: Float {
        guard !pixels.isEmpty else { return 0 }
        return Float(pixels.reduce(0) { $0 + Int($1) }) / Float(pixels.count * 255)
    }

    /// The pixels as Floats in [0, 1]: brightness `v / 255`, or with `ink` its complement
    /// `1 - v / 255`, so that dark strokes become 1 on a 0 background, like MNIST.
    public func values(ink: Bool = false) -> [Float] {
        pixels.map { ink ? 1 - Float($0) / 255 : Float($0) / 255 }
    }

    /// The image as a batch of one, shape `[1, 1, height, width]` (see `values(ink:)`).
    public func tensor(ink: Bool = false) -> Tensor {
        Tensor(shape: [1, 1, height, width], scalars: values(ink: ink))
    }

    /// The image resampled to `width x height` (see `Resampling`), rounded back to bytes.
    public func resized(width newWidth: Int, height newHeight: Int, method: ResizeMethod = .area) -> GrayImage {
        let out = Resampling.resize(pixels.map(Float.init), width: width, height: height,
                                    toWidth: newWidth, toHeight: newHeight, method: method)
        return GrayImage(width: newWidth, height: newHeight,
                         pixels: out.map { UInt8(Swift.min(Swift.max($0.rounded(), 0), 255)) })
    }
}
