import Foundation
import SiameseKit

/// A failure of the tool itself (a missing model file, an option that does not fit the data),
/// printed as `error: <message>`.
struct ToolError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Output conventions shared by the subcommands.
enum Console {
    /// Prints `error: <message>` (kept to one line) on standard error and exits with `status`.
    static func fail(_ message: String, status: Int32 = 1) -> Never {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data("error: \(line)\n".utf8))
        exit(status)
    }

    /// Rewrites the current terminal line; prints nothing when standard output is not a terminal.
    static func progress(_ text: String) {
        guard isatty(1) != 0 else { return }
        print("\r\u{1B}[2K  " + text, terminator: "")
        fflush(nil)
    }

    /// Clears the progress line (on a terminal only).
    static func endProgress() {
        guard isatty(1) != 0 else { return }
        print("\r\u{1B}[2K", terminator: "")
        fflush(nil)
    }
}

/// Loading models and turning image files into their input.
enum ModelFiles {
    /// Loads a model saved by `siamese train` (or `EmbeddingModel.save`), with a one-line error
    /// for a missing file, a damaged one, or a checkpoint that is not a siamese model.
    static func load(_ path: String) throws -> EmbeddingModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ToolError("no model file at \(path); train one with 'siamese train --output \(path)'")
        }
        guard !isDirectory.boolValue else { throw ToolError("\(path) is a folder, not a model file") }
        return try EmbeddingModel.load(from: URL(fileURLWithPath: path))
    }

    /// Reads PNG files (any size, bit depth or colour) as `model`'s input `[N, 1, side, side]`.
    static func inputs(_ paths: [String], for model: EmbeddingModel) throws -> Tensor {
        let parts = try paths.map { path in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ToolError("no image file at \(path)")
            }
            guard !isDirectory.boolValue else { throw ToolError("\(path) is a folder, not a PNG image") }
            let bytes: Data
            do { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw ToolError("cannot read \(path): \((error as NSError).localizedDescription)")
            }
            let image = try PNG.decodeGray(bytes, name: path)
            guard image.width > 0 && image.height > 0 else { throw ToolError("\(path) is an empty image") }
            return model.input(from: image)
        }
        return parts.count == 1 ? parts[0] : Tensor.concatenateRows(parts)
    }

    /// The embeddings `[N, D]` of the PNG files at `paths`.
    static func embeddings(_ paths: [String], with model: EmbeddingModel) throws -> Tensor {
        model.embed(try inputs(paths, for: model))
    }
}

/// Writes `data` to the file at `path` (atomically), with a one-line error.
func write(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let parent = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw ToolError("cannot write \(path): there is no folder \(parent.relativePath)")
    }
    do { try data.write(to: url, options: .atomic) } catch {
        throw ToolError("cannot write \(path): \((error as NSError).localizedDescription)")
    }
}
