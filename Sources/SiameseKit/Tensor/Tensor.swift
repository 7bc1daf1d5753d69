/// An n-dimensional array of `Float`: a shape plus contiguous row-major storage.
///
/// `Tensor` is a value type. Its storage is a Swift `Array`, so copies are cheap and
/// copy-on-write: `var b = a; b[0, 0] = 1` copies `a`'s storage once, on that write.
/// Row-major means the last axis is contiguous: element `[i, j]` of a `[m, n]` tensor sits at
/// `i * n + j` (see `strides`).
///
/// Shapes are checked on every operation; a mismatch stops the program with a message that
/// names both shapes (see `ShapeError`).
public struct Tensor: Equatable, Sendable {
    /// The size of each axis, outermost first. `[]` is a scalar, `[3]` a vector, `[2, 3]` a matrix.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Float]

    /// A tensor of the given shape over row-major `scalars`.
    /// - Precondition: `scalars.count` equals the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        shapeCheck(try Shape.validate(shape, count: scalars.count))
        self.shape = shape
        self.scalars = scalars
    }

    /// A vector (rank 1) holding `scalars`.
    public init(_ scalars: [Float]) {
        self.init(shape: [scalars.count], scalars: scalars)
    }

    /// A matrix (rank 2) from its rows; every row must have the same length.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        for (i, row) in rows.enumerated() where row.count != columns {
            shapeFailure("row \(i) has \(row.count) elements but row 0 has \(columns)")
        }
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// A scalar (rank 0) tensor.
    public init(scalar: Float) {
        self.init(shape: [], scalars: [scalar])
    }

    /// The number of axes.
    @inlinable public var rank: Int { shape.count }
    /// The number of elements.
    @inlinable public var count: Int { scalars.count }
    /// How far apart, in elements, neighbours along each axis are: `[n, 1]` for a `[m, n]` matrix.
    public var strides: [Int] { Shape.strides(shape) }

    /// The only element of a one-element tensor (a scalar, `[1]`, `[1, 1]`, ...).
    public var scalar: Float {
        precondition(count == 1, "scalar: tensor of shape \(shape) has \(count) elements, not 1")
        return scalars[0]
    }

    /// The element at a full multi-index, e.g. `t[1, 2]` of a matrix.
    public subscript(indices: Int...) -> Float {
        get { scalars[offset(of: indices)] }
        set { scalars[offset(of: indices)] = newValue }
    }

    /// The storage offset of a full multi-index, with a clear message when it is out of range.
    func offset(of indices: [Int]) -> Int {
        precondition(indices.count == rank,
                     "index \(indices) has \(indices.count) components but the shape \(shape) has \(rank) axes")
        var offset = 0
        for (axis, index) in indices.enumerated() {
            precondition(index >= 0 && index < shape[axis],
                         "index \(indices) is out of range for shape \(shape) (axis \(axis))")
            offset = offset * shape[axis] + index
        }
        return offset
    }

    /// Replaces the shape without touching the storage (the element count must not change).
    mutating func setShape(_ newShape: [Int]) {
        shapeCheck(try Shape.validate(newShape, count: scalars.count))
        shape = newShape
    }
}
