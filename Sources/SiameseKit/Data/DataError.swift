/// Everything that can go wrong reading a dataset: a missing file, or one whose bytes are not
/// what its format promises. Each description is one line that names the file (and the entry
/// inside an archive) and says what was expected, so a chapter can print `error: <description>`
/// through `Notebook.fail` and stop cleanly instead of crashing.
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A data file is not in the data folder. `folder` says where the folder came from.
    case missingFile(path: String, folder: String)
    /// A file exists but cannot be read (permissions, a directory, an I/O error).
    case unreadableFile(path: String, reason: String)
    /// A `.gz` file is cut short or its compressed data is damaged.
    case corruptGzip(path: String, reason: String)
    /// An IDX file starts with the wrong magic number (2051 for images, 2049 for labels).
    case wrongMagic(path: String, expected: UInt32, found: UInt32)
    /// IDX headers that disagree: images vs labels counts, an unexpected image size, a label
    /// out of range, or bytes beyond what the header describes.
    case idxMismatch(path: String, reason: String)
    /// An IDX payload shorter than its header says.
    case truncatedIDX(path: String, expectedBytes: Int, foundBytes: Int)
    /// A zip archive that cannot be opened or whose directory is damaged.
    case corruptZip(path: String, reason: String)
    /// One entry of a zip archive is damaged (CRC mismatch, bad deflate data).
    case corruptZipEntry(archive: String, entry: String, reason: String)
    /// A zip archive whose entries are not laid out as the dataset's are.
    case unexpectedLayout(archive: String, reason: String)
    /// Bytes that libpng cannot decode; `reason` is libpng's own message.
    case corruptPNG(name: String, reason: String)
    /// An image whose size is not the one the dataset promises.
    case unexpectedImageSize(name: String, expectedWidth: Int, expectedHeight: Int, width: Int, height: Int)

    /// How to get the data, appended to every message about a missing or damaged data file.
    public static let fetchHint = "run Scripts/fetch-data.sh, or pass --data DIR / set SIAMESE_DATA"

    /// One line, without a trailing newline.
    public var description: String {
        switch self {
        case let .missingFile(path, folder):
            return "missing data file \(path) (data folder: \(folder)); \(Self.fetchHint)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        case let .corruptGzip(path, reason):
            return "corrupt gzip file \(path): \(reason); delete it and \(Self.fetchHint)"
        case let .wrongMagic(path, expected, found):
            return "\(path) is not an IDX \(expected == 2051 ? "image" : "label") file: magic number \(found), expected \(expected)"
        case let .idxMismatch(path, reason):
            return "\(path): \(reason)"
        case let .truncatedIDX(path, expected, found):
            return "truncated IDX file \(path): the header describes \(expected) bytes but the file has \(found)"
        case let .corruptZip(path, reason):
            return "corrupt zip archive \(path): \(reason); delete it and \(Self.fetchHint)"
        case let .corruptZipEntry(archive, entry, reason):
            return "corrupt entry \(entry) in \(archive): \(reason); delete the archive and \(Self.fetchHint)"
        case let .unexpectedLayout(archive, reason):
            return "unexpected layout in \(archive): \(reason)"
        case let .corruptPNG(name, reason):
            return "corrupt PNG \(name): \(reason)"
        case let .unexpectedImageSize(name, ew, eh, w, h):
            return "image \(name) is \(w)x\(h), expected \(ew)x\(eh)"
        }
    }
}
