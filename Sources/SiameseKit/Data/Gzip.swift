import Foundation

/// Reading and writing gzip (`.gz`, RFC 1952) through zlib, whole files in memory. MNIST and
/// Fashion-MNIST ship as gzipped IDX files; they are read as shipped, never unpacked on disk.
public enum Gzip {
    /// The decompressed contents of the gzip file at `url`. `name` is how messages show the file
    /// (default: its path). Throws `DataError.corruptGzip` when the file is cut short (the
    /// compressed stream must really reach its end marker) or its data or CRC is damaged, and
    /// `DataError.unreadableFile` when it cannot be read at all.
    public static func read(contentsOf url: URL, name: String? = nil) throws -> [UInt8] {
        let name = name ?? url.path
        return try decompress(readFile(url, name: name), name: name)
    }

    /// The decompressed contents of gzip data (one or more concatenated members).
    /// Throws `DataError.corruptGzip` naming `name` when the data is truncated or damaged.
    public static func decompress(_ data: Data, name: String) throws -> [UInt8] {
        // The last four bytes hold the uncompressed size (mod 2^32): a good first buffer size.
        var hint = 0
        if data.count >= 18 {
            let tail = data.suffix(4)
            hint = tail.reversed().reduce(0) { $0 << 8 | Int($1) }
            hint = min(hint, 1 << 30)
        }
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(Zlib.Failure) -> [UInt8] in try Zlib.inflate(bytes, format: .gzip, expectedCount: hint) }
        }
        switch result {
        case .success(let bytes):
            return bytes
        case .failure(.truncated):
            throw DataError.corruptGzip(path: name, reason: "the file ends before its compressed data does (truncated download?)")
        case .failure(.corrupt(let reason)):
            throw DataError.corruptGzip(path: name, reason: reason)
        }
    }

    /// `bytes` as a gzip stream (what `gzip -<level>` writes, without a stored file name).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        bytes.withUnsafeBytes { Zlib.deflate($0, format: .gzip, level: level) }
    }

    /// The bytes of the file at `url`, or `DataError.unreadableFile` (a missing file should have
    /// been caught by `DataFolder.file`; here it is reported as unreadable with the system's reason).
    static func readFile(_ url: URL, name: String) throws -> Data {
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw DataError.unreadableFile(path: name, reason: reason)
        }
    }
}
