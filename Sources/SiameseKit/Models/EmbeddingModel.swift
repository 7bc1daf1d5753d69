import Foundation

/// What a saved model is: enough to rebuild its layers and use it on new images. Stored as the
/// checkpoint's metadata, so one `.safetensors` file is a complete model.
public struct ModelCard: Equatable, Sendable {
    /// The encoder's layout (`OmniglotNetworks`, `MNISTNetworks`).
    public enum Architecture: String, CaseIterable, Sendable {
        /// Chapter 02's MNIST convnet as an encoder (28x28 only).
        case mnist
        /// Four conv 3x3 + batch-norm + ReLU + pool blocks (any side divisible by 16).
        case conv4
        /// Koch et al.'s 105x105 network with its weighted-L1 head.
        case koch
    }

    /// How two embeddings become a score.
    public enum Scoring: String, CaseIterable, Sendable {
        /// Euclidean distance; the score is its negative (higher = more alike).
        case distance
        /// Koch's head: the probability that the pair is the same class.
        case kochHead = "koch-head"
    }

    public var architecture: Architecture
    /// Input side in pixels (square, one channel, ink 1 on paper 0); conv4 needs at least 16.
    public var side: Int
    /// Embedding width of the encoder (0 for conv4: no final linear layer).
    public var embeddingSize: Int
    /// Feature maps per convolution (conv4 only; 64 is the literature's).
    public var width: Int = 64
    /// How many times the maps multiply from one conv4 block to the next (1: all `width`).
    public var growth: Int = 1
    /// How a drawing is framed for the encoder: nil, the whole image resized to `side`; a
    /// share in (0, 1], the drawing's ink box filling that share of the side (`Framing.inkBox`).
    public var inkBox: Float? = nil
    public var scoring: Scoring
    /// `verify` says "same" when the score is at least this (a negative distance, or a probability).
    public var threshold: Float
    /// Free-form facts for the reader: data set, loss, epochs, seed, validation accuracy.
    public var notes: [String: String]

    public init(architecture: Architecture, side: Int, embeddingSize: Int, scoring: Scoring? = nil,
                threshold: Float? = nil, notes: [String: String] = [:]) {
        self.architecture = architecture
        self.side = side
        self.embeddingSize = embeddingSize
        let scoring = scoring ?? (architecture == .koch ? .kochHead : .distance)
        self.scoring = scoring
        self.threshold = threshold ?? (scoring == .kochHead ? 0.5 : -1)
        self.notes = notes
    }

    /// The card as checkpoint metadata.
    public var metadata: [String: String] {
        var out = notes
        out["siamese.architecture"] = architecture.rawValue
        out["siamese.side"] = "\(side)"
        out["siamese.embedding"] = "\(embeddingSize)"
        out["siamese.scoring"] = scoring.rawValue
        out["siamese.threshold"] = "\(threshold)"
        if let inkBox { out["siamese.ink-box"] = "\(inkBox)" }
        if architecture == .conv4 {
            out["siamese.width"] = "\(width)"
            if growth != 1 { out["siamese.growth"] = "\(growth)" }
        }
        return out
    }

    /// Reads a card back from checkpoint metadata; nil when the file is not a `siamese` model.
    public init?(metadata: [String: String]) {
        guard let architecture = metadata["siamese.architecture"].flatMap(Architecture.init(rawValue:)),
              let side = metadata["siamese.side"].flatMap(Int.init), side > 0,
              let embedding = metadata["siamese.embedding"].flatMap(Int.init),
              let scoring = metadata["siamese.scoring"].flatMap(Scoring.init(rawValue:)),
              let threshold = metadata["siamese.threshold"].flatMap(Float.init) else { return nil }
        self.init(architecture: architecture, side: side, embeddingSize: embedding, scoring: scoring, threshold: threshold,
                  notes: metadata.filter { !$0.key.hasPrefix("siamese.") })
        if let width = metadata["siamese.width"] {
            guard let value = Int(width) else { return nil }
            self.width = value
        }
        if let growth = metadata["siamese.growth"] {
            guard let value = Int(growth) else { return nil }
            self.growth = value
        }
        if let inkBox = metadata["siamese.ink-box"] {
            guard let value = Float(inkBox), value > 0, value <= 1 else { return nil }
            self.inkBox = value
        }
    }

    /// How drawings are put into this model's input, in words: "32x32 inputs of whole drawings"
    /// or "32x32 inputs of drawings in an ink box filling 0.9".
    public var framing: String {
        "\(side)x\(side) inputs of " + (inkBox.map { "drawings in an ink box filling \($0)" } ?? "whole drawings")
    }
}

