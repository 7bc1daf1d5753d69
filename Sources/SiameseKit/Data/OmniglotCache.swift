import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The decoded-Omniglot cache: one file per split, size and method,
/// `<data folder>/cache/omniglot-<split>-<side>px[-<method>].bin`, so that only the first load
/// pays for decoding 19,280 PNGs.
///
/// Layout (little-endian): a fixed header, then two zlib streams.
///
///     "SIAMOMNI"  magic, 8 bytes          version        UInt32
///     archive size UInt64, archive mtime seconds Int64 and nanoseconds Int64   (the key)
///     split UInt8, side UInt32, method UInt8
///     images, characters, alphabets UInt32
///     tables: length, compressed length UInt64
///     pixels: compressed length UInt64                    (length is images * side * side)
///     tables (zlib): alphabets (UInt16 length + UTF-8 each), characters (alphabet UInt32,
///                    id UInt32, name), images (character UInt32, drawer UInt8)
///     pixels (zlib): the ink bytes
///
/// Anything that does not match (another version, another archive size or mtime, a short
/// file, damaged data: zlib checks each stream's Adler-32) makes `read` return nil and the loader silently decodes the archive again.
/// Writes go to a temporary file renamed into place, so a reader never sees half a cache.
enum OmniglotCache {
    static let magic = Array("SIAMOMNI".utf8)
    static let version: UInt32 = 2

    /// What the cache must match: the archive's size and modification time (symbolic links followed).
    struct Key: Equatable {
        var size: UInt64
        var seconds: Int64
        var nanoseconds: Int64

        init(size: UInt64, seconds: Int64, nanoseconds: Int64) {
            self.size = size
            self.seconds = seconds
            self.nanoseconds = nanoseconds
        }

        /// The key of the file at `archive`, or nil if it cannot be `stat`ed.
        init?(archive: URL) {
            var info = stat()
            guard stat(archive.path, &info) == 0 else { return nil }
            self.init(size: UInt64(info.st_size), seconds: Int64(info.st_mtim.tv_sec),
                      nanoseconds: Int64(info.st_mtim.tv_nsec))
        }
    }

    /// `omniglot-background-35px-area.bin`, or `omniglot-background-105px.bin` unresized.
    static func url(in directory: URL, split: Omniglot.Split, side: Int, method: ResizeMethod) -> URL {
        let suffix = side == Omniglot.nativeSide ? "" : "-\(method.rawValue)"
        return directory.appendingPathComponent("omniglot-\(split.rawValue)-\(side)px\(suffix).bin")
    }

    static func splitCode(_ split: Omniglot.Split) -> UInt8 { split == .background ? 0 : 1 }
    static func methodCode(_ method: ResizeMethod) -> UInt8 { method == .area ? 0 : 1 }

