/// The sizes of one 2-D convolution or pooling window sliding over `[N, C, H, W]` images:
/// input plane, kernel, stride, zero padding, and the output plane they give,
/// `out = (in + 2·padding − kernel) / stride + 1` along each axis.
public struct ConvGeometry: Equatable, Sendable {
    public let channels: Int, height: Int, width: Int
    public let kernelHeight: Int, kernelWidth: Int
    public let stride: Int, padding: Int
    public let outputHeight: Int, outputWidth: Int

    public init(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
                stride: Int = 1, padding: Int = 0) {
        precondition(stride >= 1 && padding >= 0, "convolution: stride must be ≥ 1 and padding ≥ 0")
        self.channels = channels
        self.height = height
        self.width = width
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
        outputHeight = (height + 2 * padding - kernelHeight) / stride + 1
        outputWidth = (width + 2 * padding - kernelWidth) / stride + 1
        precondition(outputHeight > 0 && outputWidth > 0,
                     "convolution: a \(kernelHeight)x\(kernelWidth) window does not fit a \(height)x\(width) input with padding \(padding)")
    }

    /// Rows of the im2col matrix: one per (channel, kernel row, kernel column).
    public var patchSize: Int { channels * kernelHeight * kernelWidth }
    /// Output positions per image (columns of the im2col matrix per image).
    public var outputPlane: Int { outputHeight * outputWidth }
    /// Input elements per image.
    public var inputPlane: Int { channels * height * width }
}