/// Why a model file could not be used.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    /// The checkpoint is valid but carries no model card (e.g. a Chapter 02 classifier).
    case notAModel(file: String)
    /// The card describes something that cannot be built.
    case invalidCard(file: String, reason: String)
    /// A resume file holds another model's tensors (say, from before the layout changed).
    case resumeFromOtherModel(file: String, reason: String)

    public var description: String {
        switch self {
        case .notAModel(let file):
            "\(file) is a checkpoint but not a siamese model (no siamese.* metadata); train one with 'siamese train'"
        case .invalidCard(let file, let reason): "\(file): \(reason)"
        case .resumeFromOtherModel(let file, let reason):
            "\(file) was saved from a different model (\(reason)); delete it, or use another checkpoint folder, to start afresh"
        }
    }
}

/// A twin network ready for use: its card, its encoder and (for Koch's scoring) its head.
/// Everything after training (the `siamese` tool, the chapters' evaluations) goes through it.
public final class EmbeddingModel: Layer {
    public private(set) var card: ModelCard
    public let encoder: Sequential
    public let head: KochHead?

    /// A freshly initialised model for `card`.
    public init(card: ModelCard, using generator: inout SeededGenerator) {
        var card = card
        switch card.architecture {
        case .mnist:
            card.side = 28
            encoder = MNISTNetworks.encoder(embeddingSize: card.embeddingSize, using: &generator)
        case .conv4:
            encoder = OmniglotNetworks.conv4(side: card.side, width: card.width, growth: card.growth, embeddingSize: card.embeddingSize, using: &generator)
        case .koch:
            card.side = 105
            card.embeddingSize = 4096
            encoder = OmniglotNetworks.koch(using: &generator)
        }
        head = card.scoring == .kochHead ? KochHead(embeddingSize: card.outputSize, using: &generator) : nil
        self.card = card
    }

    /// Loads a model saved by `save(to:)`: rebuilds the layers its card names, then loads the
    /// weights (every tensor must be there with its shape; see `Checkpoint.load`).
    public static func load(from url: URL) throws -> EmbeddingModel {
        let contents = try Checkpoint.read(from: url)
        let file = Checkpoint.displayName(url)
        guard let card = ModelCard(metadata: contents.metadata) else { throw ModelError.notAModel(file: file) }
        if let problem = card.problem { throw ModelError.invalidCard(file: file, reason: problem) }
        var generator = SeededGenerator(seed: 0)
        let model = EmbeddingModel(card: card, using: &generator)
        try Checkpoint.load(into: model, from: url)
        return model
    }

    /// Saves weights, batch-norm statistics and the card to one safetensors file (atomically).
    /// `extra` tensors (optimizer state for resuming) and `notes` are stored beside them.
    public func save(to url: URL, notes: [String: String] = [:], extra: [(name: String, tensor: Tensor)] = []) throws {
        var card = card
        card.notes.merge(notes) { $1 }
        try Checkpoint.write(namedState.map { ($0.name, $0.variable.value) } + extra, metadata: card.metadata, to: url)
    }

    /// The encoder: images `[N, 1, side, side]` → embeddings `[N, D]`.
    public func callAsFunction(_ input: Variable) -> Variable { encoder(input) }

    public var namedParameters: [(name: String, parameter: Variable)] {
        encoder.namedParameters + (head?.namedParameters ?? [])
    }
    public var namedBuffers: [(name: String, buffer: Variable)] { encoder.namedBuffers }
    public func setTraining(_ training: Bool) { encoder.setTraining(training) }

    /// Embeddings of `images` in evaluation mode without a graph, `batchSize` at a time: `[N, D]`.
    public func embed(_ images: Tensor, batchSize: Int = 256) -> Tensor {
        setTraining(false)
        defer { setTraining(true) }
        var parts: [Tensor] = []
        for start in stride(from: 0, to: images.shape[0], by: batchSize) {
            let x = images.rows(start..<Swift.min(start + batchSize, images.shape[0]))
            parts.append(withoutGradients { encoder(x).value })
        }
        return parts.count == 1 ? parts[0] : Tensor.concatenateRows(parts)
    }

    /// Embeddings of `images`, `[N, D]`; with `shifts`, each the mean over the image and its four
    /// one-pixel shifts (`TestTimeShifts`), five times the work; with `turns`, the embeddings of
    /// the image's four quarter turns side by side (`TestTimeTurns`), `[N, 4·D]`, four times the
    /// work again (distance scoring only: Koch's head takes `D` numbers).
    public func embed(_ images: Tensor, shifts: Bool, turns: Bool = false, batchSize: Int = 256) -> Tensor {
        let one: (Tensor) -> Tensor = { x in
            shifts ? TestTimeShifts.averaged(x) { self.embed($0, batchSize: batchSize) } : self.embed(x, batchSize: batchSize)
        }
        guard turns else { return one(images) }
        precondition(head == nil, "test-time turns need distance scoring; this model scores pairs with a learned head")
        return TestTimeTurns.concatenated(images, embed: one)
    }

    /// Scores of embedding pairs (`a[i]` with `b[i]`, each `[N, D]`): higher means more alike.
    /// Negative Euclidean distance, or Koch's probability of "same".
    public func scores(_ a: Tensor, _ b: Tensor) -> [Float] {
        withoutGradients {
            if let head {
                return head.logits(Variable(a), Variable(b)).sigmoid().value.scalars
            }
            return Distance.l2(Variable(a), Variable(b)).value.scalars.map { -$0 }
        }
    }

    /// Scores of one query embedding `[1, D]` against every row of `candidates` `[N, D]`.
    public func scores(_ candidates: Tensor, against query: Tensor) -> [Float] {
        precondition(query.rank == 2 && query.shape[0] == 1, "scores(_:against:): the query must be [1, D], got \(query.shape)")
        return scores(candidates, query.gatherRows([Int](repeating: 0, count: candidates.shape[0])))
    }

    /// Sets the `verify` threshold to the score that best separates the scores of `same` pairs
    /// from those of `different` pairs (highest balanced accuracy), and returns that accuracy.
    @discardableResult
    public func calibrateThreshold(same: [Float], different: [Float]) -> Float {
        precondition(!same.isEmpty && !different.isEmpty, "calibrateThreshold: needs same and different pairs")
        let candidates = (same + different).sorted()
        var bestAccuracy: Float = -1, bestThreshold = card.threshold
        let sortedSame = same.sorted(), sortedDifferent = different.sorted()
        var i = 0, j = 0                                   // counts below the candidate
        for t in candidates {
            while i < sortedSame.count && sortedSame[i] < t { i += 1 }
            while j < sortedDifferent.count && sortedDifferent[j] < t { j += 1 }
            let accuracy = (Float(sortedSame.count - i) / Float(same.count) + Float(j) / Float(different.count)) / 2
            if accuracy > bestAccuracy { bestAccuracy = accuracy; bestThreshold = t }
        }
        card.threshold = bestThreshold
        return bestAccuracy
    }

    /// Any grayscale image as this model's input `[1, 1, side, side]`: dark-on-light pictures
    /// (a scanned or drawn character, Omniglot's PNGs) are inverted so strokes are 1 on 0, as
    /// in training; then the image is padded to a square and resized by area averaging, or,
    /// for a card with `inkBox`, framed in its ink box (`Framing.inkBox`).
    public func input(from image: GrayImage) -> Tensor {
        let ink = image.meanBrightness > 0.5
        if let fill = card.inkBox {
            let values = Framing.inkBox(image.values(ink: ink), width: image.width, height: image.height, side: card.side, fill: fill)
            return Tensor(shape: [1, 1, card.side, card.side], scalars: values)
        }
        let side = Swift.max(image.width, image.height)
        var square = [UInt8](repeating: ink ? 255 : 0, count: side * side)
        let top = (side - image.height) / 2, left = (side - image.width) / 2
        for r in 0..<image.height {
            for c in 0..<image.width { square[(top + r) * side + left + c] = image[r, c] }
        }
        let padded = GrayImage(width: side, height: side, pixels: square)
        let values = Resampling.resize(padded.values(ink: ink), width: side, height: side,
                                       toWidth: card.side, toHeight: card.side, method: .area)
        return Tensor(shape: [1, 1, card.side, card.side], scalars: values)
    }
}

extension ModelCard {
    /// Why this card cannot be built, or nil: what `EmbeddingModel.load` checks before it
    /// builds layers from a file's metadata.
    public var problem: String? {
        switch architecture {
        case .mnist where !(1...65_536).contains(embeddingSize): "an mnist model needs an embedding size of at least 1, the card says \(embeddingSize)"
        case .mnist where side != 28: "an mnist model takes 28x28 inputs, the card says \(side)"
        case .conv4 where side < 16 || side > 1024: "conv4 needs a side from 16 to 1024 pixels, the card says \(side)"
        case .conv4 where !(1...4096).contains(width): "conv4 needs a width from 1 to 4096 maps, the card says \(width)"
        case .conv4 where !(1...4).contains(growth) || OmniglotNetworks.conv4Maps(width: width, growth: growth).last! > 4096:
            "conv4's maps grow 1 to 4 times a block, up to 4096 maps; the card says width \(width), growth \(growth)"
        case .conv4 where !(0...65_536).contains(embeddingSize): "conv4's embedding size cannot be negative, the card says \(embeddingSize)"
        case .koch where side != 105: "Koch's network takes 105x105 inputs, the card says \(side)"
        default: nil
        }
    }

    /// The width of the encoder's output.
    public var outputSize: Int {
        switch architecture {
        case .mnist: embeddingSize
        case .conv4: OmniglotNetworks.conv4OutputSize(side: side, width: width, growth: growth, embeddingSize: embeddingSize)
        case .koch: 4096
        }
    }
}
