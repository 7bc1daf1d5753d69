/// Mini-batches: a seeded shuffle of `0..<count` cut into runs of `size` indices. The last,
/// shorter batch is kept unless `dropLast` is set.
public struct Batches: Sequence {
    public let order: [Int]
    public let size: Int
    public let dropLast: Bool

    /// The indices of one epoch, shuffled by `generator` (or in order when `shuffle` is false).
    public init(count: Int, size: Int, shuffle: Bool = true, dropLast: Bool = false,
                using generator: inout SeededGenerator) {
        precondition(size > 0, "Batches: batch size must be positive")
        var order = Array(0..<count)
        if shuffle { order.shuffle(using: &generator) }
        self.order = order
        self.size = size
        self.dropLast = dropLast
    }

    /// How many batches the epoch has.
    public var count: Int { dropLast ? order.count / size : (order.count + size - 1) / size }

    public func makeIterator() -> AnyIterator<ArraySlice<Int>> {
        var start = 0
        return AnyIterator {
            guard start < order.count else { return nil }
            let end = Swift.min(start + size, order.count)
            if dropLast && end - start < size { return nil }
            defer { start = end }
            return order[start..<end]
        }
    }
}
