extension Figure {
    /// Two overlaid histograms of pair distances (or scores), one for same pairs and one for
    /// different pairs: how well a threshold could separate them.
    public static func sameDifferentHistogram(_ distances: [Float], labels: [PairLabel], title: String,
                                              xLabel: String = "Euclidean distance", bins: Int = 50) -> Figure {
        precondition(distances.count == labels.count, "sameDifferentHistogram: \(distances.count) distances, \(labels.count) labels")
        var figure = Figure(title: title, xLabel: xLabel, yLabel: "pairs")
        let range = 0...Double(distances.max() ?? 1)
        let (same, different) = PairLabel.split(distances, by: labels)
        figure.histogram("same class", values: same, bins: bins, range: range)
        figure.histogram("different classes", values: different, bins: bins, range: range)
        figure.key = "inside top right opaque"
        return figure
    }
}
