import Dispatch
import Foundation

/// Splitting batch work over the cores. OpenBLAS has its own threads for the big matrix
/// products; the loops around them (im2col, col2im, pooling) use these.
public enum Parallel {
    /// How many workers to split loops over: the number of active cores unless set (the
    /// benchmark sets it to its `--threads`). Set it once, before any parallel work.
    nonisolated(unsafe) public static var workers = ProcessInfo.processInfo.activeProcessorCount

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
}
