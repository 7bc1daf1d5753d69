import Foundation

/// Turns a `Figure` into the text of a gnuplot script and its data file. Pure string work:
/// no files, no gnuplot, so tests can read exactly what would be drawn.
public struct FigureScript: Sendable {
    /// The gnuplot commands; they read `dataFile` and write `pngFile` in the same folder.
    public let script: String
    /// The data blocks, separated by two blank lines (gnuplot's `index 0, 1, ...`).
    public let data: String

    /// The ten class colours (matplotlib's tab10), and their light tints for regions.
    public static let classColors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                     "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    static let regionColors = ["#c6dbef", "#fdd0a2", "#c7e9c0", "#fcbba1", "#dadaeb",
                               "#d9c3b9", "#f7d0e8", "#dddddd", "#ecedb0", "#b9ecf2"]

    /// Renders `figure` as `<name>.gp` reading `<name>.dat` and writing `<name>.png`.
    public init(_ figure: Figure, name: String, regenerateHint: String = "") {
        var s: [String] = []
        var blocks: [String] = []
        s.append("# \(figure.title)")
        if !regenerateHint.isEmpty { s.append("# \(regenerateHint)") }
        s.append("# Redraw or restyle in this folder with: gnuplot \(name).gp")
        s.append("set terminal pngcairo size \(figure.width),\(figure.height) noenhanced")
        s.append("set output '\(name).png'")
        s.append("data = '\(name).dat'")
        s.append("set title \(Self.quote(figure.title))")
        if !figure.xLabel.isEmpty { s.append("set xlabel \(Self.quote(figure.xLabel))") }
        if !figure.yLabel.isEmpty { s.append("set ylabel \(Self.quote(figure.yLabel))") }
        if let base = figure.logScaleX { s.append("set logscale x \(base)") }
        if let base = figure.logScaleY { s.append("set logscale y \(base)") }
        if let r = figure.xRange { s.append("set xrange [\(Self.number(r.lowerBound)):\(Self.number(r.upperBound))]") }
        if let r = figure.yRange { s.append("set yrange [\(Self.number(r.lowerBound)):\(Self.number(r.upperBound))]") }
        if figure.equalAxes { s.append("set size ratio -1") }
        if figure.imageRows {
            s.append("set yrange [*:*] reverse")
            s.append("unset xtics; unset ytics; unset border; unset key; unset colorbox")
            s.append("set lmargin 2; set rmargin 2; set bmargin 1; set tmargin 3")
            s.append("set autoscale fix")
        } else {
            s.append("set grid lc rgb '#dddddd'")
            s.append("set key \(figure.key)")
            s.append("set style fill transparent solid 0.5 noborder")
        }

        var plots: [String] = []
        var colorIndex = 0
        for element in figure.elements {
            switch element {
            case let .line(title, x, y, points):
                let color = Self.classColors[colorIndex % 10]
                colorIndex += 1
                plots.append("data index \(blocks.count) using 1:2 with \(points ? "linespoints pt 7 ps 0.8" : "lines") lw 2 lc rgb '\(color)' title \(Self.quote(title))")
                blocks.append(zip(x, y).map { "\(Self.number($0)) \(Self.number($1))" }.joined(separator: "\n"))
            case let .scatter(x, y, classes, names):
                for k in Set(classes).sorted() {
                    let members = classes.indices.filter { classes[$0] == k }
                    let label = k < names.count ? names[k] : "class \(k)"
                    plots.append("data index \(blocks.count) using 1:2 with points pt 7 ps 0.6 lc rgb '\(Self.classColors[((k % 10) + 10) % 10])' title \(Self.quote(label))")
                    blocks.append(members.map { "\(Self.number(x[$0])) \(Self.number(y[$0]))" }.joined(separator: "\n"))
                }
            case let .histogram(title, centers, counts, width):
                let color = Self.classColors[colorIndex % 10]
                colorIndex += 1
                plots.append("data index \(blocks.count) using 1:2:(\(Self.number(width))) with boxes lc rgb '\(color)' title \(Self.quote(title))")
                blocks.append(zip(centers, counts).map { "\(Self.number($0)) \(Self.number($1))" }.joined(separator: "\n"))
            case let .heatmap(matrix, x, y, palette):
                let rows = matrix.shape[0], cols = matrix.shape[1]
                let dx = cols > 1 ? (x.upperBound - x.lowerBound) / Double(cols - 1) : 1
                let dy = rows > 1 ? (y.upperBound - y.lowerBound) / Double(rows - 1) : 1
                s.append(contentsOf: Self.paletteCommands(palette))
                plots.append("data index \(blocks.count) matrix using (\(Self.number(x.lowerBound))+$1*\(Self.number(dx))):(\(Self.number(y.lowerBound))+$2*\(Self.number(dy))):3 with image notitle")
                blocks.append((0..<rows).map { r in
                    (0..<cols).map { Self.number(Double(matrix.scalars[r * cols + $0])) }.joined(separator: " ")
                }.joined(separator: "\n"))
            }
        }
        s.append(contentsOf: figure.extraCommands)
        s.append(plots.isEmpty ? "plot 0 notitle" : "plot " + plots.joined(separator: ", \\\n     "))
        script = s.joined(separator: "\n") + "\n"
        data = blocks.joined(separator: "\n\n\n") + "\n"
    }

    static func paletteCommands(_ palette: Figure.Palette) -> [String] {
        switch palette {
        case .viridis:
            return ["set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')"]
        case .ink:
            return ["set palette gray negative", "set cbrange [0:1]"]
        case let .classRegions(count):
            let stops = (0..<count).map { "\($0) '\(regionColors[$0 % 10])'" }.joined(separator: ", ")
            return ["set palette defined (\(stops))", "set palette maxcolors \(count)",
                    "set cbrange [-0.5:\(Double(count) - 0.5)]", "unset colorbox"]
        }
    }

    /// A gnuplot string literal (single quotes; a quote inside is doubled).
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A compact number for data files.
    static func number(_ x: Double) -> String {
        x.isFinite ? String(format: "%.6g", x) : "NaN"
    }
}
