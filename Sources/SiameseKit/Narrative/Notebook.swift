import ArgumentParser
import Foundation

/// A chapter's console page: it parses the chapter's flags, prints numbered sections, wrapped
/// prose and aligned tables, saves figures into the figure folder, and ends with a summary
/// and exercises. The chapter keeps only the ideas; this keeps the layout.
public final class Notebook {
    /// The chapter number as written in file names ("01").
    public let chapter: String
    /// The parsed command line.
    public let options: ChapterOptions
    /// The chapter's one random generator, seeded from `--seed`.
    public var generator: SeededGenerator
    /// Where figures go.
    public let figures: FigureWriter
    /// Line width for prose.
    public let width = 88

    private var section = 0
    private let started = ContinuousClock.now

    /// Parses the command line (`--help` prints `abstract` and the flags) and prints the title.
    /// `accepts` names the chapter-specific flags this chapter understands (`--long`, `--arch`,
    /// `--minutes`); any other given is refused with one error line.
    public init(chapter: String, title: String, command: String, abstract: String, accepts: Set<String> = [],
                arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        ProcessSetup.useFastBLASKernels()
        ChapterCommand.configuration = CommandConfiguration(commandName: command, abstract: abstract)
        let parsed = Self.parse(arguments, command: command)
        if let flag = parsed.options.chapterSpecificFlags.first(where: { !accepts.contains($0) }) {
            FileHandle.standardError.write(Data("error: \(flag) is not an option of this chapter (see '\(command) --help')\n".utf8))
            exit(64)
        }
        ProcessSetup.lineBufferStandardOutput()
        ProcessSetup.keepFreedMemory()
        self.chapter = chapter
        self.options = parsed.options
        self.generator = SeededGenerator(seed: parsed.options.seed)
        self.figures = FigureWriter(
            directory: URL(fileURLWithPath: parsed.options.figures),
            regenerateHint: "Drawn by Chapter \(chapter): swift run -c release \(command)")
        let heading = "Chapter \(chapter) · \(title)"
        print(heading)
        print(String(repeating: "=", count: heading.count))
        if options.quick { print("(quick mode: small sizes, numbers are only a smoke test)") }
        if let replaced = ProcessSetup.replacedBLASKernels {
            print("(OpenBLAS had chosen its \(replaced) kernels for this CPU; restarted with OPENBLAS_CORETYPE=\(BLAS.kernels), which it supports)")
        }
    }

