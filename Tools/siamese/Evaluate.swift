import ArgumentParser
import SiameseKit

/// `siamese evaluate`: one-shot accuracy of a model, or of several voting as an ensemble, on
/// Omniglot's evaluation alphabets with Chapter 07's protocol.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure N-way K-shot one-shot accuracy on Omniglot's evaluation alphabets: prints 'name<TAB>accuracy<TAB>interval'.",
        discussion: """
            Trials are Chapter 07's: one evaluation alphabet, N of its characters, K drawings of \
            each by one drawer as the supports and one drawing by another drawer as the query \
            (Koch et al. 2015). The defaults (20-way 1-shot, 400 trials, seed 42) are the \
            chapter's, so a chapter's checkpoint scores here what the chapter printed. With \
            several --model files, each is scored alone and then all of them voting as an \
            ensemble (each model's scores scaled by their mean size in the trial, then added).
            """)

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("The model file(s) written by 'siamese train' or a chapter; several vote as an ensemble.",
                               valueName: "file"))
    var model: [String] = []

    @Option(help: ArgumentHelp("The data folder (default: $SIAMESE_DATA, else ./data).", valueName: "dir"))
    var data: String?

    @Option(help: "Characters per trial (N).")
    var ways = 20

    @Option(help: "Supports per character (K; their embeddings are averaged).")
    var shots = 1

    @Option(help: "How many trials.")
    var trials = 400

    @Option(help: "Seed of the trials (same seed, same trials).")
    var seed: UInt64 = 42

    @Flag(help: "Embed every drawing as the mean of it and its four one-pixel shifts.")
    var shifts = false

    @Flag(help: "Also set the four quarter turns' embeddings side by side (distance-scored models only).")
    var turns = false

    func validate() throws {
        if model.isEmpty { throw ValidationError("--model needs at least one model file") }
        if ways < 2 { throw ValidationError("--ways must be at least 2, got \(ways)") }
        if shots < 1 { throw ValidationError("--shots must be at least 1, got \(shots)") }
        if trials < 1 { throw ValidationError("--trials must be at least 1, got \(trials)") }
    }

    func run() throws {
        let models = try model.map(ModelFiles.load)
        let sides = Set(models.map(\.card.side))
        guard sides.count == 1 else {
            throw ToolError("the models take different input sizes (\(sides.sorted().map { "\($0)x\($0)" }.joined(separator: ", "))); an ensemble needs one")
        }
        if turns, let index = models.firstIndex(where: { $0.head != nil }) {
            throw ToolError("--turns needs distance scoring, and \(model[index]) scores pairs with Koch's head")
        }
        let framings = Set(models.map(\.card.framing))
        guard framings.count == 1 else {
            throw ToolError("the models frame drawings differently (\(framings.sorted().joined(separator: "; "))); an ensemble needs one framing")
        }
        let evaluation = try Omniglot.load(.evaluation, side: models[0].card.side, inkBox: models[0].card.inkBox, from: DataFolder(data))
        let largest = evaluation.alphabets.indices.map { evaluation.characters(inAlphabet: $0).count }.max() ?? 0
        guard ways <= largest else {
            throw ToolError("--ways \(ways) is more than the largest evaluation alphabet's \(largest) characters")
        }
        guard shots < 20 else { throw ToolError("--shots \(shots) leaves no drawer for the query (Omniglot has 20 drawers)") }
        var generator = SeededGenerator(seed: seed)
        let drawn = OneShotTrialGenerator(evaluation).trials(ways: ways, shots: shots, count: trials, using: &generator)
        let views = (shifts ? " with shifts" : "") + (turns ? (shifts ? " and turns" : " with turns") : "")
        print("# \(ways)-way \(shots)-shot within-alphabet trials on Omniglot's evaluation alphabets, seed \(seed)\(views)")
        let result = EmbeddingEnsemble(models).accuracies(on: drawn, of: evaluation, shifts: shifts, turns: turns)
        let line = { (name: String, a: TrialAccuracy) in
            print("\(name)\t\(percent(a.accuracy))\t± \(fixed(Double(a.confidence95) * 100, 1)) (\(a.trials) trials)")
        }
        for (path, alone) in zip(model, result.members) { line(path, alone) }
        if models.count > 1 { line("ensemble of \(models.count)", result.ensemble) }
    }
}
