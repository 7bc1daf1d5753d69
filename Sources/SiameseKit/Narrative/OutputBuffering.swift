import CSystem

/// Process-wide settings a program makes once at start (chapters through `Notebook`, the
/// `siamese` tool and the benchmarks directly).
public enum ProcessSetup {
    /// Line-buffers standard output, so a chapter piped into a log (`| tee run.log`) shows each
    /// line as it is printed rather than in 4 KiB blocks.
    public static func lineBufferStandardOutput() {
        csystem_line_buffer_stdout()
    }

    /// Keeps freed buffers in the heap for the next step instead of returning them to the
    /// kernel. Large tensors (a batch's im2col matrix is 58 MB for a 64-channel 3x3 layer at
    /// 14x14 and 128 images) are otherwise mapped and unmapped on every step; measured on the
    /// Omniglot conv4 training step: 506 → 901 images/s, peak memory 724 → 882 MB.
    public static func keepFreedMemory() {
        csystem_keep_freed_memory()
    }
}
