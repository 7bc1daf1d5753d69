import Foundation
import Testing
@testable import SiameseKit

/// The data loaders on small files the tests write themselves.
@Suite("Data folder, gzip and MNIST")
struct DataFolderAndMNISTTests {
    @Test func folderResolutionOrder() {
        let env = ["SIAMESE_DATA": "/srv/siamese"]
        #expect(DataFolder("/explicit", environment: env).root.path == "/explicit")
        #expect(DataFolder("/explicit", environment: env).origin == .explicit)
        #expect(DataFolder(nil, environment: env).root.path == "/srv/siamese")
        #expect(DataFolder(nil, environment: env).origin == .environment)
        #expect(DataFolder("", environment: env).origin == .environment)
        let standard = DataFolder(nil, environment: ["SIAMESE_DATA": ""])
        #expect(standard.origin == .standard)
        #expect(standard.path == "data")
        #expect(standard.root.path == URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent("data").standardizedFileURL.path)
        #expect(standard.url(for: "mnist/x.gz").path.hasSuffix("/data/mnist/x.gz"))
        #expect(standard.cacheDirectory.path.hasSuffix("/data/cache"))
    }

    @Test func missingFileNamesItAndSaysHowToGetIt() throws {
        let folder = DataFolder(path: try DataFixtures.temporaryFolder().path)
        let error = DataFixtures.dataError { _ = try folder.file("mnist/train-images-idx3-ubyte.gz") }
        let text = "\(error.map(String.init(describing:)) ?? "")"
        #expect(text.contains("mnist/train-images-idx3-ubyte.gz"))
        #expect(text.contains("Scripts/fetch-data.sh"))
        #expect(text.contains("--data DIR"))
        #expect(text.contains("SIAMESE_DATA"))
        // The loader reports the same.
        let fromLoader = DataFixtures.dataError { _ = try MNIST.load(.test, from: folder) }
        #expect(fromLoader.map { "\($0)".contains("t10k-images-idx3-ubyte.gz") } == true)
    }

