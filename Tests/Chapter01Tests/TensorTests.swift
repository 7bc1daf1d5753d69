import Testing
@testable import SiameseKit

/// Values of the tensor operations against results worked out by hand.
@Suite("Tensor values")
struct TensorTests {
    @Test func creation() {
        #expect(Tensor.zeros([2, 3]).scalars == [0, 0, 0, 0, 0, 0])
        #expect(Tensor.ones([2]).scalars == [1, 1])
        #expect(Tensor(repeating: 7, shape: [1, 2]).scalars == [7, 7])
        #expect(Tensor.arange(0, 5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(1, 2, step: 0.25).scalars == [1, 1.25, 1.5, 1.75])
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(m.shape == [2, 3])
        #expect(m.strides == [3, 1])
        #expect(m[1, 2] == 6)
        #expect(Tensor(scalar: 3).shape == [])
        #expect(Tensor(scalar: 3).scalar == 3)
        #expect(Tensor.zeros([2, 3, 4]).strides == [12, 4, 1])
    }

    @Test func subscriptWritesCopyOnWrite() {
        let a = Tensor([[1, 2], [3, 4]])
        var b = a
        b[0, 1] = 9
        #expect(a[0, 1] == 2)
        #expect(b.scalars == [1, 9, 3, 4])
    }

    @Test func arithmeticSameShape() {
        let a = Tensor([1, 2, 3]), b = Tensor([4, 5, 6])
        #expect((a + b).scalars == [5, 7, 9])
        #expect((a - b).scalars == [-3, -3, -3])
        #expect((a * b).scalars == [4, 10, 18])
        #expect((b / a).scalars == [4, 2.5, 2])
        #expect((-a).scalars == [-1, -2, -3])
        #expect((a * 2).scalars == [2, 4, 6])
        #expect((10 - a).scalars == [9, 8, 7])
        #expect((1 / Tensor([2, 4])).scalars == [0.5, 0.25])
        #expect((a + 1).scalars == [2, 3, 4])
        var c = a
        c += b
        #expect(c.scalars == [5, 7, 9])
    }

    @Test func elementwiseFunctions() {
        let x = Tensor([-2, 0, 1, 4])
        #expect(x.relu().scalars == [0, 0, 1, 4])
        #expect(x.abs().scalars == [2, 0, 1, 4])
        #expect(x.squared().scalars == [4, 0, 1, 16])
        #expect(Tensor([1, 4, 9]).sqrt().scalars == [1, 2, 3])
        #expect(Tensor([2, 3]).pow(3).isClose(to: Tensor([8, 27])))
        #expect(Tensor([0, 1]).exp().isClose(to: Tensor([1, 2.7182817])))
        #expect(Tensor([1, 2.7182817]).log().isClose(to: Tensor([0, 1])))
        #expect(Tensor([0]).tanh().scalars == [0])
        #expect(Tensor([1]).tanh().isClose(to: Tensor([0.7615942])))
        #expect(Tensor([0, 2]).sigmoid().isClose(to: Tensor([0.5, 0.8807971])))
        // No overflow at the extremes.
        #expect(Tensor([-1000, 1000]).sigmoid().scalars == [0, 1])
        #expect(Tensor([1, 5]).greater(than: Tensor([2, 3])).scalars == [0, 1])
    }

    @Test func reductions() {
        let m = Tensor([[1, 5, 3], [4, 2, 6]])
        #expect(m.sum() == 21)
        #expect(m.mean() == 3.5)
        #expect(m.max() == 6)
        #expect(m.sum(alongAxis: 0).scalars == [5, 7, 9])
        #expect(m.sum(alongAxis: 1).scalars == [9, 12])
        #expect(m.sum(alongAxis: -1, keepingDims: true).shape == [2, 1])
        #expect(m.mean(alongAxis: 1).scalars == [3, 4])
        #expect(m.max(alongAxis: 0).scalars == [4, 5, 6])
        #expect(m.max(alongAxis: 1, keepingDims: true).shape == [2, 1])
        #expect(m.argmax(alongAxis: 1) == [1, 2])
        #expect(m.argmax(alongAxis: 0) == [1, 0, 1])
        #expect(Tensor([3, 7, 7]).argmax(alongAxis: 0) == [1])  // first of a tie
        let cube = Tensor(shape: [2, 2, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(cube.sum(alongAxis: 1).scalars == [4, 6, 12, 14])
        #expect(cube.sum(alongAxis: 1).shape == [2, 2])
    }

    @Test func sumToShapeUndoesBroadcast() {
        let g = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(g.sum(toShape: [3]).scalars == [5, 7, 9])
        #expect(g.sum(toShape: [2, 1]).scalars == [6, 15])
        #expect(g.sum(toShape: [1, 3]).shape == [1, 3])
        #expect(g.sum(toShape: []).scalars == [21])
        #expect(g.sum(toShape: [2, 3]) == g)
    }

    @Test func reshapeAndTranspose() {
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(m.reshaped([3, 2]).scalars == m.scalars)
        #expect(m.reshaped([-1]).shape == [6])
        #expect(m.reshaped([3, -1]).shape == [3, 2])
        let t = m.transposed()
        #expect(t.shape == [3, 2])
        #expect(t.scalars == [1, 4, 2, 5, 3, 6])
        let big = Tensor.arange(0, 70 * 45).reshaped([70, 45])
        #expect(big.transposed()[44, 69] == big[69, 44])
        #expect(big.transposed().transposed() == big)
        let cube = Tensor.arange(0, 24).reshaped([2, 3, 4])
        let p = cube.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        #expect(p[3, 1, 2] == cube[1, 2, 3])
        #expect(m.permuted([1, 0]) == t)
    }

    @Test func rowsAndGather() {
        let m = Tensor([[1, 2], [3, 4], [5, 6]])
        #expect(m.rows(1..<3).scalars == [3, 4, 5, 6])
        #expect(m.rows(1..<3).shape == [2, 2])
        #expect(m.row(2).scalars == [5, 6])
        #expect(m.row(2).shape == [2])
        let g = m.gatherRows([2, 0, 2])
        #expect(g.shape == [3, 2])
        #expect(g.scalars == [5, 6, 1, 2, 5, 6])
        var z = Tensor.zeros([3, 2])
        z.scatterAddRows([2, 0, 2], from: g)
        #expect(z.scalars == [1, 2, 0, 0, 10, 12])
        #expect(Tensor.stack([Tensor([1, 2]), Tensor([3, 4])]).shape == [2, 2])
        #expect(Tensor.concatenateRows([m, m.rows(0..<1)]).shape == [4, 2])
    }

    @Test func printsLikeNumPy() {
        let text = Tensor([[1, -2], [3, 4]]).formatted(decimals: 1)
        #expect(text == "[[ 1.0,-2.0],\n [ 3.0, 4.0]]  shape [2, 2]")
        let long = Tensor.arange(0, 100).formatted(decimals: 0)
        #expect(long.contains("..."))
        #expect(long.hasSuffix("shape [100]"))
    }
}
