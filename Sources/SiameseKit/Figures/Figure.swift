/// A figure to be drawn by gnuplot: a title, axes, and a list of elements (lines, scattered
/// classes, histograms, heatmaps). Build one, then save it with `FigureWriter` (or a chapter's
/// `Notebook.figure`), which writes `<name>.png` plus the `<name>.gp` script and `<name>.dat`
/// data that drew it, so a reader can restyle the figure with plain gnuplot.
public struct Figure: Sendable {
    /// One thing drawn on the axes.
    public enum Element: Sendable {
        /// A polyline through (x, y) points, optionally with point markers.
        case line(title: String, x: [Double], y: [Double], points: Bool)
        /// Points coloured by integer class (one colour per class, up to 10).
        case scatter(x: [Double], y: [Double], classes: [Int], classNames: [String])
        /// Bin counts already computed: bin centres, counts and the common bin width.
        case histogram(title: String, centers: [Double], counts: [Double], width: Double)
        /// A `[rows, columns]` matrix drawn as coloured cells spanning the given ranges
        /// (row 0 at the bottom of `y` unless the figure's `imageRows` is set).
        case heatmap(Tensor, x: ClosedRange<Double>, y: ClosedRange<Double>, palette: Palette)
    }

    /// How heatmap values map to colours.
    public enum Palette: Sendable, Equatable {
        /// Perceptually uniform dark blue to yellow.
        case viridis
        /// Ink on paper: 0 white, 1 black (digits and characters).
        case ink
        /// Light tints of the class colours, for decision regions of `count` classes.
        case classRegions(count: Int)
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Logarithmic axes (base 2 reads well for sizes that double).
    public var logScaleX: Int? = nil
    public var logScaleY: Int? = nil
    public var xRange: ClosedRange<Double>? = nil
    public var yRange: ClosedRange<Double>? = nil
    /// Pixel size of the PNG.
    public var width = 800, height = 500
    /// Equal units on both axes (embeddings, decision boundaries).
    public var equalAxes = false
    /// Draw matrices with row 0 at the top and no axes (pictures rather than plots).
    public var imageRows = false
    /// Where the key goes, in gnuplot's words ("top left", "outside right top", ...).
    public var key = "inside top left opaque"
    /// Raw gnuplot commands appended before `plot`, to restyle without touching the library.
    public var extraCommands: [String] = []
    public private(set) var elements: [Element] = []

    public init(title: String, xLabel: String = "", yLabel: String = "") {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// Any floating-point array as `[Double]` (a loop: `map(Double.init)` trips Swift 6's
    /// metatype-sendability check in generic code).
    static func doubles<T: BinaryFloatingPoint>(_ values: [T]) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(values.count)
        for v in values { out.append(Double(v)) }
        return out
    }

    /// Adds a line series.
    public mutating func line<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(
        _ title: String, x: [X], y: [Y], points: Bool = false
    ) {
        precondition(x.count == y.count, "Figure.line: \(x.count) x values but \(y.count) y values")
        elements.append(.line(title: title, x: Self.doubles(x), y: Self.doubles(y), points: points))
    }

    /// Adds points coloured by class; `classNames[k]` labels class k in the key.
    public mutating func scatter<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(
        x: [X], y: [Y], classes: [Int], classNames: [String] = []
    ) {
        precondition(x.count == y.count && y.count == classes.count,
                     "Figure.scatter: \(x.count) x, \(y.count) y and \(classes.count) classes differ")
        elements.append(.scatter(x: Self.doubles(x), y: Self.doubles(y), classes: classes, classNames: classNames))
    }

