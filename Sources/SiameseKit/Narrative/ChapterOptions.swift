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

    public func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    }

    public init() {}
}

/// The parser behind a chapter's command line; its name and abstract are set per chapter.
struct ChapterCommand: ParsableCommand {
    nonisolated(unsafe) static var configuration = CommandConfiguration()
    @OptionGroup var options: ChapterOptions
}