    @Test func gzipRoundTripMembersAndPadding() throws {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }
        let packed = Gzip.compress(bytes)
        #expect(try Gzip.decompress(Data(packed), name: "x") == bytes)
        // Two members one after another decode to both contents (as `gzip -d` does).
        #expect(try Gzip.decompress(Data(packed + Gzip.compress([1, 2, 3])), name: "x") == bytes + [1, 2, 3])
        // Zero padding after the stream is tolerated; other trailing bytes are not.
        #expect(try Gzip.decompress(Data(packed + [0, 0, 0, 0]), name: "x") == bytes)
        #expect(DataFixtures.dataError { _ = try Gzip.decompress(Data(packed + [7, 7]), name: "x") } != nil)
        #expect(try Gzip.decompress(Data(Gzip.compress([])), name: "empty") == [])
    }

    @Test func readsFilesWrittenByTheGzipTool() throws {
        let gzip = URL(fileURLWithPath: "/bin/gzip")
        guard FileManager.default.isExecutableFile(atPath: gzip.path) else { return }
        let folder = try DataFixtures.temporaryFolder()
        let file = folder.appendingPathComponent("labels")
        let bytes = DataFixtures.idxLabels([3, 1, 4, 1, 5])
        try Data(bytes).write(to: file)
        let process = Process()
        process.executableURL = gzip
        process.arguments = ["-9", file.path]
        try process.run()
        process.waitUntilExit()
        #expect(try Gzip.read(contentsOf: folder.appendingPathComponent("labels.gz")) == bytes)
    }

    @Test func loadsIDXImagesScaledToUnitRange() throws {
        let root = try DataFixtures.temporaryFolder()
        // Three images: all 0, all 255, and a ramp 0, 1, ..., 255, 0, 1, ...
        let pixels = [UInt8](repeating: 0, count: 784) + [UInt8](repeating: 255, count: 784)
            + (0..<784).map { UInt8($0 % 256) }
        try DataFixtures.writeMNIST(images: DataFixtures.idxImages(pixels, count: 3),
                                    labels: DataFixtures.idxLabels([7, 2, 7]), in: root)
        let set = try MNIST.load(.train, from: DataFolder(path: root.path))
        #expect(set.images.shape == [3, 1, 28, 28])
        #expect(set.labels == [7, 2, 7])
        #expect(set.count == 3 && set.classCount == 10 && set.imageShape == [1, 28, 28])
        #expect(set.images.scalars[0..<784].allSatisfy { $0 == 0 })
        #expect(set.images.scalars[784..<1568].allSatisfy { $0 == 1 })
        #expect(set.images[2, 0, 1, 23] == Float(51) / 255)
        #expect(set.images[2, 0, 9, 3] == Float((9 * 28 + 3) % 256) / 255)
        #expect(set.indicesByClass[7] == [0, 2] && set.indicesByClass[2] == [1] && set.classCounts[0] == 0)

        let (batch, labels) = set.batch([2, 0, 2])
        #expect(batch.shape == [3, 1, 28, 28] && labels == [7, 7, 7])
        #expect(Array(batch.scalars[0..<784]) == Array(set.images.scalars[1568..<2352]))
        #expect(set.subset(first: 2).labels == [7, 2])
        #expect(set.subset(first: 99).count == 3)
        #expect(set.subset(perClass: 1).labels == [7, 2])
        #expect(set.subset([1]).images.scalars.allSatisfy { $0 == 1 })
    }

    @Test func fashionVariantAndTestSplitReadTheirOwnFiles() throws {
        let root = try DataFixtures.temporaryFolder()
        try DataFixtures.writeMNIST(images: DataFixtures.idxImages([UInt8](repeating: 51, count: 784), count: 1),
                                    labels: DataFixtures.idxLabels([9]), in: root, split: .test, variant: .fashion)
        #expect(MNIST.files(.test, variant: .fashion).images == "fashion-mnist/t10k-images-idx3-ubyte.gz")
        #expect(MNIST.files(.train).labels == "mnist/train-labels-idx1-ubyte.gz")
        let set = try MNIST.load(.test, variant: .fashion, from: DataFolder(path: root.path))
        #expect(set.labels == [9] && set.images.scalars.allSatisfy { $0 == 0.2 })
        #expect(MNIST.Variant.fashion.classNames[9] == "Ankle boot")
    }
}

@Suite("PNG decoding")
struct DataPNGTests {
    @Test func oneBitGray() throws {
        // 10x3: row 0 alternating, row 1 all white, row 2 all black.
        let rows = [DataFixtures.packBits((0..<10).map { $0 % 2 == 0 }),
                    DataFixtures.packBits([Bool](repeating: true, count: 10)),
                    DataFixtures.packBits([Bool](repeating: false, count: 10))]
        let image = try PNG.decodeGray(DataFixtures.png(width: 10, height: 3, bitDepth: 1, colorType: 0, rows: rows), name: "t")
        #expect(image.width == 10 && image.height == 3)
        #expect(Array(image.pixels[0..<10]) == (0..<10).map { $0 % 2 == 0 ? 255 : 0 })
        #expect(image.pixels[10..<20].allSatisfy { $0 == 255 } && image.pixels[20..<30].allSatisfy { $0 == 0 })
        #expect(image[0, 2] == 255 && image[0, 3] == 0)
    }

    @Test func eightBitGrayAndSixteenBitGray() throws {
        let values: [UInt8] = [0, 1, 77, 128, 200, 255]
        let gray8 = try PNG.decodeGray(DataFixtures.png(width: 3, height: 2, bitDepth: 8, colorType: 0,
                                                        rows: [Array(values[0..<3]), Array(values[3..<6])]), name: "t")
        #expect(gray8.pixels == values)
        // 16-bit samples v * 257 (the 16-bit form of 8-bit v) come back as v.
        let rows16 = [values.flatMap { [$0, $0] }]
        let gray16 = try PNG.decodeGray(DataFixtures.png(width: 6, height: 1, bitDepth: 16, colorType: 0, rows: rows16), name: "t")
        #expect(gray16.pixels == values)
    }

