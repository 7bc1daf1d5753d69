/// Updates parameters from their gradients. Use: `zeroGrad()`, forward, `loss.backward()`, `step()`.
public protocol Optimizer: AnyObject {
    /// The parameters this optimizer updates.
    var parameters: [Variable] { get }
    /// The step size; mutable for schedules.
    var learningRate: Float { get set }
    /// Applies one update from the current gradients (parameters without one are left alone).
    func step()
}

extension Optimizer {
    /// Forgets all gradients before the next backward pass.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// One training step on a loss: clear gradients, compute the loss, back-propagate, update.
/// Returns the loss before the update.
@discardableResult
public func trainStep(_ optimizer: any Optimizer, loss: () -> Variable) -> Float {
    optimizer.zeroGrad()
    let value = loss()
    value.backward()
    optimizer.step()
    return value.value.scalar
}
