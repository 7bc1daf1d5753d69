/// Pictures of what a 2-D classifier decided.
extension Figure {
    /// The classifier's regions over the plane behind the training points: every cell of a
    /// `resolution²` grid coloured by the class `logits` picks there, the points by their labels.
    ///
    /// - `points`: `[N, 2]`; `labels`: N classes; `logits`: maps `[M, 2]` points to `[M, C]` scores.
    public static func decisionBoundary(title: String, points: Tensor, labels: [Int], classes: Int,
                                        resolution: Int = 150, margin: Float = 0.15,
                                        logits: (Tensor) -> Tensor) -> Figure {
        precondition(points.rank == 2 && points.shape[1] == 2,
                     "decisionBoundary: points must be [N, 2], got \(points.shape)")
        let xs = (0..<points.shape[0]).map { points.scalars[2 * $0] }
        let ys = (0..<points.shape[0]).map { points.scalars[2 * $0 + 1] }
        let x = (xs.min()! - margin)...(xs.max()! + margin)
        let y = (ys.min()! - margin)...(ys.max()! + margin)
        let grid = ToyDatasets.grid(x: x, y: y, resolution: resolution)
        let decided = logits(grid).argmax(alongAxis: 1).map(Float.init)
        var figure = Figure(title: title, xLabel: "x1", yLabel: "x2")
        figure.equalAxes = true
        figure.key = "outside right top"
        figure.width = 700
        figure.height = 600
        figure.xRange = Double(x.lowerBound)...Double(x.upperBound)
        figure.yRange = Double(y.lowerBound)...Double(y.upperBound)
        figure.heatmap(Tensor(shape: [resolution, resolution], scalars: decided),
                       x: Double(x.lowerBound)...Double(x.upperBound),
                       y: Double(y.lowerBound)...Double(y.upperBound), palette: .classRegions(count: classes))
        figure.scatter(x: xs, y: ys, classes: labels)
        return figure
    }
}
