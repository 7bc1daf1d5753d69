import ArgumentParser
import Foundation
import SiameseKit

/// `siamese embed`: the embedding of each image, as CSV or a NumPy file.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print or save the embedding of each image: CSV rows 'path,x1,...,xD' or a NumPy .npy file of shape (N, D).")

    /// How embeddings are written.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, npy
    }

    @Option(help: ArgumentHelp("The model file written by 'siamese train'.", valueName: "file"))
    var model: String

    @Option(help: "csv (default; to standard output unless --output) or npy (float32, needs --output).")
    var format: Format = .csv

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Argument(help: ArgumentHelp("PNG images, one or more.", valueName: "png"))
    var images: [String] = []

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one PNG image to embed") }
        if format == .npy && output == nil { throw ValidationError("--format npy writes a binary file: give --output FILE") }
    }

    func run() throws {
        let model = try ModelFiles.load(self.model)
        let embeddings = try ModelFiles.embeddings(images, with: model)
        let (n, d) = (embeddings.shape[0], embeddings.shape[1])
        let data: Data
        switch format {
        case .npy:
            data = NPY.encode(embeddings.scalars, rows: n, columns: d)
        case .csv:
            var text = ""
            for (i, path) in images.enumerated() {
                let values = embeddings.scalars[(i * d)..<((i + 1) * d)].map { "\($0)" }
                text += ([Self.csvField(path)] + values).joined(separator: ",") + "\n"
            }
            data = Data(text.utf8)
        }
        guard let output else {
            FileHandle.standardOutput.write(data)
            return
        }
        try write(data, to: output)
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