    /// Parses the flags; `--help` prints the help, a bad flag one error line (exit status 64).
    static func parse(_ arguments: [String], command: String) -> ChapterCommand {
        do {
            return try ChapterCommand.parse(arguments)
        } catch {
            if ChapterCommand.exitCode(for: error) == .success { ChapterCommand.exit(withError: error) }
            let message = ChapterCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("error: \(message) (see '\(command) --help')\n".utf8))
            exit(ChapterCommand.exitCode(for: error).rawValue)
        }
    }

    /// True in `--quick` mode: use small sizes.
    public var quick: Bool { options.quick }

    /// Picks the full-size value, or the quick one under `--quick`.
    public func size<T>(_ full: T, quick small: T) -> T { quick ? small : full }

    /// The data folder from `--data`, `$SIAMESE_DATA` or `./data`.
    public var dataFolder: DataFolder { DataFolder(options.data) }

    /// Where checkpoints go, e.g. `checkpoints/02-mnist-cnn.safetensors`; `from` names an
    /// earlier chapter's checkpoint (`checkpointURL("mnist-cnn", from: "02")`).
    public func checkpointURL(_ name: String, from otherChapter: String? = nil) -> URL {
        URL(fileURLWithPath: options.checkpoints).appendingPathComponent("\(otherChapter ?? chapter)-\(name).safetensors")
    }

    /// Runs a step that can fail on bad input (a missing or corrupt data file): on error, prints
    /// `error: <one line>` and exits with status 1.
    public func require<T>(_ body: () throws -> T) -> T {
        do { return try body() } catch { Self.fail("\(error)") }
    }

    /// Rewrites the current terminal line (progress during a long loop); prints nothing when
    /// standard output is not a terminal, so logs and tests stay clean.
    public func progress(_ text: String) {
        guard isatty(1) != 0 else { return }
        print("\r\u{1B}[2K  " + text, terminator: "")
        fflush(nil)
    }

    /// Ends an in-place progress line.
    public func endProgress() {
        guard isatty(1) != 0 else { return }
        print("\r\u{1B}[2K", terminator: "")
        fflush(nil)
    }

    /// Starts the next numbered section.
    public func section(_ title: String) {
        section += 1
        let heading = "\(section). \(title)"
        print("\n" + heading)
        print(String(repeating: "-", count: heading.count))
    }

    /// Prints text wrapped to the page width; blank lines separate paragraphs. A paragraph that
    /// starts like a list item ("- ", "3. ") gets a hanging indent.
    public func prose(_ text: String) {
        print(Self.wrap(text, width: width))
    }

    /// The text of `prose`, wrapped to `width` columns.
    public static func wrap(_ text: String, width: Int) -> String {
        var lines: [String] = []
        for paragraph in text.components(separatedBy: "\n\n") {
            let words = paragraph.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = words.first else { continue }
            let isItem = first == "-" || (first.hasSuffix(".") && Int(first.dropLast()) != nil)
            let hang = isItem ? String(repeating: " ", count: first.count + 1) : ""
            var line = ""
            for word in words {
                if !line.isEmpty && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = hang
                }
                line += (line.isEmpty || line == hang ? "" : " ") + word
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Prints a result line, indented: "  label: value".
    public func result(_ label: String, _ value: String) {
        print("  \(label): \(value)")
    }

    /// Prints an aligned table; columns whose cells look numeric are right-aligned.
    public func table(_ headers: [String], _ rows: [[String]]) {
        print(Self.renderTable(headers, rows))
    }

    /// The text of an aligned table (see `table`).
    public static func renderTable(_ headers: [String], _ rows: [[String]]) -> String {
        let columns = headers.count
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < columns { widths[i] = Swift.max(widths[i], cell.count) }
        }
        let numeric = (0..<columns).map { i in
            rows.allSatisfy { i >= $0.count || Double($0[i].trimmingCharacters(in: CharacterSet(charactersIn: "%x "))) != nil }
        }
        func pad(_ s: String, _ i: Int) -> String {
            let gap = String(repeating: " ", count: widths[i] - s.count)
            return numeric[i] ? gap + s : s + gap
        }
        var lines = ["  " + headers.enumerated().map { pad($1, $0) }.joined(separator: "  ")]
        lines.append("  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in rows {
            lines.append("  " + (0..<columns).map { pad($0 < row.count ? row[$0] : "", $0) }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    /// Saves a figure as `<chapter>-<name>` in the figure folder and says where it went.
    public func figure(_ figure: Figure, name: String) {
        guard !options.noFigures else { return }
        switch figures.save(figure, name: "\(chapter)-\(name)") {
        case .drawn: print("  [figure] \(options.figures)/\(chapter)-\(name).png")
        case let .notDrawn(_, reason): print("  [figure not drawn] \(options.figures)/\(chapter)-\(name).gp: \(reason)")
        }
    }

    /// Ends the chapter: the summary, the exercises (each backed by a test), the total time.
    public func finish(summary: [String], exercises: [String]) {
        print("\nSummary")
        print("-------")
        for point in summary { prose("- " + point) }
        print("\nExercises (each has a test in Tests/Chapter\(chapter)Tests)")
        print("---------")
        for (i, exercise) in exercises.enumerated() { prose("\(i + 1). " + exercise) }
        let elapsed = started.duration(to: .now).components
        print("\nChapter \(chapter) ran in \(duration(Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)).")
    }

    /// Prints `error: <message>` on standard error and exits with status 1: for bad input
    /// (a missing data file, say), never a stack trace.
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(1)
    }
}
