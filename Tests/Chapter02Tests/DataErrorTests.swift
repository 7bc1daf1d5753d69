import Foundation
import Testing
import ZIPFoundation
@testable import SiameseKit

/// Broken inputs: each must end in a `DataError` whose one-line description names the file
/// and says what is wrong, never in a crash.
@Suite("Data errors")
struct DataErrorTests {
    /// Writes MNIST-style files and returns the error of loading them.
    func mnistError(images: [UInt8], labels: [UInt8], gzipImages: (([UInt8]) -> [UInt8])? = nil) throws -> String {
        let root = try DataFixtures.temporaryFolder()
        try DataFixtures.writeMNIST(images: images, labels: labels, in: root)
        if let gzipImages {
            let url = root.appendingPathComponent(MNIST.files(.train).images)
            try Data(gzipImages(Array(try Data(contentsOf: url)))).write(to: url)
        }
        let error = DataFixtures.dataError { _ = try MNIST.load(.train, from: DataFolder(path: root.path)) }
        return error.map { "\($0)" } ?? ""
    }

    let oneImage = DataFixtures.idxImages([UInt8](repeating: 9, count: 784), count: 1)

    @Test func truncatedGzip() throws {
        let big = DataFixtures.idxImages((0..<(784 * 20)).map { UInt8(truncatingIfNeeded: $0 * 7) }, count: 20)
        let text = try mnistError(images: big, labels: DataFixtures.idxLabels([UInt8](repeating: 1, count: 20)),
                                  gzipImages: { Array($0.prefix($0.count / 2)) })
        #expect(text.hasPrefix("corrupt gzip file "))
        #expect(text.contains("mnist/train-images-idx3-ubyte.gz"))
        #expect(text.contains("ends before its compressed data does"))
        // Cut inside the 8-byte trailer: the data is all there but the stream has not ended.
        let cutTrailer = try mnistError(images: big, labels: DataFixtures.idxLabels([UInt8](repeating: 1, count: 20)),
                                        gzipImages: { Array($0.dropLast(3)) })
        #expect(cutTrailer.contains("ends before its compressed data does"))
    }

    @Test func damagedGzipAndNotGzipAtAll() throws {
        let damaged = try mnistError(images: oneImage, labels: DataFixtures.idxLabels([1]),
                                     gzipImages: { var b = $0; b[b.count - 6] ^= 0x55; return b })  // the CRC-32 trailer
        #expect(damaged.contains("corrupt gzip file") && damaged.contains("incorrect data check"))
        let plain = try mnistError(images: oneImage, labels: DataFixtures.idxLabels([1]), gzipImages: { _ in self.oneImage })
        #expect(plain.contains("corrupt gzip file") && plain.contains("incorrect header check"))
    }

    @Test func wrongMagic() throws {
        let text = try mnistError(images: oneImage, labels: DataFixtures.idxLabels([1], magic: 2051))
        #expect(text.contains("train-labels-idx1-ubyte.gz is not an IDX label file: magic number 2051, expected 2049"))
        let images = try mnistError(images: DataFixtures.idxImages([UInt8](repeating: 0, count: 784), count: 1, magic: 2049),
                                    labels: DataFixtures.idxLabels([1]))
        #expect(images.contains("is not an IDX image file: magic number 2049, expected 2051"))
    }

    @Test func countAndSizeMismatches() throws {
        let count = try mnistError(images: DataFixtures.idxImages([UInt8](repeating: 0, count: 784 * 3), count: 3),
                                   labels: DataFixtures.idxLabels([1, 2]))
        #expect(count.contains("3 images but 2 labels"))
        let size = try mnistError(images: DataFixtures.idxImages([UInt8](repeating: 0, count: 32 * 32), count: 1, rows: 32, columns: 32),
                                  labels: DataFixtures.idxLabels([1]))
        #expect(size.contains("images are 32x32, expected 28x28"))
        let label = try mnistError(images: oneImage, labels: DataFixtures.idxLabels([12]))
        #expect(label.contains("label 12 at index 0 is not in 0...9"))
        let extra = try mnistError(images: oneImage + [1, 2, 3], labels: DataFixtures.idxLabels([1]))
        #expect(extra.contains("3 bytes after the 800 its header [1, 28, 28] describes"))
    }

