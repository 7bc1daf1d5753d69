import Foundation

/// Choosing OpenBLAS's kernels when its own CPU detection falls short.
///
/// OpenBLAS (built with `DYNAMIC_ARCH`, as Debian's is) picks its kernels from the CPU's
/// family and model numbers when it loads. A virtual machine that reports a generic CPU
/// ("Intel(R) Xeon(R) Processor") makes it fall back to kernels of 2004 ("Prescott", SSE3
/// only) even when the CPU has AVX2 or AVX-512. Measured on such a machine with two cores
/// (`bench --only conv4,sgemm`): sgemm 1024x1024 at 31 GFLOP/s with Prescott against 244 with
/// SkylakeX kernels, Chapter 07's training step at 247 against 851 images/s, and the chapter's
/// ten default epochs in 34 minutes of training instead of 15. OpenBLAS reads
/// `OPENBLAS_CORETYPE` only when it loads, so the choice takes a restart of the program.
extension BLAS {
    /// Kernel generations older than AVX2, the fallbacks of OpenBLAS's detection.
    static let preAVX2Kernels: Set<String> = [
        "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "katmai", "coppermine", "northwood",
        "banias", "sandybridge", "opteron", "opteron_sse3", "barcelona", "bobcat", "bulldozer", "piledriver",
        "steamroller", "excavator",
    ]

    /// The kernels to ask for instead of `current` on a CPU with these `/proc/cpuinfo` flags:
    /// "SkylakeX" with AVX-512 (F, DQ, BW and VL), "Haswell" with AVX2 and FMA; nil when
    /// `current` is not an older generation's fallback or the CPU has neither.
    public static func betterKernels(than current: String, cpuFlags: Set<String>) -> String? {
        guard preAVX2Kernels.contains(current.lowercased()) else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The flags of the first processor in `/proc/cpuinfo` (empty where there is none).
    public static func cpuFlags(cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) -> Set<String> {
        guard let line = cpuinfo?.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}

extension ProcessSetup {
    /// The environment variable a restart by `useFastBLASKernels` leaves the kernels it
    /// replaced in.
    static let replacedKernelsVariable = "SIAMESE_BLAS_REPLACED_KERNELS"

    /// When OpenBLAS fell back to pre-AVX2 kernels on a CPU that has AVX2 or AVX-512 (see
    /// `BLAS.betterKernels`), starts this program again, same arguments, with
    /// `OPENBLAS_CORETYPE` set to the better kernels. Silent, so a command's output and its
    /// one-line errors stay as they are; `replacedBLASKernels` tells the restarted program.
    /// Does nothing when `OPENBLAS_CORETYPE` is already set (the user's choice, and the
    /// restarted program's) or when the restart fails. Call it first, before any output.
    public static func useFastBLASKernels() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil else { return }
        let current = BLAS.kernels
        guard let better = BLAS.betterKernels(than: current, cpuFlags: BLAS.cpuFlags()) else { return }
        setenv("OPENBLAS_CORETYPE", better, 1)
        setenv(replacedKernelsVariable, current, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        unsetenv("OPENBLAS_CORETYPE")                      // the restart failed: carry on as we are
        unsetenv(replacedKernelsVariable)
    }

    /// The kernels OpenBLAS had chosen before `useFastBLASKernels` restarted this program
    /// with better ones, or nil.
    public static var replacedBLASKernels: String? {
        ProcessInfo.processInfo.environment[replacedKernelsVariable]
    }
}
