import Foundation
import Glibc
import SiameseKit

/// How `bench` times one figure, the same way `Benchmarks/frameworks.py` does: warm-up calls,
/// one call to calibrate, then `repeats` timed runs of as many calls as fill about `seconds`;
/// the best (shortest) run counts.
struct Timer {
    var repeats = 3
    var seconds = 2.0
    var warmup = 2
    var smoke = false

    /// Calls per second of `body` (best run), and how many calls each run made.
    func rate(_ body: () -> Void) -> (perSecond: Double, calls: Int) {
        if smoke {
            let t = timed(body).seconds
            return (1 / t, 1)
        }
        for _ in 0..<warmup { body() }
        let one = timed(body).seconds
        let calls = max(1, min(1000, Int((seconds / one).rounded())))
        var best = Double.infinity
        for _ in 0..<repeats {
            let t = timed { for _ in 0..<calls { body() } }.seconds
            best = min(best, t)
        }
        return (Double(calls) / best, calls)
    }
}

/// The most memory this process has held in RAM so far, in MB (Linux reports kilobytes).
func peakResidentMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// The processor's name from /proc/cpuinfo.
func cpuModel() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "?" }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
        return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?"
    }
    return "?"
}