    @Test func colourAlphaAndPaletteBecomeGray() throws {
        // RGB: black, white, mid gray, pure green (luminance 0.7152 -> sRGB ~220).
        let rgb = try PNG.decodeGray(DataFixtures.png(width: 4, height: 1, bitDepth: 8, colorType: 2,
            rows: [[0, 0, 0, 255, 255, 255, 128, 128, 128, 0, 255, 0]]), name: "t")
        #expect(Array(rgb.pixels[0..<3]) == [0, 255, 128])
        #expect(rgb.pixels[3] > 200 && rgb.pixels[3] < 240)
        // Gray + alpha: a fully transparent pixel is composited on white.
        let alpha = try PNG.decodeGray(DataFixtures.png(width: 2, height: 1, bitDepth: 8, colorType: 4,
                                                        rows: [[0, 255, 0, 0]]), name: "t")
        #expect(alpha.pixels == [0, 255])
        // A 2-bit palette image.
        let palette = try PNG.decodeGray(DataFixtures.png(width: 4, height: 1, bitDepth: 2, colorType: 3,
            rows: [[0b00_01_10_11]], palette: [0, 0, 0, 255, 255, 255, 128, 128, 128, 0, 0, 0]), name: "t")
        #expect(palette.pixels == [0, 255, 128, 0])
    }

    @Test func encodeThenDecodeAndFiles() throws {
        let image = GrayImage(width: 7, height: 5, pixels: (0..<35).map { UInt8($0 * 7) })
        let bytes = try PNG.encode(image)
        #expect(Array(bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        #expect(try PNG.decodeGray(bytes, name: "t") == image)
        let url = try DataFixtures.temporaryFolder().appendingPathComponent("x.png")
        try PNG.write(image, to: url)
        #expect(try PNG.readGray(contentsOf: url) == image)
        #expect(image.tensor(ink: true).shape == [1, 1, 5, 7])
        #expect(image.values(ink: true)[0] == 1 && image.values()[0] == 0)
    }
}

@Suite("Resampling")
struct DataResamplingTests {
    @Test func areaKeepsConstantsAndAveragesBlocks() {
        let constant = [Float](repeating: 0.7, count: 105 * 105)
        for side in [28, 35, 52, 105, 150] {
            let out = Resampling.resize(constant, width: 105, height: 105, toWidth: side, toHeight: side, method: .area)
            #expect(out.count == side * side)
            #expect(out.allSatisfy { abs($0 - 0.7) < 1e-5 }, "area to \(side)")
        }
        // Halving is 2x2 averaging.
        var g = SeededGenerator(seed: 5)
        let x = Tensor.randomUniform([8 * 6], using: &g).scalars
        let half = Resampling.resize(x, width: 6, height: 8, toWidth: 3, toHeight: 4, method: .area)
        for r in 0..<4 {
            for c in 0..<3 {
                let mean = (x[(2 * r) * 6 + 2 * c] + x[(2 * r) * 6 + 2 * c + 1]
                            + x[(2 * r + 1) * 6 + 2 * c] + x[(2 * r + 1) * 6 + 2 * c + 1]) / 4
                #expect(abs(half[r * 3 + c] - mean) < 1e-6)
            }
        }
        // 3 -> 2 weights: overlaps of length 1 and 0.5 out of 1.5.
        let m = Resampler.matrix(from: 3, to: 2, method: .area)
        #expect(m.shape == [2, 3])
        #expect(zip(m.scalars, [2 / 3, 1 / 3, 0, 0, 1 / 3, 2 / 3] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func bilinearMatchesHalfPixelCentres() {
        var g = SeededGenerator(seed: 6)
        let x = Tensor.randomUniform([5 * 7], using: &g).scalars
        #expect(Resampling.resize(x, width: 7, height: 5, toWidth: 7, toHeight: 5, method: .bilinear) == x)
        #expect(Resampling.resize(x, width: 7, height: 5, toWidth: 7, toHeight: 5, method: .area) == x)
        // Upsampling 2 -> 4 (PyTorch align_corners=False): [a, .75a + .25b, .25a + .75b, b].
        let up = Resampler.matrix(from: 2, to: 4, method: .bilinear).scalars
        #expect(up == [1, 0, 0.75, 0.25, 0.25, 0.75, 0, 1])
        // Downsampling 4 -> 2 samples between pixel pairs.
        #expect(Resampler.matrix(from: 4, to: 2, method: .bilinear).scalars == [0.5, 0.5, 0, 0, 0, 0, 0.5, 0.5])
        for method in ResizeMethod.allCases {
            let m = Resampler.matrix(from: 105, to: 28, method: method)
            for i in 0..<28 {
                #expect(abs(m.scalars[(i * 105)..<((i + 1) * 105)].reduce(0, +) - 1) < 1e-5)
            }
        }
    }

