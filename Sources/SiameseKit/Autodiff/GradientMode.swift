/// Whether operations record the graph. Evaluation and inference switch it off with
/// `withoutGradients`, so no pullbacks (and no copies of intermediate tensors) are kept.
///
/// The switch is task-local: one task evaluating without gradients never stops another
/// (for example a test running in parallel) from recording its graph.
public enum GradientMode {
    @TaskLocal static var recording = true

    /// True while operations record gradients (the default).
    public static var isEnabled: Bool { recording }
}

/// Runs `body` with graph recording off (PyTorch's `torch.no_grad()`), then restores it.
public func withoutGradients<T>(_ body: () throws -> T) rethrows -> T {
    try GradientMode.$recording.withValue(false) { try body() }
}
