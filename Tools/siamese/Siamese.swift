import ArgumentParser
import Foundation
import SiameseKit

/// `siamese`: train a Siamese embedding model, then use it on your own images (embed, verify,
/// classify). Every failure is one line on standard error, `error: ...`, and a non-zero exit.
@main
struct SiameseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "siamese",
        abstract: "Train a Siamese network and use it on your own images: one-shot classification and verification.",
        discussion: """
            Models are single .safetensors files that carry their own description (architecture, \
            input size, scoring, verify threshold). Images are PNG files of any size, bit depth or \
            colour type; dark strokes on a light page and light strokes on black both work.
            """,
        subcommands: [TrainCommand.self, EmbedCommand.self, VerifyCommand.self, ClassifyCommand.self, EvaluateCommand.self])

    /// Parses the command line and runs the subcommand. `--help` prints help (status 0); a
    /// usage error prints one line (the parser's status, 64); a failure while running prints
    /// `error: <description>` (status 1). Never a stack trace.
    static func main() {
        ProcessSetup.useFastBLASKernels()
        ProcessSetup.keepFreedMemory()
        ProcessSetup.lineBufferStandardOutput()
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Console.fail("\(message) (see '\(helpCommand(arguments))')", status: exitCode(for: error).rawValue)
        }
        do {
            try command.run()
        } catch let error as ExitCode {
            exit(withError: error)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }   // `siamese` alone: the help
            Console.fail("\(error)")
        }
    }

    /// `siamese <subcommand> --help` for the subcommand on the command line, else `siamese --help`.
    static func helpCommand(_ arguments: [String]) -> String {
        let names = configuration.subcommands.compactMap { $0.configuration.commandName }
        if let first = arguments.first, names.contains(first) { return "siamese \(first) --help" }
        return "siamese --help"
    }
}
