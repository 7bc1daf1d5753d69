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

    @Option(help: ArgumentHelp("Data folder (chapters 02 on); default $SIAMESE_DATA, else ./data. Fill it with Scripts/fetch-data.sh.",
                               valueName: "dir"))
    public var data: String?

    @Option(help: ArgumentHelp("Folder for model checkpoints; default $SIAMESE_CHECKPOINTS, else ./checkpoints.",
                               valueName: "dir"))
    public var checkpoints: String = ProcessInfo.processInfo.environment["SIAMESE_CHECKPOINTS"] ?? "checkpoints"

    @Option(help: "Training epochs, overriding the chapter's default (chapters that train).")
    public var epochs: Int?

    @Flag(help: "Chapter 07: the long run (at most an hour on 2 cores) instead of the ~15-minute default.")
    public var long = false

    @Option(help: ArgumentHelp("Chapter 07: the encoder, conv4 (default) or koch (Koch et al.'s 105x105 network, a time-boxed demonstration).",
                               valueName: "name"))
    public var arch: String?

    @Option(help: ArgumentHelp("Chapter 07: stop training after this many minutes (default: none for conv4, 10 for koch).",
                               valueName: "minutes"))
    public var minutes: Double?

    public func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let minutes, !(minutes > 0) { throw ValidationError("--minutes must be positive, got \(minutes)") }
        if let arch, !["conv4", "koch"].contains(arch) {
            throw ValidationError("--arch must be conv4 or koch, got '\(arch)'")
        }
    }

    /// The chapter-specific flags that were given, by name.
    var chapterSpecificFlags: [String] {
        (long ? ["--long"] : []) + (arch != nil ? ["--arch"] : []) + (minutes != nil ? ["--minutes"] : [])
    }

    public init() {}
}

/// The parser behind a chapter's command line; its name and abstract are set per chapter.
struct ChapterCommand: ParsableCommand {
    nonisolated(unsafe) static var configuration = CommandConfiguration()
    @OptionGroup var options: ChapterOptions
}