    /// Writes `omniglot` to `url` atomically; failures (say, a read-only data folder) are ignored:
    /// the cache only saves time.
    static func write(_ omniglot: Omniglot, key: Key, to url: URL) {
        var tables = ByteWriter()
        for alphabet in omniglot.alphabets { tables.string(alphabet) }
        for character in omniglot.characters {
            tables.u32(UInt32(character.alphabet))
            tables.u32(UInt32(character.id))
            tables.string(character.name)
        }
        for (character, drawer) in zip(omniglot.imageCharacters, omniglot.imageDrawers) {
            tables.u32(UInt32(character))
            tables.u8(UInt8(clamping: drawer))
        }
        let packedTables = tables.bytes.withUnsafeBytes { Zlib.deflate($0, format: .zlib, level: 6) }
        let packedPixels = omniglot.pixels.withUnsafeBytes { Zlib.deflate($0, format: .zlib, level: 1) }

        var header = ByteWriter()
        header.bytes += magic
        header.u32(version)
        header.u64(key.size)
        header.u64(UInt64(bitPattern: key.seconds))
        header.u64(UInt64(bitPattern: key.nanoseconds))
        header.u8(splitCode(omniglot.split))
        header.u32(UInt32(omniglot.side))
        header.u8(methodCode(omniglot.method))
        header.u32(UInt32(omniglot.count))
        header.u32(UInt32(omniglot.characters.count))
        header.u32(UInt32(omniglot.alphabets.count))
        header.u64(UInt64(tables.bytes.count))
        header.u64(UInt64(packedTables.count))
        header.u64(UInt64(packedPixels.count))

        var file = Data(header.bytes)
        file.append(contentsOf: packedTables)
        file.append(contentsOf: packedPixels)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.write(to: url, options: .atomic)  // a temporary file renamed into place
        } catch {
            // Read-only folder or full disk: keep going without a cache.
        }
    }

    /// The cached set, or nil when there is no valid cache for exactly this archive and request.
    static func read(_ url: URL, key: Key, split: Omniglot.Split, side: Int, method: ResizeMethod) -> Omniglot? {
        guard let file = try? Data(contentsOf: url, options: .mappedIfSafe) else { return nil }
        return file.withUnsafeBytes { raw -> Omniglot? in
            var header = ByteReader(raw)
            guard header.take(magic.count).map(Array.init) == magic, header.u32() == version,
                  header.u64() == key.size, header.u64() == UInt64(bitPattern: key.seconds),
                  header.u64() == UInt64(bitPattern: key.nanoseconds),
                  header.u8() == splitCode(split), header.u32() == UInt32(side), header.u8() == methodCode(method),
                  let images = header.u32().map(Int.init), let characterCount = header.u32().map(Int.init),
                  let alphabetCount = header.u32().map(Int.init),
                  let tablesLength = header.u64().map(Int.init), let tablesPacked = header.u64().map(Int.init),
                  let pixelsPacked = header.u64().map(Int.init),
                  let tablesBytes = header.take(tablesPacked), let pixelsBytes = header.take(pixelsPacked),
                  header.isAtEnd
            else { return nil }
            let pixelCount = images * side * side
            guard let tables = try? Zlib.inflate(tablesBytes, format: .zlib, expectedCount: tablesLength),
                  tables.count == tablesLength,
                  let pixels = try? Zlib.inflate(pixelsBytes, format: .zlib, expectedCount: pixelCount),
                  pixels.count == pixelCount
            else { return nil }

            return tables.withUnsafeBytes { raw -> Omniglot? in
                var reader = ByteReader(raw)
                var alphabets: [String] = []
                for _ in 0..<alphabetCount {
                    guard let name = reader.string() else { return nil }
                    alphabets.append(name)
                }
                var characters: [Omniglot.Character] = []
                for _ in 0..<characterCount {
                    guard let alphabet = reader.u32().map(Int.init), alphabet < alphabetCount,
                          let id = reader.u32().map(Int.init), let name = reader.string() else { return nil }
                    characters.append(Omniglot.Character(alphabet: alphabet, name: name, id: id))
                }
                var imageCharacters: [Int] = [], imageDrawers: [Int] = []
                imageCharacters.reserveCapacity(images)
                imageDrawers.reserveCapacity(images)
                for _ in 0..<images {
                    guard let character = reader.u32().map(Int.init), character < characterCount,
                          let drawer = reader.u8() else { return nil }
                    imageCharacters.append(character)
                    imageDrawers.append(Int(drawer))
                }
                guard reader.isAtEnd else { return nil }
                return Omniglot(split: split, side: side, method: method, alphabets: alphabets, characters: characters,
                                imageCharacters: imageCharacters, imageDrawers: imageDrawers, pixels: pixels)
            }
        }
    }
}

/// Little-endian serialization into a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    /// UInt16 length, then UTF-8 (at most 65,535 bytes).
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8.prefix(Int(UInt16.max)))
        bytes.append(UInt8(utf8.count & 0xFF))
        bytes.append(UInt8(utf8.count >> 8))
        bytes += utf8
    }
}

/// Bounds-checked little-endian reading; every read returns nil past the end.
struct ByteReader {
    let base: UnsafeRawBufferPointer
    var offset = 0
    init(_ base: UnsafeRawBufferPointer) { self.base = base }

    var isAtEnd: Bool { offset == base.count }

    mutating func take(_ n: Int) -> UnsafeRawBufferPointer? {
        guard n >= 0, n <= base.count - offset else { return nil }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)])
    }
    mutating func u8() -> UInt8? { take(1).map { $0[0] } }
    mutating func u32() -> UInt32? {
        take(4).map { b in (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[$1]) << (8 * UInt32($1)) } }
    }
    mutating func u64() -> UInt64? {
        take(8).map { b in (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[$1]) << (8 * UInt64($1)) } }
    }
    mutating func string() -> String? {
        guard let lo = u8(), let hi = u8(), let utf8 = take(Int(lo) | Int(hi) << 8) else { return nil }
        return String(decoding: utf8, as: UTF8.self)
    }
}