    @Test func tensorsAndGrayImages() {
        let images = Tensor(shape: [2, 1, 4, 4], scalars: (0..<32).map { Float($0) })
        let small = Resampling.resize(images, toHeight: 2, toWidth: 2)
        #expect(small.shape == [2, 1, 2, 2])
        #expect(small.scalars == [2.5, 4.5, 10.5, 12.5, 18.5, 20.5, 26.5, 28.5])
        let image = GrayImage(width: 4, height: 2, pixels: [0, 255, 100, 100, 255, 0, 50, 50])
        #expect(image.resized(width: 2, height: 1).pixels == [128, 75])
    }
}

@Suite("Omniglot from a zip")
struct DataOmniglotTests {
    @Test func readsTheStructureAndInk() throws {
        let root = try DataFixtures.omniglotFolder()
        let set = try Omniglot.load(.background, from: DataFolder(path: root.path), cache: false)
        #expect(set.alphabets == ["Alpha", "Beta"])
        #expect(set.characters.map(\.name) == ["character01", "character01", "character02"])
        #expect(set.characters.map(\.alphabet) == [0, 1, 1])
        #expect(set.characters.map(\.id) == [1, 2, 3])
        #expect(set.count == 9 && set.side == 105)
        #expect(set.imageCharacters == [0, 0, 0, 1, 1, 1, 2, 2, 2])
        #expect(set.imageDrawers == [1, 2, 3, 1, 2, 3, 1, 2, 3])
        #expect(set.indicesByCharacter == [[0, 1, 2], [3, 4, 5], [6, 7, 8]])
        #expect(set.characterName(2) == "Beta/character02")
        #expect(set.characters(inAlphabet: 1) == [1, 2])

        // Image 4 is character id 2, drawer 2: a 9x6 black square on white -> ink 1 there, 0 elsewhere.
        let expected = try PNG.decodeGray(DataFixtures.glyph(character: 2, drawer: 2), name: "glyph")
        let tensor = set.images(at: [4])
        #expect(tensor.shape == [1, 1, 105, 105])
        #expect(tensor.scalars == expected.values(ink: true))
        #expect(tensor.scalars.reduce(0, +) == 54)
        #expect(set.inkImage(at: 4).pixels == expected.pixels.map { 255 - $0 })
        let labeled = set.labeledImages([8, 0])
        #expect(labeled.labels == [2, 0] && labeled.classCount == 3 && labeled.images.shape == [2, 1, 105, 105])
    }

    @Test func resizesAtLoadTime() throws {
        let root = try DataFixtures.omniglotFolder(compression: .none)
        let folder = DataFolder(path: root.path)
        let full = try Omniglot.load(.background, from: folder, cache: false)
        for method in ResizeMethod.allCases {
            let small = try Omniglot.load(.background, side: 35, method: method, from: folder, cache: false)
            #expect(small.side == 35 && small.method == method && small.count == 9)
            #expect(small.images(at: [0]).shape == [1, 1, 35, 35])
            // Equal to resizing the full-size ink, up to the byte rounding of the store.
            let reference = Resampling.resize(full.images(at: [5]), toHeight: 35, toWidth: 35, method: method)
            let got = small.images(at: [5])
            #expect(zip(got.scalars, reference.scalars).allSatisfy { abs($0 - $1) <= 0.5 / 255 + 1e-6 })
        }
        // Squares on a 3-pixel grid shrink by area to exact 3x2 blocks of ink: 6 pixels of 1.
        let area = try Omniglot.load(.background, side: 35, from: folder, cache: false)
        #expect(area.images(at: [0]).scalars.reduce(0, +) == 6)
    }

