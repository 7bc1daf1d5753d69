import Foundation

/// Where the real datasets live, and the one place that turns a dataset's file name into a URL.
///
/// The folder is chosen in this order: an explicit path (a chapter's `--data DIR`), else the
/// environment variable `SIAMESE_DATA`, else `./data` relative to the current directory (the
/// package root; git-ignored). `Scripts/fetch-data.sh` fills it. Inside, the layout mirrors
/// the shared copy:
///
///     mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
///     fashion-mnist/   (the same four names)
///     omniglot/images_background.zip, omniglot/images_evaluation.zip
///     cache/           (decoded caches the loaders write; safe to delete)
public struct DataFolder: Equatable, Sendable, CustomStringConvertible {
    /// How the folder was chosen; error messages name it so a wrong setting is easy to spot.
    public enum Origin: String, Equatable, Sendable {
        /// Passed explicitly (a chapter's `--data DIR`).
        case explicit = "--data"
        /// From the environment variable `SIAMESE_DATA`.
        case environment = "$SIAMESE_DATA"
        /// The default `./data` in the current directory.
        case standard = "default"
    }

    /// The environment variable that names the data folder when no explicit path is given.
    public static let environmentVariable = "SIAMESE_DATA"
    /// The folder used when neither an explicit path nor `SIAMESE_DATA` is given.
    public static let defaultPath = "data"

    /// The folder as an absolute file URL.
    public let root: URL
    /// The folder as the user wrote it (for messages): `data`, `/srv/datasets`, ...
    public let path: String
    /// Which rule chose the folder.
    public let origin: Origin

    /// Resolves the folder: `explicitPath` if given (and not empty), else `SIAMESE_DATA` from
    /// `environment`, else `./data`. Relative paths are taken from the current directory and
    /// `~` is expanded.
    public init(_ explicitPath: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicitPath, !explicitPath.isEmpty {
            self.init(path: explicitPath, origin: .explicit)
        } else if let fromEnvironment = environment[Self.environmentVariable], !fromEnvironment.isEmpty {
            self.init(path: fromEnvironment, origin: .environment)
        } else {
            self.init(path: Self.defaultPath, origin: .standard)
        }
    }

    /// A folder at `path` (relative paths from the current directory, `~` expanded).
    public init(path: String, origin: Origin = .explicit) {
        let expanded = NSString(string: path).expandingTildeInPath
        self.path = path
        self.origin = origin
        self.root = URL(fileURLWithPath: expanded).standardizedFileURL
    }

    /// `path (origin)`, e.g. `data (default)` or `/srv/data ($SIAMESE_DATA)`.
    public var description: String { "\(path) (\(origin.rawValue))" }

    /// The URL of `relativePath` inside the folder, whether or not it exists.
    public func url(for relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// How `relativePath` is shown in messages: joined to the folder as the user wrote it.
    public func displayPath(_ relativePath: String) -> String {
        path.hasSuffix("/") ? path + relativePath : path + "/" + relativePath
    }

    /// True when `relativePath` exists as a regular file (symbolic links are followed).
    public func contains(_ relativePath: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url(for: relativePath).path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }

    /// The URL of an existing data file, or `DataError.missingFile` naming it and saying how
    /// to get it (`run Scripts/fetch-data.sh, or pass --data DIR / set SIAMESE_DATA`).
    public func file(_ relativePath: String) throws -> URL {
        guard contains(relativePath) else {
            throw DataError.missingFile(path: displayPath(relativePath), folder: description)
        }
        return url(for: relativePath)
    }

    /// Where loaders keep decoded caches: `<folder>/cache`. Deleting it only costs a slower load.
    public var cacheDirectory: URL { root.appendingPathComponent("cache", isDirectory: true) }
}
