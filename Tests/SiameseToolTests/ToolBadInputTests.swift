import ChapterTesting
import Foundation
import Testing
@testable import SiameseKit

/// Bad input is one line on standard error, `error: ...`, and a non-zero status.
@Suite("siamese on bad input")
struct ToolBadInputTests {
    /// Checks a failed run: non-zero status, nothing on standard output, one `error:` line
    /// mentioning `mentions`.
    static func expectOneLineError(_ arguments: [String], mentions: String, status: Int32? = 1, silentStdout: Bool = true,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try siamese(arguments)
        #expect(run.status != 0, sourceLocation: sourceLocation)
        if let status { #expect(run.status == status, "stderr: \(run.stderr)", sourceLocation: sourceLocation) }
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "stderr: \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.hasPrefix("error: "), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(mentions), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
        if silentStdout { #expect(run.stdout.isEmpty, "stdout: \(run.stdout)", sourceLocation: sourceLocation) }
    }

    @Test func missingImage() throws {
        let fixture = try ToolFixture.get()
        let missing = fixture.folder.appendingPathComponent("no-such-image.png").path
        try Self.expectOneLineError(["verify", "--model", fixture.model, fixture.pngs[.ring]![0], missing], mentions: missing)
        try Self.expectOneLineError(["embed", "--model", fixture.model, missing], mentions: missing)
        try Self.expectOneLineError(["classify", "--model", fixture.model, "--support", fixture.pngs[.ring]![0], "--query", missing],
                                    mentions: missing)
    }

    @Test func fileThatIsNotAPNG() throws {
        let fixture = try ToolFixture.get()
        let text = fixture.folder.appendingPathComponent("notes.png")
        try Data("not a picture\n".utf8).write(to: text)
        try Self.expectOneLineError(["verify", "--model", fixture.model, fixture.pngs[.ring]![0], text.path], mentions: text.path)
        try Self.expectOneLineError(["embed", "--model", fixture.model, fixture.folder.path], mentions: "folder")
    }

    @Test func missingModel() throws {
        let fixture = try ToolFixture.get()
        let missing = fixture.folder.appendingPathComponent("nothing.safetensors").path
        try Self.expectOneLineError(["verify", "--model", missing, fixture.pngs[.ring]![0], fixture.pngs[.ring]![1]], mentions: missing)
    }

    @Test func checkpointThatIsNotAModel() throws {
        let fixture = try ToolFixture.get()
        let plain = fixture.folder.appendingPathComponent("plain.safetensors")
        try Checkpoint.write([("x", Tensor([1, 2]))], to: plain)
        try Self.expectOneLineError(["embed", "--model", plain.path, fixture.pngs[.ring]![0]], mentions: "not a siamese model")
        var card = ModelCard(architecture: .mnist, side: 28, embeddingSize: 32).metadata
        card["siamese.embedding"] = "-1"                          // a card that cannot be built
        let impossible = fixture.folder.appendingPathComponent("impossible.safetensors")
        try Checkpoint.write([("x", Tensor([1, 2]))], metadata: card, to: impossible)
        try Self.expectOneLineError(["embed", "--model", impossible.path, fixture.pngs[.ring]![0]], mentions: "embedding size")
        let corrupt = fixture.folder.appendingPathComponent("corrupt.safetensors")
        try Data([1, 2, 3]).write(to: corrupt)
        try Self.expectOneLineError(["embed", "--model", corrupt.path, fixture.pngs[.ring]![0]], mentions: corrupt.path)
    }

    @Test func usageErrorsAreOneLine() throws {
        let fixture = try ToolFixture.get()
        let query = fixture.pngs[.ring]![0]
        try Self.expectOneLineError(["classify", "--model", fixture.model, "--query", query], mentions: "--support", status: nil)
        try Self.expectOneLineError(["classify", "--model", fixture.model, "--support", query], mentions: "--query", status: nil)
        try Self.expectOneLineError(["embed", "--model", fixture.model, "--format", "npy", query], mentions: "--output", status: nil)
        try Self.expectOneLineError(["embed", "--model", fixture.model, "--format", "tiff", query], mentions: "tiff", status: nil)
        try Self.expectOneLineError(["verify", "--model", fixture.model, query], mentions: "siamese verify --help", status: nil)
        try Self.expectOneLineError(["train", "--dataset", "cifar", "--output", "x.safetensors"], mentions: "cifar", status: nil)
        try Self.expectOneLineError(["train", "--arch", "resnet", "--output", "x.safetensors"], mentions: "resnet", status: nil)
        try Self.expectOneLineError(["train", "--loss", "hinge", "--output", "x.safetensors"], mentions: "hinge", status: nil)
        try Self.expectOneLineError(["train", "--side", "8", "--output", "x.safetensors"], mentions: "--side", status: nil)
        try Self.expectOneLineError(["train", "--growth", "9", "--output", "x.safetensors"], mentions: "--growth", status: nil)
        try Self.expectOneLineError(["train", "--dataset", "mnist", "--maps", "8", "--output", "x.safetensors"], mentions: "--maps", status: nil)
        try Self.expectOneLineError(["frobnicate"], mentions: "frobnicate", status: nil)
    }

    @Test func missingDataIsOneLine() throws {
        let empty = ChapterProcess.scratchFolder("siamese-no-data")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        try Self.expectOneLineError(["train", "--dataset", "mnist", "--data", empty.path, "--output", empty.appendingPathComponent("m.safetensors").path],
                                    mentions: "missing data file", silentStdout: false)
    }
}
