import Foundation

/// Small generated 2-D classification sets, for watching a network learn in seconds.
public enum ToyDatasets {
    /// Interleaved spiral arms, one per class: no straight line separates them, so a linear
    /// classifier fails and a hidden layer succeeds. (The classic CS231n example.)
    ///
    /// Returns `points` of shape `[classes * pointsPerClass, 2]` in roughly [-1, 1]² and their labels.
    public static func spirals(classes: Int = 3, pointsPerClass: Int = 100, noise: Float = 0.2,
                               using generator: inout SeededGenerator) -> (points: Tensor, labels: [Int]) {
        var scalars: [Float] = []
        var labels: [Int] = []
        scalars.reserveCapacity(classes * pointsPerClass * 2)
        for k in 0..<classes {
            for i in 0..<pointsPerClass {
                let r = Float(i) / Float(max(pointsPerClass - 1, 1))
                let base = Float(k) * 4 + 4 * r
                let theta = base + noise * generator.nextNormal()
                scalars += [r * Foundation.sin(theta), r * Foundation.cos(theta)]
                labels.append(k)
            }
        }
        return (Tensor(shape: [classes * pointsPerClass, 2], scalars: scalars), labels)
    }

    /// Two interleaving half circles (scikit-learn's `make_moons`), two classes.
    public static func moons(pointsPerClass: Int = 100, noise: Float = 0.1,
                             using generator: inout SeededGenerator) -> (points: Tensor, labels: [Int]) {
        var scalars: [Float] = []
        var labels: [Int] = []
        for k in 0..<2 {
            for i in 0..<pointsPerClass {
                let t = Float.pi * Float(i) / Float(max(pointsPerClass - 1, 1))
                let x = k == 0 ? Foundation.cos(t) : 1 - Foundation.cos(t)
                let y = k == 0 ? Foundation.sin(t) : 0.5 - Foundation.sin(t)
                scalars += [x + noise * generator.nextNormal(), y + noise * generator.nextNormal()]
                labels.append(k)
            }
        }
        return (Tensor(shape: [2 * pointsPerClass, 2], scalars: scalars), labels)
    }

    /// A regular `resolution × resolution` grid of points covering `x` × `y`, row by row
    /// (row 0 at the bottom): the inputs for drawing a decision boundary. Shape `[resolution², 2]`.
    public static func grid(x: ClosedRange<Float>, y: ClosedRange<Float>, resolution: Int) -> Tensor {
        var scalars: [Float] = []
        scalars.reserveCapacity(resolution * resolution * 2)
        let step = Float(1) / Float(max(resolution - 1, 1))
        for i in 0..<resolution {
            for j in 0..<resolution {
                scalars += [x.lowerBound + (x.upperBound - x.lowerBound) * Float(j) * step,
                            y.lowerBound + (y.upperBound - y.lowerBound) * Float(i) * step]
            }
        }
        return Tensor(shape: [resolution * resolution, 2], scalars: scalars)
    }
}
