import ArgumentParser
import SiameseKit

/// `siamese verify`: are two images of the same class?
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Say whether two images show the same class: prints 'same<TAB>score' or 'different<TAB>score'.",
        discussion: """
            The score is higher for more alike images (the negative embedding distance, or the \
            probability of Koch's head); images are "same" when it reaches the threshold stored \
            in the model by 'siamese train'.
            """)

    @Option(help: ArgumentHelp("The model file written by 'siamese train'.", valueName: "file"))
    var model: String

    @Argument(help: ArgumentHelp("The first PNG image.", valueName: "a.png"))
    var first: String

    @Argument(help: ArgumentHelp("The second PNG image.", valueName: "b.png"))
    var second: String

    func run() throws {
        let model = try ModelFiles.load(self.model)
        let embeddings = try ModelFiles.embeddings([first, second], with: model)
        let score = model.scores(embeddings.rows(0..<1), embeddings.rows(1..<2))[0]
        print("\(score >= model.card.threshold ? "same" : "different")\t\(fixed(score, 4))")
    }
}
