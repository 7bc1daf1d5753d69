import ArgumentParser
import Foundation

/// The command-line flags every chapter understands.
public struct ChapterOptions: ParsableArguments, Sendable {
    @Flag(help: "Run on small sizes in seconds (what the tests do); the numbers are then only a smoke test.")
    public var quick = false

    @Option(help: "Seed for every random number (same seed, same numbers).")
    public var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Folder for figures: PNG, gnuplot script and data ($SIAMESE_FIGURES sets the default).",
                               valueName: "dir"))
    public var figures: String = ProcessInfo.processInfo.environment["SIAMESE_FIGURES"] ?? "Figures"

    @Flag(help: "Do not write figures.")
    public var noFigures = false

    public init() {}
}

/// The parser behind a chapter's command line; its name and abstract are set per chapter.
struct ChapterCommand: ParsableCommand {
    nonisolated(unsafe) static var configuration = CommandConfiguration()
    @OptionGroup var options: ChapterOptions
}
