import ArgumentParser
import Foundation
import SiameseKit

/// `swift run -c release bench`: the package's side of the speed comparison with PyTorch and
/// TensorFlow (`Benchmarks/compare.sh` runs it next to `Benchmarks/frameworks.py`).
///
/// Measures, with warm-up and best-of-repeats: the M1 and M2 training steps (pairs/s) and
/// inference (embeddings/s), the peak resident memory they needed, OpenBLAS sgemm (GFLOP/s by
/// size), and every convolution of M1 and M2 forward and backward (GFLOP/s). Prints a table;
/// `--json FILE` also writes the figures with the keys `frameworks.py` writes.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the core: M1/M2 training and inference, sgemm, and each convolution.")

    @Option(help: "Compute threads (OpenBLAS and the core's own loops).")
    var threads = 2

    @Option(help: "Timed runs per figure; the best counts.")
    var repeats = 3

    @Option(help: "About how long each timed run lasts, in seconds.")
    var seconds = 2.0

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Option(help: "Parts to run, comma-separated: models (or just m1, m2), conv4, sgemm, conv (default: all).")
    var only = "models,conv4,sgemm,conv"

    @Flag(help: "One call of everything, no repeats: checks that it runs, not how fast.")
    var smoke = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
        let unknown = parts.subtracting(["models", "m1", "m2", "conv4", "sgemm", "conv"])
        guard unknown.isEmpty else {
            throw ValidationError("--only: unknown part(s) \(unknown.sorted().joined(separator: ", ")); use models, m1, m2, conv4, sgemm, conv")
        }
    }

    var parts: Set<String> { Set(only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }

    func run() throws {
        ProcessSetup.lineBufferStandardOutput()
        ProcessSetup.keepFreedMemory()
        Parallel.workers = threads
        BLAS.threads = threads
        let timer = Timer(repeats: repeats, seconds: seconds, smoke: smoke)
        var report = BenchReport(threads: threads, repeats: repeats, smoke: smoke, cpu: cpuModel())
        print("bench: \(threads) thread(s), \(smoke ? "smoke run (1 call each)" : "best of \(repeats)"), \(report.cpu), OpenBLAS kernels \(BLAS.kernels)")
        if let better = BLAS.betterKernels(than: BLAS.kernels, cpuFlags: BLAS.cpuFlags()) {
            print("bench: OpenBLAS fell back to \(BLAS.kernels) kernels on a CPU that runs \(better)'s; the chapters and `siamese` "
                  + "restart with OPENBLAS_CORETYPE=\(better): prefix this command with it to time what they run")
        }

        let models = BenchModel.allCases.filter { parts.contains("models") || parts.contains($0.rawValue.lowercased()) }
        if !models.isEmpty {
            for model in models {
                let (train, infer) = model.make(seed: 42)
                var loss: Float = 0
                let t = timer.rate { loss = train() }
                report.add(key: "\(model.rawValue.lowercased())_train_pairs_per_s", label: "\(model.rawValue) train (pairs/s)",
                           value: t.perSecond * Double(model.pairs), calls: t.calls, note: "loss \(fixed(loss, 4))")
                let i = timer.rate { blackHole(infer()) }
                report.add(key: "\(model.rawValue.lowercased())_infer_per_s", label: "\(model.rawValue) inference, b=\(model.inferenceBatch) (emb/s)",
                           value: i.perSecond * Double(model.inferenceBatch), calls: i.calls)
            }
            // Before the kernels below, so that it is the models' own peak, as the frameworks report.
            report.add(key: "peak_rss_mb", label: "peak resident memory (MB)", value: peakResidentMB(), calls: 0)
        }
        if parts.contains("conv4") {
            for width in [64, 128] {
                let step = Conv4Step(width: width)
                let train = step.make(seed: 42)
                var loss: Float = 0
                let t = timer.rate { loss = train() }
                report.add(key: "conv4_\(width)_train_images_per_s", label: "Ch07 conv4 \(width) maps train (images/s)",
                           value: t.perSecond * Double(step.images), calls: t.calls, note: "loss \(fixed(loss, 4))")
            }
        }
        if parts.contains("sgemm") {
            var g = SeededGenerator(seed: 1)
            for n in [128, 256, 512, 1024, 2048] {
                let a = Tensor.randomNormal([n, n], using: &g), b = Tensor.randomNormal([n, n], using: &g)
                let r = timer.rate { blackHole(matmul(a, b)) }
                report.addKernel(group: "sgemm_gflops", name: "\(n)", label: "sgemm \(n)x\(n) (GFLOP/s)",
                                 value: r.perSecond * 2 * pow(Double(n), 3) / 1e9)
            }
        }
        if parts.contains("conv") {
            for model in BenchModel.allCases {
                for shape in model.convolutions {
                    let (forward, backward) = shape.make(seed: 7)
                    let f = timer.rate { blackHole(forward()) }
                    let fb = timer.rate { blackHole(backward()) }
                    // The backward pass alone: forward + backward minus the forward.
                    let backwardSeconds = max(1 / fb.perSecond - 1 / f.perSecond, 1e-9)
                    report.addKernel(group: "conv_forward_gflops", name: shape.name, label: "\(shape.name) forward (GFLOP/s)",
                                     value: f.perSecond * shape.forwardFLOPs / 1e9)
                    report.addKernel(group: "conv_backward_gflops", name: shape.name, label: "\(shape.name) backward (GFLOP/s)",
                                     value: shape.backwardFLOPs / backwardSeconds / 1e9)
                }
            }
        }
        if let json {
            try report.write(to: URL(fileURLWithPath: json))
            print("bench: wrote \(json)")
        }
    }
}
