import Foundation

/// Printing tensors the way NumPy does: nested brackets, a fixed number of decimals, and
/// `...` in place of the middle of long axes.
extension Tensor: CustomStringConvertible {
    public var description: String { formatted() }

    /// The tensor as nested brackets with `decimals` digits, eliding axes longer than `edge * 2`.
    public func formatted(decimals: Int = 4, edge: Int = 3) -> String {
        func number(_ x: Float) -> String {
            let s = String(format: "%.\(decimals)f", Double(x))
            return x >= 0 || x.isNaN ? " " + s : s
        }
        func render(axis: Int, offset: Int, indent: String) -> String {
            if axis == rank { return number(scalars[offset]) }
            let n = shape[axis], stride = strides[axis]
            let shown: [Int?] = n > 2 * edge ? Array(0..<edge) + [nil] + Array((n - edge)..<n) : Array(0..<n)
            let separator = axis == rank - 1 ? "," : ",\n" + indent + " "
            let parts = shown.map { i in
                i.map { render(axis: axis + 1, offset: offset + $0 * stride, indent: indent + " ") } ?? " ..."
            }
            return "[" + parts.joined(separator: separator) + "]"
        }
        return render(axis: 0, offset: 0, indent: "") + "  shape \(shape)"
    }
}
