/// Ways to make a tensor: constants, ranges and seeded random draws.
extension Tensor {
    /// A tensor of `shape` with every element equal to `value`.
    public init(repeating value: Float, shape: [Int]) {
        shapeCheck(try Shape.validate(shape, count: Shape.count(shape)))
        self.init(shape: shape, scalars: [Float](repeating: value, count: Shape.count(shape)))
    }

    /// All zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

    /// All ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// The vector `[start, start + step, ...]` of values below `end` (NumPy's `arange`).
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
        precondition(step != 0, "arange: step must not be 0")
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor((0..<n).map { start + Float($0) * step })
    }

    /// Draws from the normal distribution N(mean, std²).
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                                    using generator: inout SeededGenerator) -> Tensor {
        let n = Shape.count(shape)
        let scalars = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n { buffer[i] = mean + std * generator.nextNormal() }
            initialized = n
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// Draws uniformly from `[low, high)`.
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     using generator: inout SeededGenerator) -> Tensor {
        let n = Shape.count(shape)
        let width = high - low
        let scalars = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n { buffer[i] = low + width * generator.nextUniform() }
            initialized = n
        }
        return Tensor(shape: shape, scalars: scalars)
    }
}
