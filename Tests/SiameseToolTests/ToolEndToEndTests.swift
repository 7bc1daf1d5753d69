import Foundation
import Testing
@testable import SiameseKit

/// `siamese embed`, `verify` and `classify` on a tiny model trained in the test, run as a user
/// would run them.
@Suite("siamese on synthetic shapes")
struct ToolEndToEndTests {
    @Test func classifyPicksTheSupportOfTheSameShape() throws {
        let fixture = try ToolFixture.get()
        let shapes = Shape.allCases
        let supports = shapes.map { fixture.pngs[$0]![0] }                       // 40x40 8-bit
        let queries = shapes.flatMap { fixture.pngs[$0]!.dropFirst() }           // other jitter, 16x16, 16-bit
        let run = try siamese(["classify", "--model", fixture.model, "--support"] + supports + ["--query"] + queries)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == queries.count)
        for (line, query) in zip(lines, queries) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 3, "line: \(line)")
            guard fields.count == 3 else { continue }
            #expect(fields[0] == query)
            let shape = shapes.first { fixture.pngs[$0]!.contains(query) }!
            #expect(fields[1] == fixture.pngs[shape]![0], "\(query) matched \(fields[1])")
            #expect(Float(fields[2]) != nil && fields[2].split(separator: ".").last?.count == 4, "score \(fields[2])")
        }
    }

    @Test func verifySaysSameAndDifferent() throws {
        let fixture = try ToolFixture.get()
        for shape in Shape.allCases {
            let paths = fixture.pngs[shape]!
            let same = try siamese(["verify", "--model", fixture.model, paths[0], paths[1]])
            #expect(same.status == 0, "stderr: \(same.stderr)")
            #expect(same.stdout.hasPrefix("same\t"), "\(shape): \(same.stdout)")
            let other = fixture.pngs[Shape.allCases[(shape.rawValue + 1) % Shape.allCases.count]]![0]
            let different = try siamese(["verify", "--model", fixture.model, paths[0], other])
            #expect(different.status == 0, "stderr: \(different.stderr)")
            #expect(different.stdout.hasPrefix("different\t"), "\(shape): \(different.stdout)")
            let score = Float(different.stdout.split(separator: "\t").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
            #expect(score != nil)
        }
    }

    @Test func embedWritesCSVAndNumPy() throws {
        let fixture = try ToolFixture.get()
        let images = Shape.allCases.map { fixture.pngs[$0]![0] } + [fixture.pngs[.ring]![3]]
        let csv = try siamese(["embed", "--model", fixture.model] + images)
        #expect(csv.status == 0, "stderr: \(csv.stderr)")
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.count == images.count)
        for (row, path) in zip(rows, images) {
            let fields = row.split(separator: ",").map(String.init)
            #expect(fields.first == path)
            #expect(fields.count == 1 + fixture.embeddingSize)
            #expect(fields.dropFirst().allSatisfy { Float($0) != nil })
        }

        let npy = fixture.folder.appendingPathComponent("embeddings.npy")
        let saved = try siamese(["embed", "--model", fixture.model, "--format", "npy", "--output", npy.path] + images)
        #expect(saved.status == 0, "stderr: \(saved.stderr)")
        #expect(saved.stdout.isEmpty)
        let bytes = [UInt8](try Data(contentsOf: npy))
        #expect(Array(bytes.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'descr': '<f4'"))
        #expect(header.contains("'fortran_order': False"))
        #expect(header.contains("'shape': (\(images.count), \(fixture.embeddingSize))"))
        #expect(header.hasSuffix("\n"))
        #expect(bytes.count == 10 + headerLength + 4 * images.count * fixture.embeddingSize)
        // The first value is the CSV's first number.
        let first = Float(bitPattern: UInt32(bytes[10 + headerLength]) | UInt32(bytes[11 + headerLength]) << 8
                          | UInt32(bytes[12 + headerLength]) << 16 | UInt32(bytes[13 + headerLength]) << 24)
        #expect(rows.first.map { Float($0.split(separator: ",")[1]) } == first)
    }

    @Test func loadsAConv4ModelAt28Pixels() throws {
        // Chapter 07 trains conv4 at 28 px (28 → 14 → 7 → 3 → 1): the tool must load such models.
        let fixture = try ToolFixture.get()
        var generator = SeededGenerator(seed: 3)
        let model = EmbeddingModel(card: ModelCard(architecture: .conv4, side: 28, embeddingSize: 0), using: &generator)
        let url = fixture.folder.appendingPathComponent("conv4-28.safetensors")
        try model.save(to: url)
        let run = try siamese(["embed", "--model", url.path, fixture.pngs[.ring]![0]])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.split(separator: ",").count == 1 + 64)
    }

    @Test(arguments: [[], ["train"], ["embed"], ["verify"], ["classify"], ["evaluate"]])
    func helpWorks(_ subcommand: [String]) throws {
        let run = try siamese(subcommand + ["--help"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("USAGE: siamese \(subcommand.first ?? "")"))
        #expect(run.stderr.isEmpty)
    }
}
