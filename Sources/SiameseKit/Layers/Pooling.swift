/// Max pooling over `kernel × kernel` windows (stride defaults to `kernel`):
/// `[N, C, H, W]` → `[N, C, H/kernel, W/kernel]`. No parameters.
public final class MaxPool2D: Layer {
    public let kernel: Int, stride: Int
    public init(_ kernel: Int, stride: Int? = nil) {
        self.kernel = kernel
        self.stride = stride ?? kernel
    }
    public func callAsFunction(_ input: Variable) -> Variable { maxPool2d(input, kernel: kernel, stride: stride) }
    public var namedParameters: [(name: String, parameter: Variable)] { [] }
}

/// Average pooling over `kernel × kernel` windows (stride defaults to `kernel`). No parameters.
public final class AvgPool2D: Layer {
    public let kernel: Int, stride: Int
    public init(_ kernel: Int, stride: Int? = nil) {
        self.kernel = kernel
        self.stride = stride ?? kernel
    }
    public func callAsFunction(_ input: Variable) -> Variable { avgPool2d(input, kernel: kernel, stride: stride) }
    public var namedParameters: [(name: String, parameter: Variable)] { [] }
}

/// Flattens every axis after the first: `[N, C, H, W]` → `[N, C·H·W]`, between the
/// convolutional part of a network and its dense part. No parameters.
public final class Flatten: Layer {
    public init() {}
    public func callAsFunction(_ input: Variable) -> Variable { input.reshaped([input.shape[0], -1]) }
    public var namedParameters: [(name: String, parameter: Variable)] { [] }
}
