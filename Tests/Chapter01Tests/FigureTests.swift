import Foundation
import Testing
@testable import SiameseKit

@Suite("Figures through gnuplot")
struct FigureTests {
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("siamese-figures-\(UUID().uuidString)")
    }

    static func sampleFigure() -> Figure {
        var f = Figure(title: "It's a test", xLabel: "x", yLabel: "y")
        f.line("first", x: [1, 2, 3], y: [1, 4, 9])
        f.scatter(x: [0, 1, 2] as [Float], y: [0, 1, 0] as [Float], classes: [0, 1, 0], classNames: ["zero", "one"])
        f.histogram("h", values: [0.1, 0.2, 0.2, 0.9], bins: 4, range: 0...1)
        return f
    }

    @Test func scriptReadsItsDataBlocks() {
        let rendered = FigureScript(Self.sampleFigure(), name: "01-test")
        #expect(rendered.script.contains("set output '01-test.png'"))
        #expect(rendered.script.contains("data = '01-test.dat'"))
        #expect(rendered.script.contains("set title 'It''s a test'"))
        // line, two scatter classes, histogram: four blocks, indices 0 to 3.
        for i in 0..<4 { #expect(rendered.script.contains("data index \(i) ")) }
        let blocks = rendered.data.components(separatedBy: "\n\n\n")
        #expect(blocks.count == 4)
        #expect(blocks[0] == "1 1\n2 4\n3 9")
        #expect(blocks[1] == "0 0\n2 0")
        #expect(blocks[3] == "0.125 3\n0.375 0\n0.625 0\n0.875 1\n")  // 0.1, 0.2, 0.2 in [0, 0.25); 0.9 in [0.75, 1]
        #expect(rendered.script.contains("title 'one'"))
    }

    @Test func imageGridTilesWithGaps() {
        let images = Tensor(shape: [3, 2, 2], scalars: [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25])
        let grid = Figure.tile(images, columns: 2)
        #expect(grid.shape == [5, 5])
        #expect(grid[0, 0] == 1 && grid[0, 2] == 0 && grid[0, 3] == 0.5 && grid[3, 0] == 0.25)
        #expect(grid[3, 3] == 0)
        let figure = Figure.imageGrid(images, columns: 2, title: "digits")
        #expect(FigureScript(figure, name: "g").script.contains("set palette gray negative"))
    }

    @Test func drawsAPNGWithGnuplot() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = FigureWriter(directory: directory)
        #expect(FigureWriter.isExecutable(writer.gnuplot), "gnuplot is required: run Scripts/setup.sh")
        let outcome = writer.save(Self.sampleFigure(), name: "01-test")
        let png = directory.appendingPathComponent("01-test.png")
        #expect(outcome == .drawn(png: png.path))
        let bytes = try Data(contentsOf: png)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))   // the PNG signature
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("01-test.gp").path))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("01-test.dat").path))
    }

    @Test func missingGnuplotIsOneClearLine() {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = FigureWriter(directory: directory, gnuplot: "/nonexistent/gnuplot")
        guard case let .notDrawn(script, reason) = writer.save(Self.sampleFigure(), name: "01-test") else {
            Issue.record("expected the figure not to be drawn")
            return
        }
        #expect(reason.hasPrefix("gnuplot not found"))
        #expect(!reason.contains("\n"))
        #expect(reason.contains("gnuplot-nox"))
        #expect(FileManager.default.fileExists(atPath: script))   // the script is still written
    }

    @Test func gnuplotErrorIsReportedInOneLine() {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var broken = Self.sampleFigure()
        broken.extraCommands = ["set nonsense_option 3"]
        guard case let .notDrawn(_, reason) = FigureWriter(directory: directory).save(broken, name: "bad") else {
            Issue.record("expected gnuplot to fail")
            return
        }
        #expect(reason.hasPrefix("gnuplot failed:"))
        #expect(!reason.contains("\n"))
    }
}

@Suite("Notebook output")
struct NarrativeTests {
    @Test func proseWrapsWithHangingIndent() {
        let text = Notebook.wrap("- one two three four five six", width: 14)
        #expect(text == "- one two\n  three four\n  five six")
        #expect(Notebook.wrap("a b\n\nc", width: 80) == "a b\nc")
    }

    @Test func tablesAlignNumbersRight() {
        let table = Notebook.renderTable(["name", "value"], [["a", "1.5"], ["long name", "10.25"]])
        #expect(table == """
              name       value
              ---------  -----
              a            1.5
              long name  10.25
            """)
    }

    @Test func formatting() {
        #expect(fixed(3.14159, 2) == "3.14")
        #expect(percent(0.9876) == "98.8%")
        #expect(duration(0.25) == "250 ms")
        #expect(duration(12.34) == "12.3 s")
        #expect(duration(125) == "2 min 05 s")
    }

    @Test func spiralsAreBalanced() {
        var g = SeededGenerator(seed: 1)
        let data = ToyDatasets.spirals(classes: 3, pointsPerClass: 50, using: &g)
        #expect(data.points.shape == [150, 2])
        #expect((0..<3).map { k in data.labels.filter { $0 == k }.count } == [50, 50, 50])
        #expect(data.points.abs().max() < 1.01)
        let moons = ToyDatasets.moons(pointsPerClass: 20, using: &g)
        #expect(moons.points.shape == [40, 2])
        #expect(ToyDatasets.grid(x: 0...1, y: 0...2, resolution: 3).scalars == [0, 0, 0.5, 0, 1, 0, 0, 1, 0.5, 1, 1, 1, 0, 2, 0.5, 2, 1, 2])
    }
}
