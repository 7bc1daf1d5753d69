import Foundation
import Testing
import ZIPFoundation
@testable import SiameseKit

/// Small data files made by the tests themselves: IDX files, PNGs written byte by byte (so
/// the decoder is checked against an independent encoder), Omniglot-style zips.
enum DataFixtures {
    /// A fresh empty folder under the system's temporary directory.
    static func temporaryFolder(_ label: String = "data") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("siamese-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// An IDX image file: magic, count, rows, columns, pixels.
    static func idxImages(_ pixels: [UInt8], count: Int, rows: Int = 28, columns: Int = 28, magic: Int = 2051) -> [UInt8] {
        bigEndian(magic) + bigEndian(count) + bigEndian(rows) + bigEndian(columns) + pixels
    }

    /// An IDX label file: magic, count, labels.
    static func idxLabels(_ labels: [UInt8], magic: Int = 2049) -> [UInt8] {
        bigEndian(magic) + bigEndian(labels.count) + labels
    }

    /// Writes gzipped `images` and `labels` as `<folder>/<variant>/<split>-...-ubyte.gz`.
    static func writeMNIST(images: [UInt8], labels: [UInt8], in folder: URL, split: MNIST.Split = .train,
                           variant: MNIST.Variant = .digits) throws {
        let (imagesFile, labelsFile) = MNIST.files(split, variant: variant)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(variant.folder),
                                                withIntermediateDirectories: true)
        try Data(Gzip.compress(images)).write(to: folder.appendingPathComponent(imagesFile))
        try Data(Gzip.compress(labels)).write(to: folder.appendingPathComponent(labelsFile))
    }

    // MARK: PNG, written by hand

    /// A PNG chunk: length, type, data, CRC-32 of type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(data.count) + body + bigEndian(Int(body.withUnsafeBytes { Zlib.crc32($0) }))
    }

    /// A complete PNG from packed scanlines (no filter byte; filter 0 is added), as the PNG
    /// specification lays it out: signature, IHDR, optional PLTE/tRNS, IDAT, IEND.
    static func png(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, rows: [[UInt8]],
                    palette: [UInt8]? = nil, transparency: [UInt8]? = nil) -> [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out += chunk("IHDR", bigEndian(width) + bigEndian(height) + [bitDepth, colorType, 0, 0, 0])
        if let palette { out += chunk("PLTE", palette) }
        if let transparency { out += chunk("tRNS", transparency) }
        let raw = rows.flatMap { row -> [UInt8] in [0] + row }
        out += chunk("IDAT", raw.withUnsafeBytes { Zlib.deflate($0, format: .zlib) })
        out += chunk("IEND", [])
        return out
    }

    /// Packs booleans (true = 1) most significant bit first, as 1-bit PNG rows are.
    static func packBits(_ bits: [Bool]) -> [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { byte, k in
                let i = start + k
                return byte | (i < bits.count && bits[i] ? UInt8(0x80) >> UInt8(k) : 0)
            }
        }
    }

    /// A 1-bit gray PNG, `white(row, column)` deciding each pixel (Omniglot: paper is white).
    static func onebitPNG(side: Int, white: (Int, Int) -> Bool) -> [UInt8] {
        let rows = (0..<side).map { r in packBits((0..<side).map { c in white(r, c) }) }
        return png(width: side, height: side, bitDepth: 1, colorType: 0, rows: rows)
    }

    // MARK: Zips

    /// A zip at `url` holding `files` (path, bytes) plus their directory entries, in order.
    static func zip(_ files: [(String, [UInt8])], at url: URL, compression: CompressionMethod = .deflate) throws {
        let archive = try Archive(url: url, accessMode: .create)
        var directories = Set<String>()
        for (path, bytes) in files {
            var parts = path.split(separator: "/").dropLast()
            var prefixes: [String] = []
            while !parts.isEmpty { prefixes.insert(parts.joined(separator: "/") + "/", at: 0); parts.removeLast() }
            for directory in prefixes where !directories.contains(directory) {
                directories.insert(directory)
                try archive.addEntry(with: directory, type: .directory, uncompressedSize: Int64(0)) { (_: Int64, _: Int) in Data() }
            }
            let data = Data(bytes)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: compression) { (position: Int64, size: Int) in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
    }

    /// A drawing of character `character` by `drawer`: a black square whose place depends on
    /// both, on white paper; `side` 105 as in Omniglot.
    static func glyph(character: Int, drawer: Int, side: Int = 105) -> [UInt8] {
        let top = 3 * ((character * 7 + drawer) % 30), left = 3 * ((character * 11 + drawer * 3) % 30)
        return onebitPNG(side: side) { r, c in !(r >= top && r < top + 9 && c >= left && c < left + 6) }
    }

    /// An Omniglot-style split: alphabets `Beta` (2 characters) and `Alpha` (1), 3 drawers each,
    /// listed out of order on purpose. Returns the data folder holding `omniglot/images_<split>.zip`.
    static func omniglotFolder(split: Omniglot.Split = .background, compression: CompressionMethod = .deflate,
                               extra: [(String, [UInt8])] = []) throws -> URL {
        let folder = try temporaryFolder("omniglot")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("omniglot"), withIntermediateDirectories: true)
        let top = "images_\(split.rawValue)"
        var files: [(String, [UInt8])] = []
        let characters = [("Beta", "character02", 3), ("Alpha", "character01", 1), ("Beta", "character01", 2)]
        for (alphabet, character, id) in characters {
            for drawer in [2, 1, 3] {
                let name = String(format: "%04d_%02d.png", id, drawer)
                files.append(("\(top)/\(alphabet)/\(character)/\(name)", glyph(character: id, drawer: drawer)))
            }
        }
        try zip(files + extra, at: folder.appendingPathComponent(split.archive), compression: compression)
        return folder
    }

    /// The error `body` throws, as `DataError` (nil, recorded as a failure, if it throws none).
    static func dataError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> DataError? {
        do {
            try body()
            Issue.record("expected a DataError, nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as DataError {
            let line = error.description
            #expect(!line.contains("\n"), "description must be one line: \(line)", sourceLocation: sourceLocation)
            return error
        } catch {
            Issue.record("expected a DataError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }
}