    @Test func truncatedPayload() throws {
        // The header promises 3 images; 2 and a half are there (the gzip itself is intact).
        let text = try mnistError(images: DataFixtures.idxImages([UInt8](repeating: 0, count: 784 * 5 / 2), count: 3),
                                  labels: DataFixtures.idxLabels([1, 2, 3]))
        #expect(text.hasPrefix("truncated IDX file "))
        #expect(text.contains("the header describes 2368 bytes but the file has 1976"))
        let header = try mnistError(images: oneImage, labels: [0, 0, 8, 1, 0, 0])
        #expect(header.contains("describes 8 bytes but the file has 6"))
    }

    @Test func corruptPNG() throws {
        let garbage = DataFixtures.dataError { _ = try PNG.decodeGray(Data("definitely not a png".utf8), name: "mine.png") }
        #expect(garbage.map { "\($0)".hasPrefix("corrupt PNG mine.png: ") } == true)
        if case .corruptPNG(_, let reason)? = garbage { #expect(!reason.isEmpty) }
        let good = DataFixtures.glyph(character: 1, drawer: 1)
        let cut = DataFixtures.dataError { _ = try PNG.decodeGray(Array(good.prefix(good.count - 30)), name: "cut.png") }
        #expect(cut.map { "\($0)".hasPrefix("corrupt PNG cut.png: ") } == true)
        let empty = DataFixtures.dataError { _ = try PNG.decodeGray([UInt8](), name: "empty.png") }
        #expect(empty == .corruptPNG(name: "empty.png", reason: "empty file"))
        let missing = DataFixtures.dataError { _ = try PNG.readGray(contentsOf: URL(fileURLWithPath: "/nonexistent/x.png")) }
        #expect(missing.map { "\($0)".contains("/nonexistent/x.png") } == true)
    }

    @Test func corruptPNGInsideTheArchiveNamesTheEntry() throws {
        let root = try DataFixtures.omniglotFolder(extra: [("images_background/Gamma/character01/0009_01.png", Array("not a png".utf8))])
        let error = DataFixtures.dataError { _ = try Omniglot.load(.background, from: DataFolder(path: root.path), cache: false) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.hasPrefix("corrupt PNG images_background/Gamma/character01/0009_01.png in "))
        #expect(text.contains("omniglot/images_background.zip: "))
    }

    @Test func corruptZip() throws {
        let root = try DataFixtures.temporaryFolder()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("omniglot"), withIntermediateDirectories: true)
        let url = root.appendingPathComponent(Omniglot.Split.evaluation.archive)
        try Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 13) }).write(to: url)
        let error = DataFixtures.dataError { _ = try Omniglot.load(.evaluation, from: DataFolder(path: root.path)) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.hasPrefix("corrupt zip archive "))
        #expect(text.contains("omniglot/images_evaluation.zip") && text.contains("Scripts/fetch-data.sh"))

        // A real zip cut in half has lost its directory.
        let good = try DataFixtures.omniglotFolder()
        let zipURL = good.appendingPathComponent(Omniglot.Split.background.archive)
        let bytes = try Data(contentsOf: zipURL)
        try bytes.prefix(bytes.count / 2).write(to: zipURL)
        let cut = DataFixtures.dataError { _ = try Omniglot.load(.background, from: DataFolder(path: good.path)) }
        #expect(cut.map { "\($0)".hasPrefix("corrupt zip archive ") } == true)
    }

    @Test func zipEntryWithBadCRC() throws {
        // Stored (uncompressed) entries: flip one byte inside the data of one PNG.
        let root = try DataFixtures.omniglotFolder(compression: .none)
        let url = root.appendingPathComponent(Omniglot.Split.background.archive)
        var bytes = [UInt8](try Data(contentsOf: url))
        let target = DataFixtures.glyph(character: 2, drawer: 3)
        let start = try #require(Self.find(target, in: bytes))
        bytes[start + target.count / 2] ^= 0x01
        try Data(bytes).write(to: url)
        let error = DataFixtures.dataError { _ = try Omniglot.load(.background, from: DataFolder(path: root.path), cache: false) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.hasPrefix("corrupt entry images_background/Beta/character01/0002_03.png in "))
        #expect(text.contains("CRC-32 mismatch"))

        // Deflated entries: damaged compressed data is reported the same way.
        let deflated = try DataFixtures.omniglotFolder(compression: .deflate)
        let zipURL = deflated.appendingPathComponent(Omniglot.Split.background.archive)
        var zipped = [UInt8](try Data(contentsOf: zipURL))
        let name = Array("images_background/Alpha/character01/0001_02.png".utf8)
        let header = try #require(Self.find(name, in: zipped))  // the first hit is the local header
        for k in 0..<40 { zipped[header + name.count + 10 + k] ^= 0xA5 }
        try Data(zipped).write(to: zipURL)
        let damaged = DataFixtures.dataError { _ = try Omniglot.load(.background, from: DataFolder(path: deflated.path), cache: false) }
        #expect(damaged.map { "\($0)".hasPrefix("corrupt entry images_background/Alpha/character01/0001_02.png in ") } == true)
    }

    @Test func imageOfUnexpectedSize() throws {
        let small = DataFixtures.onebitPNG(side: 50) { r, _ in r > 3 }
        let root = try DataFixtures.omniglotFolder(extra: [("images_background/Gamma/character01/0009_01.png", small)])
        let error = DataFixtures.dataError { _ = try Omniglot.load(.background, from: DataFolder(path: root.path), cache: false) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.hasPrefix("image images_background/Gamma/character01/0009_01.png in "))
        #expect(text.hasSuffix("is 50x50, expected 105x105"))
    }

    @Test func unexpectedLayout() throws {
        let badName = try DataFixtures.omniglotFolder(extra: [("images_background/Gamma/character01/glyph.png", DataFixtures.glyph(character: 1, drawer: 1))])
        let error = DataFixtures.dataError { _ = try Omniglot.load(.background, from: DataFolder(path: badName.path), cache: false) }
        #expect(error.map { "\($0)".contains("glyph.png is not <alphabet>/characterNN/NNNN_DD.png") } == true)
        let clash = try DataFixtures.omniglotFolder(extra: [("images_background/Gamma/character01/0001_01.png", DataFixtures.glyph(character: 1, drawer: 1))])
        let shared = DataFixtures.dataError { _ = try Omniglot.load(.background, from: DataFolder(path: clash.path), cache: false) }
        #expect(shared.map { "\($0)".contains("character id 1 is used by both Alpha/character01 and Gamma/character01") } == true)
        let empty = try DataFixtures.temporaryFolder()
        try FileManager.default.createDirectory(at: empty.appendingPathComponent("omniglot"), withIntermediateDirectories: true)
        try DataFixtures.zip([("readme.txt", Array("hi".utf8))], at: empty.appendingPathComponent(Omniglot.Split.background.archive))
        let none = DataFixtures.dataError { _ = try Omniglot.load(.background, from: DataFolder(path: empty.path), cache: false) }
        #expect(none.map { "\($0)".contains("no PNG images") } == true)
    }

    @Test func everyDescriptionIsOneLine() {
        let all: [DataError] = [
            .missingFile(path: "data/a", folder: "data (default)"), .unreadableFile(path: "a", reason: "b"),
            .corruptGzip(path: "a", reason: "b"), .wrongMagic(path: "a", expected: 2049, found: 1),
            .idxMismatch(path: "a", reason: "b"), .truncatedIDX(path: "a", expectedBytes: 2, foundBytes: 1),
            .corruptZip(path: "a", reason: "b"), .corruptZipEntry(archive: "a", entry: "e", reason: "b"),
            .unexpectedLayout(archive: "a", reason: "b"), .corruptPNG(name: "a", reason: "b"),
            .unexpectedImageSize(name: "a", expectedWidth: 1, expectedHeight: 2, width: 3, height: 4),
        ]
        for error in all {
            #expect(!error.description.contains("\n") && !error.description.isEmpty)
        }
        #expect(DataError.missingFile(path: "data/a", folder: "data (default)").description
                == "missing data file data/a (data folder: data (default)); run Scripts/fetch-data.sh, or pass --data DIR / set SIAMESE_DATA")
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}
