/// A shape disagreement, with a message that names the shapes involved.
///
/// Tensor operations treat a shape error as a programming error, the way NumPy and PyTorch raise:
/// the program stops with this message (`shapeCheck`). The throwing checks in `Shape` let code
/// (and tests) ask first.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    /// What disagreed, e.g. "cannot broadcast shapes [2, 3] and [4, 3]: axis 0 has 2 and 4".
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "shape error: \(message)" }
}

/// Runs a throwing shape check and stops the program with its message if it fails.
@usableFromInline @inline(__always)
func shapeCheck<T>(_ check: @autoclosure () throws -> T) -> T {
    do { return try check() } catch { fatalError("\(error)") }
}

/// Stops the program with a shape error's message.
@usableFromInline
func shapeFailure(_ message: String) -> Never {
    fatalError("\(ShapeError(message))")
}

/// Shape arithmetic: element counts, strides, broadcasting and axis normalisation.
public enum Shape {
    /// The number of elements of a tensor of this shape (1 for the scalar shape `[]`).
    @inlinable public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides, each the product of the later axes: `[6, 3, 1]` for `[2, 2, 3]`.
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in shape.indices.reversed() {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// Checks that a shape has no negative axis and holds exactly `count` elements.
    public static func validate(_ shape: [Int], count: Int) throws {
        if shape.contains(where: { $0 < 0 }) { throw ShapeError("shape \(shape) has a negative axis") }
        let expected = Self.count(shape)
        if expected != count {
            throw ShapeError("shape \(shape) holds \(expected) elements but \(count) were given")
        }
    }

    /// The NumPy broadcast of two shapes: align them at the right; each pair of axes must be
    /// equal or one of them 1, and the result takes the larger.
    ///
    /// `[3, 1] with [4]` gives `[3, 4]`; `[2, 3] with [4, 3]` throws.
    public static func broadcast(_ a: [Int], _ b: [Int]) throws -> [Int] {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 {
                result[i] = da
            } else if da == 1 {
                result[i] = db
            } else {
                throw ShapeError("cannot broadcast shapes \(a) and \(b): axis \(i) of the result would need both \(da) and \(db)")
            }
        }
        return result
    }

    /// An axis in `0..<rank`, accepting negative axes counted from the end (-1 is the last).
    public static func normalize(axis: Int, rank: Int) throws -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        guard normalized >= 0 && normalized < rank else {
            throw ShapeError("axis \(axis) is out of range for a tensor of rank \(rank)")
        }
        return normalized
    }

    /// Resolves one `-1` in a requested shape from the element count.
    public static func resolve(_ requested: [Int], count: Int, from original: [Int]) throws -> [Int] {
        let unknown = requested.indices.filter { requested[$0] == -1 }
        if unknown.count > 1 { throw ShapeError("cannot reshape \(original) to \(requested): more than one -1") }
        var shape = requested
        if let axis = unknown.first {
            let known = requested.enumerated().filter { $0.offset != axis }.map(\.element).reduce(1, *)
            guard known > 0, count % known == 0 else {
                throw ShapeError("cannot reshape \(original) (\(count) elements) to \(requested)")
            }
            shape[axis] = count / known
        }
        guard Self.count(shape) == count, !shape.contains(where: { $0 < 0 }) else {
            throw ShapeError("cannot reshape \(original) (\(count) elements) to \(requested)")
        }
        return shape
    }
}
