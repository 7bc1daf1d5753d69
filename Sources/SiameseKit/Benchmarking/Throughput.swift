/// Timing helpers for measured claims: best-of-repeats, so a busy moment on the machine does
/// not count against the code.
public enum Throughput {
    /// The best time of `body` over repeats, after one warm-up run, repeating until
    /// `minimumSeconds` have been spent (at least `minimumRepeats` times).
    public static func bestSeconds(minimumSeconds: Double = 0.2, minimumRepeats: Int = 3,
                                   _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity, spent = 0.0, runs = 0
        while spent < minimumSeconds || runs < minimumRepeats {
            let seconds = timed(body).seconds
            best = min(best, seconds)
            spent += seconds
            runs += 1
        }
        return best
    }

    /// GFLOP/s of an `n × n` by `n × n` matrix product (2n³ floating-point operations).
    public static func matmulGFLOPS(size n: Int, minimumSeconds: Double = 0.2,
                                    using generator: inout SeededGenerator,
                                    _ multiply: (Tensor, Tensor) -> Tensor) -> Double {
        let a = Tensor.randomNormal([n, n], using: &generator)
        let b = Tensor.randomNormal([n, n], using: &generator)
        let seconds = bestSeconds(minimumSeconds: minimumSeconds) { blackHole(multiply(a, b)) }
        return 2 * Double(n) * Double(n) * Double(n) / seconds / 1e9
    }
}

/// Consumes a value so the optimiser cannot remove the work that produced it.
@inline(never)
public func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }
