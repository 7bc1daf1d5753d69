import ChapterTesting
import Foundation
import Testing
@testable import SiameseKit

@Suite("Models, metric losses and training sets")
struct ModelTests {
    @Test func cardRoundTripsThroughMetadata() {
        let card = ModelCard(architecture: .conv4, side: 28, embeddingSize: 0, threshold: -3.5, notes: ["training.loss": "triplet"])
        #expect(ModelCard(metadata: card.metadata) == card)
        #expect(ModelCard(metadata: ["x": "y"]) == nil)
        #expect(ModelCard(architecture: .koch, side: 105, embeddingSize: 4096).scoring == .kochHead)
        #expect(ModelCard(architecture: .conv4, side: 8, embeddingSize: 0).problem != nil)
    }

    @Test func growingMapsDoubleEachBlock() {
        var card = ModelCard(architecture: .conv4, side: 32, embeddingSize: 0)
        card.width = 8
        card.growth = 2
        #expect(ModelCard(metadata: card.metadata) == card)
        var g = SeededGenerator(seed: 3)
        let model = EmbeddingModel(card: card, using: &g)
        let convolutions = model.encoder.namedParameters.filter { $0.parameter.value.rank == 4 }
        #expect(convolutions.map { $0.parameter.value.shape[0] } == [8, 16, 32, 64])
        #expect(card.outputSize == 64 * 2 * 2)
        #expect(model.embed(Tensor.randomUniform([2, 1, 32, 32], using: &g)).shape == [2, 256])
        card.growth = 4
        card.width = 128
        #expect(card.problem != nil)                       // 128·4³ maps in the last block
    }

    @Test func savedModelGivesTheSameEmbeddings() throws {
        let folder = ChapterProcess.scratchFolder("models")
        defer { try? FileManager.default.removeItem(at: folder) }
        var g = SeededGenerator(seed: 1)
        let model = EmbeddingModel(card: ModelCard(architecture: .conv4, side: 28, embeddingSize: 0), using: &g)
        model.setTraining(true)
        _ = model(Tensor.randomUniform([4, 1, 28, 28], using: &g))          // moves the batch-norm statistics
        let url = folder.appendingPathComponent("m.safetensors")
        try model.save(to: url)
        let loaded = try EmbeddingModel.load(from: url)
        let x = Tensor.randomUniform([3, 1, 28, 28], using: &g)
        #expect(loaded.card == model.card)
        #expect(loaded.embed(x) == model.embed(x))
        // A checkpoint without a card, and a card that cannot be built, are refused with a reason.
        let plain = folder.appendingPathComponent("plain.safetensors")
        try Checkpoint.write([("x", Tensor([1, 2]))], to: plain)
        #expect(throws: ModelError.self) { try EmbeddingModel.load(from: plain) }
        var bad = ModelCard(architecture: .mnist, side: 28, embeddingSize: 8).metadata
        bad["siamese.embedding"] = "-1"
        try Checkpoint.write([("x", Tensor([1, 2]))], metadata: bad, to: plain)
        #expect(throws: ModelError.self) { try EmbeddingModel.load(from: plain) }
    }

    @Test func anyImageBecomesTheModelsInput() {
        var g = SeededGenerator(seed: 2)
        let model = EmbeddingModel(card: ModelCard(architecture: .conv4, side: 16, embeddingSize: 4), using: &g)
        // Dark strokes on white paper, 32x16: inverted (ink = 1), padded square, resized.
        var pixels = [UInt8](repeating: 255, count: 32 * 16)
        for c in 0..<32 { pixels[8 * 32 + c] = 0 }
        let x = model.input(from: GrayImage(width: 32, height: 16, pixels: pixels))
        #expect(x.shape == [1, 1, 16, 16])
        #expect(x.scalars.max()! > 0.4 && x.scalars[0] == 0)
    }

    @Test func batchPairsAreBalanced() {
        var g = SeededGenerator(seed: 3)
        let labels = [0, 0, 0, 1, 1, 1, 2, 2]
        let (first, second, pairLabels) = MetricLoss.pairs(labels: labels, using: &g)
        #expect(pairLabels.filter { $0 == .same }.count == 3 + 3 + 1)
        #expect(pairLabels.filter { $0 == .different }.count == 7)
        for k in first.indices { #expect((labels[first[k]] == labels[second[k]]) == (pairLabels[k] == .same)) }
    }

    @Test(arguments: ["triplet", "triplet-hard", "contrastive", "koch"])
    func everyLossTrainsOnSeparableClasses(name: String) {
        // Four classes of 4-d points; a linear encoder must learn to separate them.
        var g = SeededGenerator(seed: 4)
        let loss = MetricLoss(name: name)!
        let encoder = Linear(4, 4, using: &g), head = name == "koch" ? KochHead(embeddingSize: 4, using: &g) : nil
        let optimizer = Adam(encoder.parameters + (head?.parameters ?? []), learningRate: 0.02)
        let labels = (0..<32).map { $0 % 4 }
        var values: [Float] = []
        for l in labels { for k in 0..<4 { values.append((k == l ? 1 : 0) + 0.1 * Float.random(in: -1...1, using: &g)) } }
        let x = Tensor(shape: [32, 4], scalars: values)
        var losses: [Float] = []
        for _ in 0..<60 { losses.append(trainStep(optimizer) { loss(encoder(x), labels: labels, head: head, using: &g) }) }
        let before: Float = losses.prefix(5).reduce(0, +), after: Float = losses.suffix(5).reduce(0, +)
        #expect(after < before * 0.8, "\(name): \(before / 5) → \(after / 5)")
    }

    @Test func quarterTurnsMakeNewClasses() {
        let omniglot = ToyOmniglot.make(alphabets: 2, characters: 3, drawers: 2)
        let plain = ClassImages.omniglot(omniglot, characters: [0, 1, 2])
        let turned = ClassImages.omniglot(omniglot, characters: [0, 1, 2], quarterTurns: true)
        #expect(plain.count == 6 && plain.classCount == 3)
        #expect(turned.count == 24 && turned.classCount == 12)
        #expect(turned.labels[6 + 1] == plain.labels[1] + 3)
        #expect(turned.images(at: [6 + 1]) == QuarterTurns.rotated(plain.images(at: [1]), turns: 1))
        #expect(turned.images(at: [1, 19, 2]) == Tensor.concatenateRows([plain.images(at: [1]),
                                                                           QuarterTurns.rotated(plain.images(at: [1]), turns: 3),
                                                                           plain.images(at: [2])]))
    }

    @Test func thresholdSeparatesSameFromDifferent() {
        var g = SeededGenerator(seed: 5)
        let model = EmbeddingModel(card: ModelCard(architecture: .conv4, side: 16, embeddingSize: 2), using: &g)
        let accuracy = model.calibrateThreshold(same: [-1, -0.5, -0.8], different: [-3, -2.5, -4])
        #expect(accuracy == 1 && model.card.threshold <= -0.8 && model.card.threshold > -2.5)
    }
}
