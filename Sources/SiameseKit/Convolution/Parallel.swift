import Dispatch
import Foundation

/// The core's one thread pool: batch loops (im2col, pooling, activations) and matrix products
/// split over `workers` threads; OpenBLAS itself runs on one thread inside each (see `BLAS`),
/// so that its own threads never compete with these.
public enum Parallel {
    /// How many workers to split loops over: the number of active cores unless set (the
    /// benchmark sets it to its `--threads`).
    nonisolated(unsafe) public static var workers = ProcessInfo.processInfo.activeProcessorCount

    /// How many parts a reduction over the batch (a convolution's weight gradient) is split into:
    /// fixed for the process, whatever `workers` is, so that sums are added in the same order
    /// and the same seed gives the same numbers with one worker or many.
    public static let lanes = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs `body` on contiguous chunks covering `0..<count`, one chunk per worker, in parallel.
    /// `body` must only write to memory its own chunk owns.
    public static func forEachChunk(_ count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = Swift.max(1, Swift.min(workers, count / Swift.max(minimumChunk, 1)))
        if chunks == 1 || count <= 1 {
            body(0..<count)
            return
        }
        // The chunks write disjoint memory, which is what makes sharing `body` safe.
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: chunks) { k in
                let start = count * k / chunks, end = count * (k + 1) / chunks
                if start < end { work(start..<end) }
            }
        }
    }

    /// Runs `body(i)` for every `i` in `0..<count`, spread over the workers.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        forEachChunk(count) { range in for i in range { body(i) } }
    }
}
