import Foundation
import SiameseKit

/// What `bench` measured: printed as it goes, and written as one JSON object whose model keys
/// are the ones `Benchmarks/frameworks.py` writes (`"framework": "swift"`).
struct BenchReport {
    let threads: Int, repeats: Int, smoke: Bool, cpu: String
    private var values: [String: Double] = [:]
    private var calls: [String: Int] = [:]
    private var kernels: [String: [String: Double]] = [:]

    init(threads: Int, repeats: Int, smoke: Bool, cpu: String) {
        self.threads = threads
        self.repeats = repeats
        self.smoke = smoke
        self.cpu = cpu
    }

    /// One of the comparison's figures (pairs/s, embeddings/s, MB).
    mutating func add(key: String, label: String, value: Double, calls n: Int, note: String = "") {
        values[key] = value
        if n > 0 { calls[label] = n }
        let per = n > 0 ? "  (\(n) call\(n == 1 ? "" : "s")/run\(note.isEmpty ? "" : "; \(note)"))" : ""
        print(row(label, value) + per)
    }

    /// A kernel's GFLOP/s, grouped (sgemm by size, convolutions by layer).
    mutating func addKernel(group: String, name: String, label: String, value: Double) {
        kernels[group, default: [:]][name] = value
        print(row(label, value))
    }

    private func row(_ label: String, _ value: Double) -> String {
        label.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%12.1f", value)
    }

    func write(to url: URL) throws {
        var object: [String: Any] = [
            "framework": "swift", "version": "SiameseKit", "threads": threads, "cpu": cpu,
            "repeats": repeats, "smoke": smoke, "steps_per_run": calls, "openblas_kernels": BLAS.kernels,
        ]
        for (k, v) in values { object[k] = (v * 100).rounded() / 100 }
        for (k, v) in kernels { object[k] = v.mapValues { ($0 * 10).rounded() / 10 } }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: url)
    }
}
