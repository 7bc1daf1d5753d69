import Testing
@testable import SiameseKit

/// NumPy's broadcasting rules, and shape errors that name both shapes.
@Suite("Broadcasting and shape errors")
struct BroadcastingTests {
    @Test(arguments: [
        ([3, 1], [4], [3, 4]),
        ([2, 3], [3], [2, 3]),
        ([5, 1, 3], [4, 1], [5, 4, 3]),
        ([1], [2, 2], [2, 2]),
        ([], [2, 3], [2, 3]),
        ([8, 1, 6, 1], [7, 1, 5], [8, 7, 6, 5]),
    ])
    func broadcastShapes(a: [Int], b: [Int], expected: [Int]) throws {
        #expect(try Shape.broadcast(a, b) == expected)
        #expect(try Shape.broadcast(b, a) == expected)
    }

    @Test func broadcastValues() {
        let column = Tensor(shape: [3, 1], scalars: [0, 10, 20])
        let row = Tensor([1, 2, 3, 4])
        let sum = column + row
        #expect(sum.shape == [3, 4])
        #expect(sum.scalars == [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24])
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect((m - Tensor([1, 1, 1])).scalars == [0, 1, 2, 3, 4, 5])
        #expect((m * Tensor(shape: [2, 1], scalars: [2, 10])).scalars == [2, 4, 6, 40, 50, 60])
        #expect((m / Tensor(scalar: 2)).scalars == [0.5, 1, 1.5, 2, 2.5, 3])
        // A middle axis of size 1 against a full one: [2, 1, 3] with [4, 1].
        let a = Tensor.arange(0, 6).reshaped([2, 1, 3])
        let b = Tensor.arange(0, 4).reshaped([4, 1])
        let c = a + b
        #expect(c.shape == [2, 4, 3])
        #expect(c[1, 2, 0] == a[1, 0, 0] + b[2, 0])
        #expect(c[0, 3, 2] == a[0, 0, 2] + b[3, 0])
    }

    @Test func mismatchNamesBothShapes() {
        #expect {
            try Shape.broadcast([2, 3], [4, 3])
        } throws: { error in
            let text = "\(error)"
            return text.contains("[2, 3]") && text.contains("[4, 3]")
        }
        #expect {
            try Tensor.matmulShape([2, 3], [4, 5])
        } throws: { error in
            let text = "\(error)"
            return text.contains("[2, 3]") && text.contains("[4, 5]") && text.contains("3 and 4")
        }
        #expect(throws: ShapeError.self) { try Shape.resolve([4, -1], count: 6, from: [6]) }
        #expect(throws: ShapeError.self) { try Shape.normalize(axis: 2, rank: 2) }
    }

    @Test func mismatchedAdditionStopsWithBothShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4, 3])
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("cannot broadcast shapes [2, 3] and [4, 3]"))
    }

    @Test func mismatchedMatmulStopsWithBothShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor.zeros([2, 3]), Tensor.zeros([2, 3]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("matmul of [2, 3] and [2, 3]"))
    }
}
