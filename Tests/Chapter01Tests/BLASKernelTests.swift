import Testing
@testable import SiameseKit

/// Choosing better OpenBLAS kernels when its CPU detection falls back to old ones.
@Suite("OpenBLAS kernel choice")
struct BLASKernelTests {
    static let skylakeFlags: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl"]

    @Test func fallbackKernelsOnAnAVX512CPUBecomeSkylakeX() {
        #expect(BLAS.betterKernels(than: "Prescott", cpuFlags: Self.skylakeFlags) == "SkylakeX")
        #expect(BLAS.betterKernels(than: "Sandybridge", cpuFlags: Self.skylakeFlags) == "SkylakeX")
    }

    @Test func fallbackKernelsOnAnAVX2CPUBecomeHaswell() {
        #expect(BLAS.betterKernels(than: "Prescott", cpuFlags: ["sse3", "avx", "avx2", "fma"]) == "Haswell")
        // AVX-512 F alone (without DQ, BW, VL) is not enough for the SkylakeX kernels.
        #expect(BLAS.betterKernels(than: "Core2", cpuFlags: ["avx2", "fma", "avx512f"]) == "Haswell")
    }

    @Test func goodChoicesAndOldCPUsAreLeftAlone() {
        for current in ["Haswell", "SkylakeX", "Zen", "CooperLake", "NEOVERSEN1"] {
            #expect(BLAS.betterKernels(than: current, cpuFlags: Self.skylakeFlags) == nil)
        }
        #expect(BLAS.betterKernels(than: "Prescott", cpuFlags: ["sse3", "avx"]) == nil)
        #expect(BLAS.betterKernels(than: "Prescott", cpuFlags: []) == nil)
    }

    @Test func cpuFlagsAreReadFromTheFirstProcessor() {
        let cpuinfo = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu sse3 avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu\n"
        #expect(BLAS.cpuFlags(cpuinfo: cpuinfo) == ["fpu", "sse3", "avx2", "fma"])
        #expect(BLAS.cpuFlags(cpuinfo: "no flags here") == [])
        #expect(BLAS.cpuFlags(cpuinfo: nil) == [])
    }
}
