/// A node in a computation graph: a tensor value, and how to send gradients back to the
/// values it was computed from. Reverse-mode automatic differentiation in the style of
/// Karpathy's micrograd, over tensors instead of scalars.
///
/// Every operation on variables records its inputs (`parents`) and a closure that turns the
/// gradient of the output into gradients of the inputs (the vector-Jacobian product). Calling
/// `backward()` on a scalar loss visits the graph in reverse topological order and applies
/// the chain rule. Leaves created with `requiresGrad: true` (parameters, or inputs you want
/// gradients for) accumulate theirs in `grad`; intermediate gradients are freed as soon as
/// they have been used.
///
/// Operations whose inputs need no gradient record nothing, so inference builds no graph.
public final class Variable {
    /// The tensor this node holds.
    public var value: Tensor
    /// The accumulated gradient of the last `backward()` calls (leaves only); `nil` before any.
    public var grad: Tensor?
    /// Whether gradients flow to (or through) this node.
    public let requiresGrad: Bool
    /// An optional label, shown when the graph is printed.
    public var name: String?
    /// The operation that made this node ("leaf" for inputs and parameters).
    public let op: String
    /// The nodes this one was computed from.
    public let parents: [Variable]
    /// Maps the gradient of this node to the gradients of its parents (nil where none is needed).
    let pullback: ((Tensor) -> [Tensor?])?

    /// A leaf: an input, or a parameter when `requiresGrad` is true.
    public init(_ value: Tensor, requiresGrad: Bool = false, name: String? = nil) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.name = name
        self.op = "leaf"
        self.parents = []
        self.pullback = nil
    }

    /// The result of an operation. When no parent requires a gradient, or inside
    /// `withoutGradients`, the node is a constant.
    init(_ value: Tensor, op: String, parents: [Variable], pullback: @escaping (Tensor) -> [Tensor?]) {
        self.value = value
        self.op = op
        self.name = nil
        if GradientMode.isEnabled && parents.contains(where: \.requiresGrad) {
            self.requiresGrad = true
            self.parents = parents
            self.pullback = pullback
        } else {
            self.requiresGrad = false
            self.parents = []
            self.pullback = nil
        }
    }

    /// The shape of `value`.
    public var shape: [Int] { value.shape }

    /// Back-propagates from this node, which must hold a single number (a loss).
    public func backward() {
        precondition(value.count == 1, "backward: call it on a scalar loss, not on shape \(value.shape)")
        backward(seed: Tensor(repeating: 1, shape: value.shape))
    }

    /// Back-propagates `seed` (the gradient of some scalar with respect to this node).
    public func backward(seed: Tensor) {
        precondition(seed.shape == value.shape, "backward: seed shape \(seed.shape) differs from value shape \(value.shape)")
        guard requiresGrad else { return }
        let order = topologicalOrder()
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        for node in order.reversed() {
            guard let g = grads.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            guard let pullback = node.pullback else {
                // A leaf that wants its gradient keeps it, adding to earlier ones.
                if node.grad == nil { node.grad = g } else { node.grad! += g }
                continue
            }
            for (parent, pg) in zip(node.parents, pullback(g)) where parent.requiresGrad {
                guard let pg else { continue }
                let key = ObjectIdentifier(parent)
                if grads[key] == nil { grads[key] = pg } else { grads[key]! += pg }
            }
        }
    }

    /// Forgets the accumulated gradient.
    public func zeroGrad() { grad = nil }

    /// The nodes that lead to this one, each after all of its parents (iterative, no recursion).
    func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Variable, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for parent in node.parents where !visited.contains(ObjectIdentifier(parent)) {
                stack.append((parent, false))
            }
        }
        return order
    }

    /// The graph below this node as indented text, one line per node: a picture of what
    /// `backward()` will walk through.
    public func graphDescription() -> String {
        var lines: [String] = []
        var seen = Set<ObjectIdentifier>()
        func visit(_ node: Variable, depth: Int) {
            let label = node.name.map { " \($0)" } ?? ""
            let again = seen.contains(ObjectIdentifier(node)) ? " (shown above)" : ""
            lines.append(String(repeating: "  ", count: depth) + "\(node.op)\(label) \(node.shape)\(again)")
            guard seen.insert(ObjectIdentifier(node)).inserted else { return }
            for parent in node.parents { visit(parent, depth: depth + 1) }
        }
        visit(self, depth: 0)
        return lines.joined(separator: "\n")
    }
}
