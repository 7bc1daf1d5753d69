import Foundation
import Testing
@testable import SiameseKit

/// Where the real datasets are for these tests: the folder the chapters would use
/// (`SIAMESE_DATA`, else `./data` in the package root, filled by `Scripts/fetch-data.sh`).
enum RealData {
    static let folder = DataFolder()

    /// True under CI (`CI` set to anything but empty, `0` or `false`): missing data is a failure there.
    static let underCI: Bool = {
        guard let value = ProcessInfo.processInfo.environment["CI"] else { return false }
        return !["", "0", "false"].contains(value.lowercased())
    }()

    static let mnistFiles = MNIST.Split.allCases.flatMap { [MNIST.files($0).images, MNIST.files($0).labels] }
    static let fashionFiles = MNIST.Split.allCases.flatMap {
        [MNIST.files($0, variant: .fashion).images, MNIST.files($0, variant: .fashion).labels]
    }
    static let omniglotFiles = Omniglot.Split.allCases.map(\.archive)

    static func has(_ files: [String]) -> Bool { files.allSatisfy(folder.contains) }

    /// Run the test when the files are there, and always under CI (where it then fails).
    static func available(_ files: [String]) -> Bool { has(files) || underCI }

    /// False, with a failure naming the missing files, when they are missing (only reached under CI).
    static func require(_ files: [String], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let missing = files.filter { !folder.contains($0) }
        guard missing.isEmpty else {
            Issue.record("""
                CI is set but the real data is missing from \(folder): \(missing.joined(separator: ", ")); \
                run Scripts/fetch-data.sh before the tests
                """, sourceLocation: sourceLocation)
            return false
        }
        return true
    }

    /// Smallest, largest and mean value (one pointer loop: quick in debug builds).
    static func stats(_ tensor: Tensor) -> (min: Float, max: Float, mean: Double) {
        tensor.scalars.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress, !buffer.isEmpty else { return (0, 0, 0) }
            var low = p[0], high = p[0], sum = 0.0
            var i = 0
            while i < buffer.count {
                let v = p[i]
                if v < low { low = v }
                if v > high { high = v }
                sum += Double(v)
                i &+= 1
            }
            return (low, high, sum / Double(buffer.count))
        }
    }
}

@Suite("Real datasets")
struct DataRealFilesTests {
    @Test(.enabled(if: RealData.available(RealData.mnistFiles),
                   "MNIST is not in the data folder (run Scripts/fetch-data.sh)"))
    func mnist() throws {
        guard RealData.require(RealData.mnistFiles) else { return }
        let train = try MNIST.load(.train, from: RealData.folder)
        #expect(train.images.shape == [60_000, 1, 28, 28])
        #expect(train.classCounts == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        #expect(Array(train.labels.prefix(5)) == [5, 0, 4, 1, 9])
        let stats = RealData.stats(train.images)
        #expect(stats.min == 0 && stats.max == 1)
        #expect(abs(stats.mean - 0.1307) < 0.0005)  // the usual normalisation constant
        let test = try MNIST.load(.test, from: RealData.folder)
        #expect(test.images.shape == [10_000, 1, 28, 28])
        #expect(test.classCounts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        #expect(Array(test.labels.prefix(3)) == [7, 2, 1])
    }

    @Test(.enabled(if: RealData.available(RealData.fashionFiles),
                   "Fashion-MNIST is not in the data folder (run Scripts/fetch-data.sh)"))
    func fashionMNIST() throws {
        guard RealData.require(RealData.fashionFiles) else { return }
        let train = try MNIST.load(.train, variant: .fashion, from: RealData.folder)
        #expect(train.count == 60_000 && train.classCounts == [Int](repeating: 6000, count: 10))
        #expect(abs(RealData.stats(train.images).mean - 0.2860) < 0.0005)
        let test = try MNIST.load(.test, variant: .fashion, from: RealData.folder)
        #expect(test.count == 10_000 && test.classCounts == [Int](repeating: 1000, count: 10))
    }

    /// Both splits, every image: structure from SOURCES.md, drawers 1-20 for every character,
    /// ink on paper. Loaded at 28 px by area (decoding is the cost, and the cache this leaves in
    /// `data/cache` is the one the chapters use at that size).
    @Test(.enabled(if: RealData.available(RealData.omniglotFiles),
                   "Omniglot is not in the data folder (run Scripts/fetch-data.sh)"),
          arguments: [(Omniglot.Split.background, 30, 964, 1...964),
                      (Omniglot.Split.evaluation, 20, 659, 965...1623)])
    func omniglot(split: Omniglot.Split, alphabets: Int, characters: Int, ids: ClosedRange<Int>) throws {
        guard RealData.require(RealData.omniglotFiles) else { return }
        let set = try Omniglot.load(split, side: 28, from: RealData.folder)
        #expect(set.alphabets.count == alphabets)
        #expect(set.characters.count == characters)
        #expect(set.count == characters * 20)
        #expect(set.characters.map(\.id).sorted() == Array(ids))
        #expect(set.indicesByCharacter.allSatisfy { $0.map { set.imageDrawers[$0] } == Array(1...20) })
        if split == .background {
            #expect(set.alphabets.first == "Alphabet_of_the_Magi" && set.alphabets.last == "Tifinagh")
            #expect(set.characterName(0) == "Alphabet_of_the_Magi/character01")
        } else {
            #expect(set.alphabets.first == "Angelic" && set.alphabets.last == "ULOG")
            #expect(set.characters[0].id == 965)
        }
        // A second load (from the cache the first one wrote, or read) gives the same set.
        let again = try Omniglot.load(split, side: 28, from: RealData.folder)
        #expect(again.pixels == set.pixels && again.characters == set.characters && again.imageDrawers == set.imageDrawers)
        // Ink: strokes are a small part of each image, paper is 0.
        let images = set.images(at: Array(stride(from: 0, to: set.count, by: 97)))
        let stats = RealData.stats(images)
        #expect(stats.mean > 0.03 && stats.mean < 0.3, "mean ink \(stats.mean)")
        #expect(stats.min == 0 && stats.max > 0.9)
    }

    /// One real PNG from the archive, decoded at full size: 105x105, black strokes on white.
    @Test(.enabled(if: RealData.available(RealData.omniglotFiles),
                   "Omniglot is not in the data folder (run Scripts/fetch-data.sh)"))
    func omniglotPNGIsOneBitBlackOnWhite() throws {
        guard RealData.require(RealData.omniglotFiles),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") else { return }
        let url = try RealData.folder.file(Omniglot.Split.evaluation.archive)
        let folder = try DataFixtures.temporaryFolder("omniglot-png")
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = ["-q", url.path, "images_evaluation/Angelic/character01/0965_01.png", "-d", folder.path]
        try process.run()
        process.waitUntilExit()
        let image = try PNG.readGray(contentsOf: folder.appendingPathComponent("images_evaluation/Angelic/character01/0965_01.png"))
        #expect(image.width == 105 && image.height == 105)
        #expect(image.pixels.allSatisfy { $0 == 0 || $0 == 255 })
        #expect(image.meanBrightness > 0.7)  // mostly white paper
    }
}
