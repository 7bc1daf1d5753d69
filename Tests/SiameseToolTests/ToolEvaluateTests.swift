import ChapterTesting
import Foundation
import Testing
@testable import SiameseKit

/// `siamese evaluate` on the real evaluation alphabets, with untrained 32x32 conv4 models made
/// in the test (what it measures is the protocol and the vote, not a trained network).
@Suite("siamese evaluate")
struct ToolEvaluateTests {
    /// Two different untrained models at 32x32, one at 28x28 and one at 32x32 that frames
    /// drawings in their ink box, saved in the fixture's folder.
    static func models(_ prefix: String) throws -> (a: String, b: String, other: String, framed: String) {
        let fixture = try ToolFixture.get()
        var generator = SeededGenerator(seed: 11)
        let paths = ["a", "b", "28", "framed"].map { fixture.folder.appendingPathComponent("\(prefix)-\($0).safetensors").path }
        for (path, side) in zip(paths, [32, 32, 28, 32]) {
            var card = ModelCard(architecture: .conv4, side: side, embeddingSize: 0)
            if path.hasSuffix("framed.safetensors") { card.inkBox = Framing.defaultInkBoxFill }
            let model = EmbeddingModel(card: card, using: &generator)
            try model.save(to: URL(fileURLWithPath: path))
        }
        return (paths[0], paths[1], paths[2], paths[3])
    }

    /// The accuracy column of each result line (`name<TAB>accuracy<TAB>interval`), by name.
    static func accuracies(_ stdout: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in stdout.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            if fields.count == 3 { out[fields[0]] = fields[1] }
        }
        return out
    }

    @Test func scoresModelsAloneAndVoting() throws {
        guard ChapterProcess.omniglotAvailable else {
            #expect(!ChapterProcess.underCI, "Omniglot is missing; run Scripts/fetch-data.sh")
            return
        }
        let (a, b, _, framed) = try Self.models("votes")
        let trials = ["--ways", "5", "--trials", "60"]
        // A model voting with itself decides every trial as it does alone.
        let twice = try siamese(["evaluate", "--model", a, a] + trials)
        #expect(twice.status == 0, "stderr: \(twice.stderr)")
        #expect(twice.stdout.hasPrefix("# 5-way 1-shot within-alphabet trials"))
        let same = Self.accuracies(twice.stdout)
        #expect(same[a] != nil && same["ensemble of 2"] == same[a], "stdout: \(twice.stdout)")
        #expect(same[a]?.hasSuffix("%") == true)
        // Two models: one line each and one for the vote; the same seed gives the same numbers.
        let pair = try siamese(["evaluate", "--model", a, b] + trials)
        let scores = Self.accuracies(pair.stdout)
        #expect(scores[a] == same[a] && scores[b] != nil && scores["ensemble of 2"] != nil, "stdout: \(pair.stdout)")
        // Another seed draws other trials.
        let other = try siamese(["evaluate", "--model", a, "--seed", "7", "--shifts", "--turns"] + trials)
        #expect(other.status == 0 && other.stdout.contains("seed 7 with shifts and turns"), "stderr: \(other.stderr)")
        // A model that frames drawings in their ink box is scored on drawings framed that way.
        let boxed = try siamese(["evaluate", "--model", framed, framed] + trials)
        #expect(boxed.status == 0, "stderr: \(boxed.stderr)")
        #expect(Self.accuracies(boxed.stdout)[framed] != nil, "stdout: \(boxed.stdout)")
    }

    @Test func badInputIsOneLine() throws {
        guard ChapterProcess.omniglotAvailable else {
            #expect(!ChapterProcess.underCI, "Omniglot is missing; run Scripts/fetch-data.sh")
            return
        }
        let (a, _, other, framed) = try Self.models("bad")
        try ToolBadInputTests.expectOneLineError(["evaluate", "--model", a, other], mentions: "different input sizes")
        try ToolBadInputTests.expectOneLineError(["evaluate", "--model", a, framed], mentions: "frame drawings differently")
        try ToolBadInputTests.expectOneLineError(["evaluate", "--model", a, "--ways", "90"], mentions: "largest evaluation alphabet")
        try ToolBadInputTests.expectOneLineError(["evaluate", "--model", a, "--ways", "1"], mentions: "--ways", status: nil)
        try ToolBadInputTests.expectOneLineError(["evaluate"], mentions: "--model", status: nil)
    }
}
