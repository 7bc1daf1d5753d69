import Testing
@testable import SiameseKit

/// OpenBLAS's product against the naive loop, with every transpose combination.
@Suite("Matrix multiplication")
struct MatMulTests {
    @Test func handComputed() {
        let a = Tensor([[1, 2], [3, 4]]), b = Tensor([[5, 6], [7, 8]])
        #expect(matmul(a, b).scalars == [19, 22, 43, 50])
        #expect(naiveMatmul(a, b).scalars == [19, 22, 43, 50])
    }

    @Test(arguments: [(1, 1, 1), (3, 5, 2), (17, 33, 9), (64, 64, 64), (100, 7, 130)])
    func blasMatchesNaiveLoop(m: Int, k: Int, n: Int) {
        var g = SeededGenerator(seed: UInt64(m * 1000 + k * 10 + n))
        let a = Tensor.randomNormal([m, k], using: &g)
        let b = Tensor.randomNormal([k, n], using: &g)
        #expect(matmul(a, b).isClose(to: naiveMatmul(a, b), tolerance: 1e-4))
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func transposeFlagsMatchExplicitTransposes(transposeA: Bool, transposeB: Bool) {
        var g = SeededGenerator(seed: 3)
        let a = Tensor.randomNormal(transposeA ? [4, 6] : [6, 4], using: &g)
        let b = Tensor.randomNormal(transposeB ? [5, 4] : [4, 5], using: &g)
        let expected = naiveMatmul(transposeA ? a.transposed() : a, transposeB ? b.transposed() : b)
        let product = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
        #expect(product.shape == [6, 5])
        #expect(product.isClose(to: expected, tolerance: 1e-4))
    }

    @Test func gemmAccumulates() {
        let a = Tensor([[1, 0], [0, 1]]), b = Tensor([[2, 3], [4, 5]])
        var c = Tensor.ones([2, 2])
        gemm(a, b, into: &c, alpha: 2, beta: 1)
        #expect(c.scalars == [5, 7, 9, 11])
    }

    @Test func blasThreadCountIsSettable() {
        let before = BLAS.threads
        BLAS.threads = 1
        #expect(BLAS.threads == 1)
        BLAS.threads = before
        #expect(BLAS.threads == before)
    }
}
