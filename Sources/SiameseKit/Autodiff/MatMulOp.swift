/// The differentiable matrix product `C = op(A) · op(B)`.
///
/// For `C = A·B` the gradients are `dA = dC·Bᵀ` and `dB = Aᵀ·dC`; with transposed operands the
/// same identities are rearranged so that every product is again one `sgemm` call that reads
/// its operands transposed in place, with no copies.
public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
    let av = a.value, bv = b.value
    return Variable(matmul(av, bv, transposeA: transposeA, transposeB: transposeB),
                    op: "matmul", parents: [a, b]) { g in
        let ga = a.requiresGrad ? (transposeA
            ? matmul(bv, g, transposeA: transposeB, transposeB: true)      // dA = op(B)·Gᵀ
            : matmul(g, bv, transposeB: !transposeB)) : nil                // dA = G·op(B)ᵀ
        let gb = b.requiresGrad ? (transposeB
            ? matmul(g, av, transposeA: true, transposeB: transposeA)      // dB = Gᵀ·op(A)
            : matmul(av, g, transposeA: !transposeA)) : nil                // dB = op(A)ᵀ·G
        return [ga, gb]
    }
}