    /// Adds a histogram of `values` with `bins` equal bins over `range` (default: the data's range).
    public mutating func histogram<V: BinaryFloatingPoint>(
        _ title: String, values: [V], bins: Int = 30, range: ClosedRange<Double>? = nil
    ) {
        let data = Self.doubles(values)
        let low = range?.lowerBound ?? data.min() ?? 0
        var high = range?.upperBound ?? data.max() ?? 1
        if high <= low { high = low + 1 }
        let width = (high - low) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in data where v >= low && v <= high {
            counts[Swift.min(Int((v - low) / width), bins - 1)] += 1
        }
        let centers = (0..<bins).map { low + (Double($0) + 0.5) * width }
        elements.append(.histogram(title: title, centers: centers, counts: counts, width: width))
    }

    /// Adds a heatmap of a `[rows, columns]` matrix over the given ranges.
    public mutating func heatmap(_ matrix: Tensor, x: ClosedRange<Double>, y: ClosedRange<Double>,
                                 palette: Palette = .viridis) {
        precondition(matrix.rank == 2, "Figure.heatmap: expected a [rows, columns] matrix, got \(matrix.shape)")
        elements.append(.heatmap(matrix, x: x, y: y, palette: palette))
    }

    /// A grid of small images (`[N, H, W]` or `[N, 1, H, W]`, values in [0, 1]) drawn as ink on
    /// paper, `columns` per row, separated by a one-pixel white gap. With `stretchEach`, each
    /// image is first stretched to [0, 1] on its own (for filters and feature maps, whose
    /// values have no fixed range).
    public static func imageGrid(_ images: Tensor, columns: Int, title: String, stretchEach: Bool = false) -> Figure {
        let tiled = tile(stretchEach ? stretched(images) : images, columns: columns)
        var figure = Figure(title: title)
        figure.imageRows = true
        figure.equalAxes = true
        let (rows, cols) = (tiled.shape[0], tiled.shape[1])
        // Screen pixels per image pixel: large for tiny grids, never below 3.
        let cell = Swift.max(3, Swift.min(20, 900 / Swift.max(rows, cols)))
        figure.width = Swift.max(cols * cell + 40, title.count * 8 + 40, 360)
        let plotWidth = Double(figure.width - 40)
        figure.height = Int(plotWidth * Double(rows) / Double(cols)) + 70
        figure.heatmap(tiled, x: 0...Double(cols - 1), y: 0...Double(rows - 1), palette: .ink)
        return figure
    }

    /// Each image (first axis) linearly mapped to [0, 1]; constant images become 0.
    public static func stretched(_ images: Tensor) -> Tensor {
        let n = images.shape[0], size = images.count / Swift.max(n, 1)
        var out = images
        for k in 0..<n {
            let slice = images.scalars[(k * size)..<((k + 1) * size)]
            let low = slice.min() ?? 0, high = slice.max() ?? 0
            let scale: Float = high > low ? 1 / (high - low) : 0
            for i in (k * size)..<((k + 1) * size) { out.scalars[i] = (images.scalars[i] - low) * scale }
        }
        return out
    }

    /// Lays out `[N, H, W]` images in a grid matrix with a one-pixel gap of 0 between them.
    public static func tile(_ images: Tensor, columns: Int) -> Tensor {
        precondition(images.rank == 3 || (images.rank == 4 && images.shape[1] == 1),
                     "Figure.imageGrid: expected [N, H, W] or [N, 1, H, W] images, got \(images.shape)")
        let n = images.shape[0], h = images.shape[images.rank - 2], w = images.shape[images.rank - 1]
        let cols = Swift.max(1, Swift.min(columns, n))
        let rows = (n + cols - 1) / cols
        let height = rows * (h + 1) - 1, width = cols * (w + 1) - 1
        var grid = Tensor.zeros([Swift.max(height, 1), Swift.max(width, 1)])
        for k in 0..<n {
            let top = (k / cols) * (h + 1), left = (k % cols) * (w + 1)
            for i in 0..<h {
                for j in 0..<w {
                    grid.scalars[(top + i) * width + left + j] = images.scalars[(k * h + i) * w + j]
                }
            }
        }
        return grid
    }
}
