import Foundation
import Testing
import ChapterTesting
import SiameseKit

/// The speed benchmark: it runs, writes the keys `Benchmarks/compare.sh` reads, and times the
/// same networks `Benchmarks/frameworks.py` builds in PyTorch and TensorFlow.
@Suite("Speed benchmark")
struct BenchTests {
    @Test func smokeRunWritesTheComparisonKeys() throws {
        let folder = ChapterProcess.scratchFolder("siamese-bench")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("swift.json")
        let run = try ChapterProcess.run("bench", ["--smoke", "--only", "m1,sgemm", "--json", json.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("M1 train (pairs/s)"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]
        #expect(object?["framework"] as? String == "swift")
        #expect(object?["openblas_kernels"] as? String == BLAS.kernels && !BLAS.kernels.isEmpty)
        for key in ["m1_train_pairs_per_s", "m1_infer_per_s", "peak_rss_mb"] {
            let value = object?[key] as? Double ?? 0
            #expect(value > 0, "\(key) = \(value)")
        }
        let sgemm = object?["sgemm_gflops"] as? [String: Double] ?? [:]
        #expect(sgemm.keys.sorted() == ["1024", "128", "2048", "256", "512"])
    }

    @Test(arguments: [["--threads", "0"], ["--only", "gpu"], ["--repeats", "x"]])
    func badFlagsGiveOneLineAndFail(_ arguments: [String]) throws {
        let run = try ChapterProcess.run("bench", arguments)
        #expect(run.status != 0)
        #expect(run.stderr.contains("Error:"), "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"))
    }

    /// Parameter counts of the layer shapes `frameworks.py` lists (PyTorch's `numel` sums).
    @Test func theModelsAreTheFrameworksModels() {
        var g = SeededGenerator(seed: 1)
        let m1 = MNISTNetworks.encoder(embeddingSize: 32, using: &g).parameters.map(\.value.count).reduce(0, +)
        #expect(m1 == (32 * 25 + 32) + (64 * 32 * 25 + 64) + (1024 * 256 + 256) + (256 * 32 + 32))
        let m2 = OmniglotNetworks.koch(using: &g).parameters.map(\.value.count).reduce(0, +)
        #expect(m2 == (64 * 100 + 64) + (128 * 64 * 49 + 128) + (128 * 128 * 16 + 128)
                + (256 * 128 * 16 + 256) + (9216 * 4096 + 4096))
    }
}