    @Test func cacheRoundTripsAndRebuildsWhenStale() throws {
        let root = try DataFixtures.omniglotFolder(split: .evaluation)
        let folder = DataFolder(path: root.path)
        let first = try Omniglot.load(.evaluation, side: 28, from: folder)
        let cacheFile = folder.cacheDirectory.appendingPathComponent("omniglot-evaluation-28px-area.bin")
        #expect(FileManager.default.fileExists(atPath: cacheFile.path))
        let key = try #require(OmniglotCache.Key(archive: folder.url(for: Omniglot.Split.evaluation.archive)))
        let cached = try #require(OmniglotCache.read(cacheFile, key: key, split: .evaluation, side: 28, method: .area))
        Self.expectEqual(cached, first)
        Self.expectEqual(try Omniglot.load(.evaluation, side: 28, from: folder), first)
        // Another size, method or archive is a miss.
        #expect(OmniglotCache.read(cacheFile, key: key, split: .evaluation, side: 35, method: .area) == nil)
        #expect(OmniglotCache.read(cacheFile, key: key, split: .evaluation, side: 28, method: .bilinear) == nil)
        var newer = key
        newer.seconds += 1
        #expect(OmniglotCache.read(cacheFile, key: newer, split: .evaluation, side: 28, method: .area) == nil)

        // A damaged cache is ignored and rewritten.
        var bytes = try Data(contentsOf: cacheFile)
        bytes[bytes.count - 5] ^= 0xFF
        try bytes.write(to: cacheFile)
        #expect(OmniglotCache.read(cacheFile, key: key, split: .evaluation, side: 28, method: .area) == nil)
        Self.expectEqual(try Omniglot.load(.evaluation, side: 28, from: folder), first)
        #expect(OmniglotCache.read(cacheFile, key: key, split: .evaluation, side: 28, method: .area) != nil)
        try Data("short".utf8).write(to: cacheFile)
        Self.expectEqual(try Omniglot.load(.evaluation, side: 28, from: folder), first)

        // Touching the archive (new mtime) invalidates the cache.
        let archive = folder.url(for: Omniglot.Split.evaluation.archive)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: archive.path)
        let touched = try #require(OmniglotCache.Key(archive: archive))
        #expect(touched != key)
        Self.expectEqual(try Omniglot.load(.evaluation, side: 28, from: folder), first)
        #expect(OmniglotCache.read(cacheFile, key: touched, split: .evaluation, side: 28, method: .area) != nil)
        // No temporary files are left beside the cache.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.cacheDirectory.path)
        #expect(leftovers == ["omniglot-evaluation-28px-area.bin"])
    }

    @Test func unwritableCacheIsNotAnError() throws {
        let root = try DataFixtures.omniglotFolder()
        // A file where the cache folder should be: the cache cannot be written, the load works.
        try Data().write(to: root.appendingPathComponent("cache"))
        #expect(try Omniglot.load(.background, from: DataFolder(path: root.path)).count == 9)
    }

    static func expectEqual(_ a: Omniglot, _ b: Omniglot, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.split == b.split && a.side == b.side && a.method == b.method, sourceLocation: sourceLocation)
        #expect(a.alphabets == b.alphabets && a.characters == b.characters, sourceLocation: sourceLocation)
        #expect(a.imageCharacters == b.imageCharacters && a.imageDrawers == b.imageDrawers, sourceLocation: sourceLocation)
        #expect(a.pixels == b.pixels, sourceLocation: sourceLocation)
    }
}
