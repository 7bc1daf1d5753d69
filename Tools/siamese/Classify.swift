import ArgumentParser
import SiameseKit

/// `siamese classify`: one-shot classification of query images by their best-matching support.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Match each query image to the most similar support image: prints 'query<TAB>support<TAB>score'.",
        discussion: """
            Give one support image per class (one-shot) or several; each query is assigned to \
            the support that scores highest (higher = more alike), printed with that score.
            """)

    @Option(help: ArgumentHelp("The model file written by 'siamese train'.", valueName: "file"))
    var model: String

    @Option(parsing: .upToNextOption, help: ArgumentHelp("The support images (PNG), one or more.", valueName: "png"))
    var support: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("The query images (PNG), one or more.", valueName: "png"))
    var query: [String] = []

    func validate() throws {
        if support.isEmpty { throw ValidationError("--support needs at least one image") }
        if query.isEmpty { throw ValidationError("--query needs at least one image") }
    }

    func run() throws {
        let model = try ModelFiles.load(self.model)
        let supports = try ModelFiles.embeddings(support, with: model)
        let queries = try ModelFiles.embeddings(query, with: model)
        for (q, path) in query.enumerated() {
            let scores = model.scores(supports, against: queries.rows(q..<(q + 1)))
            let best = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!
            print("\(path)\t\(support[best])\t\(fixed(scores[best], 4))")
        }
    }
}
