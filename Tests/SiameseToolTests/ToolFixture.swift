import ChapterTesting
import Foundation
import Testing
@testable import SiameseKit

/// Four very different synthetic shapes, drawn at any size with a little jitter.
enum Shape: Int, CaseIterable, Sendable {
    case horizontalBar, verticalBar, ring, diagonal

    /// Ink in [0, 1] on a `size x size` grid, `size * size` values row by row; `dx`, `dy` shift
    /// the shape and `thickness` sets its stroke, all as fractions of the side.
    func ink(size: Int, dx: Float = 0, dy: Float = 0, thickness: Float = 0.16) -> [Float] {
        var out = [Float](repeating: 0, count: size * size)
        let sub = 4                                               // 4x4 samples per pixel: smooth edges
        for r in 0..<size {
            for c in 0..<size {
                var hits = 0
                for i in 0..<sub {
                    for j in 0..<sub {
                        let x = (Float(c) + (Float(j) + 0.5) / Float(sub)) / Float(size) - 0.5 - dx
                        let y = (Float(r) + (Float(i) + 0.5) / Float(sub)) / Float(size) - 0.5 - dy
                        if covers(x: x, y: y, t: thickness) { hits += 1 }
                    }
                }
                out[r * size + c] = Float(hits) / Float(sub * sub)
            }
        }
        return out
    }

    /// Whether the point (x, y) (centre at 0, side 1) is ink.
    private func covers(x: Float, y: Float, t: Float) -> Bool {
        switch self {
        case .horizontalBar: return abs(y) < t / 2 && abs(x) < 0.32
        case .verticalBar: return abs(x) < t / 2 && abs(y) < 0.32
        case .ring: let m = max(abs(x), abs(y)); return m < 0.3 && m > 0.3 - t
        case .diagonal: return abs(x - y) < t * 0.7 && abs(x) < 0.3 && abs(y) < 0.3
        }
    }

    /// The shape as an 8-bit image: dark strokes on white paper, or light strokes on black.
    func image(size: Int, darkOnLight: Bool, dx: Float = 0, dy: Float = 0) -> GrayImage {
        let pixels = ink(size: size, dx: dx, dy: dy).map { v -> UInt8 in
            let level = UInt8((v * 255).rounded())
            return darkOnLight ? 255 - level : level
        }
        return GrayImage(width: size, height: size, pixels: pixels)
    }
}

/// A tiny conv4 model trained in the test on the four shapes, and PNGs of the shapes written
/// in several sizes and encodings: everything the end-to-end tests run `siamese` on.
struct ToolFixture: Sendable {
    let folder: URL
    let model: String
    let embeddingSize: Int
    /// PNG paths by shape: 40x40 8-bit dark-on-white (two jitters), 16x16 light-on-black,
    /// 24x24 16-bit gray dark-on-white (written byte by byte).
    let pngs: [Shape: [String]]

    /// Built once for every test of the target.
    static let shared: Result<ToolFixture, any Error> = Result { try ToolFixture() }

    static func get() throws -> ToolFixture { try shared.get() }

    /// The fixture's scratch folder, removed when the test process exits.
    static let scratch = ChapterProcess.scratchFolder("siamese-tool")

    init() throws {
        let folder = Self.scratch
        self.folder = folder
        atexit { try? FileManager.default.removeItem(at: ToolFixture.scratch) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        embeddingSize = 8
        let model = try Self.trainTinyModel(side: 16, embeddingSize: embeddingSize)
        let modelURL = folder.appendingPathComponent("shapes.safetensors")
        try model.save(to: modelURL, notes: ["training.data": "synthetic shapes"])
        self.model = modelURL.path

        var pngs: [Shape: [String]] = [:]
        for shape in Shape.allCases {
            var paths: [String] = []
            func add(_ name: String, _ write: (URL) throws -> Void) throws {
                let url = folder.appendingPathComponent("\(shape)-\(name).png")
                try write(url)
                paths.append(url.path)
            }
            try add("40-a") { try PNG.write(shape.image(size: 40, darkOnLight: true, dx: 0.04, dy: -0.03), to: $0) }
            try add("40-b") { try PNG.write(shape.image(size: 40, darkOnLight: true, dx: -0.05, dy: 0.04), to: $0) }
            try add("16") { try PNG.write(shape.image(size: 16, darkOnLight: false), to: $0) }
            try add("24-16bit") { url in
                let image = shape.image(size: 24, darkOnLight: true, dx: 0.02, dy: 0.02)
                let rows = (0..<24).map { r in (0..<24).flatMap { c -> [UInt8] in [image[r, c], image[r, c]] } }  // v * 257
                try Data(Self.png(width: 24, height: 24, bitDepth: 16, colorType: 0, rows: rows)).write(to: url)
            }
            pngs[shape] = paths
        }
        self.pngs = pngs
    }

    /// A conv4 encoder (side 16) trained for a few steps with the batch-all triplet loss on
    /// jittered shapes, its verify threshold calibrated on fresh ones.
    static func trainTinyModel(side: Int, embeddingSize: Int) throws -> EmbeddingModel {
        var generator = SeededGenerator(seed: 11)
        func examples(_ perClass: Int) -> LabeledImages {
            var scalars: [Float] = [], labels: [Int] = []
            for shape in Shape.allCases {
                for _ in 0..<perClass {
                    scalars += shape.ink(size: side, dx: Float.random(in: -0.08...0.08, using: &generator),
                                         dy: Float.random(in: -0.08...0.08, using: &generator),
                                         thickness: Float.random(in: 0.13...0.2, using: &generator))
                    labels.append(shape.rawValue)
                }
            }
            return LabeledImages(images: Tensor(shape: [labels.count, 1, side, side], scalars: scalars), labels: labels)
        }
        let model = EmbeddingModel(card: ModelCard(architecture: .conv4, side: side, embeddingSize: embeddingSize),
                                   using: &generator)
        var plan = MetricTrainingPlan()
        plan.classesPerBatch = 4
        plan.perClass = 4
        plan.epochs = 1
        plan.stepsPerEpoch = 12
        plan.distortion = nil
        plan.seed = 5
        let trainer = MetricTrainer(model: model, plan: plan)
        try trainer.train(on: ClassImages(examples(12)), validate: { _ in 0 }, checkpoint: nil)
        let held = examples(6)
        let embeddings = model.embed(held.images)
        var pairGenerator = SeededGenerator(seed: 2)
        let (first, second, labels) = MetricLoss.pairs(labels: held.labels, using: &pairGenerator)
        let (same, different) = PairLabel.split(model.scores(embeddings.gatherRows(first), embeddings.gatherRows(second)), by: labels)
        model.calibrateThreshold(same: same, different: different)
        return model
    }

    // MARK: PNG written by hand (for bit depths `PNG.write` does not produce)

    static func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(data.count) + body + bigEndian(Int(body.withUnsafeBytes { Zlib.crc32($0) }))
    }

    /// A PNG from packed scanlines (filter 0 added to each row).
    static func png(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, rows: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out += chunk("IHDR", bigEndian(width) + bigEndian(height) + [bitDepth, colorType, 0, 0, 0])
        let raw = rows.flatMap { row -> [UInt8] in [0] + row }
        out += chunk("IDAT", raw.withUnsafeBytes { Zlib.deflate($0, format: .zlib) })
        out += chunk("IEND", [])
        return out
    }
}

/// Runs the built `siamese` executable.
func siamese(_ arguments: [String]) throws -> ChapterRun { try ChapterProcess.run("siamese", arguments) }
