/// Whether operations record the graph. Evaluation and inference switch it off with
/// `withoutGradients`, so no pullbacks (and no copies of intermediate tensors) are kept.
public enum GradientMode {
    /// True while operations record gradients (the default).
    nonisolated(unsafe) public internal(set) static var isEnabled = true
}

/// Runs `body` with graph recording off (PyTorch's `torch.no_grad()`), then restores it.
public func withoutGradients<T>(_ body: () throws -> T) rethrows -> T {
    let previous = GradientMode.isEnabled
    GradientMode.isEnabled = false
    defer { GradientMode.isEnabled = previous }
    return try body()
}
