#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Whole-file reads and atomic writes for checkpoints, on POSIX calls so that every failure
/// carries the system's own reason ("No such file or directory", "No space left on device").
///
/// An atomic write never leaves a half-written file under the target's name: the bytes go to
/// a hidden temporary file in the same directory (`.model.safetensors.<pid>.<random>.tmp`),
/// which is flushed to disk (`fsync`) and then renamed over the target. `rename(2)` replaces a
/// file within one file system in a single step, so a reader, or the next run after a crash,
/// sees either the old checkpoint or the new one. A run killed mid-write may leave the hidden
/// temporary file behind, never a damaged target.
///
/// Source: POSIX `rename(2)` ("If the link named by the new argument exists, it shall be
/// removed and old renamed to new ... atomically"); `fsync(2)`.
enum CheckpointFile {
    /// Collects bytes for a file being written, keeping the first failure instead of throwing
    /// (so writers can be called from inside `withUnsafeBytes`).
    struct Writer {
        fileprivate let descriptor: Int32
        fileprivate(set) var failure: String?

        /// Appends `bytes` to the file, unless an earlier write failed.
        mutating func write(_ bytes: UnsafeRawBufferPointer) {
            guard failure == nil, var next = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = posixWrite(descriptor, next, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = "cannot write: \(CheckpointFile.systemError())"
                    return
                }
                remaining -= written
                next += written
            }
        }

        mutating func write(_ bytes: [UInt8]) { bytes.withUnsafeBytes { write($0) } }
    }

    /// The path of a file URL, or an error naming `file` when the URL is not a file's.
    static func path(of url: URL, file: String) throws(CheckpointError) -> String {
        guard url.isFileURL else { throw .io(file: file, reason: "not a file URL") }
        return url.path
    }

    /// Every byte of the file at `url`.
    static func readAll(_ url: URL, file: String) throws(CheckpointError) -> [UInt8] {
        let path = try path(of: url, file: file)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(file: file, reason: "cannot open: \(systemError())") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .io(file: file, reason: "cannot stat: \(systemError())") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .io(file: file, reason: "not a regular file") }
        let size = Int(info.st_size)
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let count = read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                if count < 0 && errno == EINTR { continue }
                if count < 0 { failure = "cannot read: \(systemError())"; return }
                if count == 0 { failure = "the file shrank while being read"; return }
                initialized += count
            }
        }
        if let failure { throw .io(file: file, reason: failure) }
        return bytes
    }

    /// Writes a file atomically: `body` writes the content into a temporary file beside `url`,
    /// which then replaces `url`. Creates the parent directory (and its parents) if needed.
    static func writeAtomically(_ url: URL, file: String, _ body: (inout Writer) -> Void) throws(CheckpointError) {
        let path = try path(of: url, file: file)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(file: file, reason: "cannot create the directory \(directory.path): \(error.localizedDescription)")
        }
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o644))
        guard descriptor >= 0 else {
            throw .io(file: file, reason: "cannot create the temporary file \(temporary): \(systemError())")
        }
        var writer = Writer(descriptor: descriptor)
        body(&writer)
        var failure = writer.failure
        if failure == nil, fsync(descriptor) != 0 { failure = "cannot flush to disk: \(systemError())" }
        if close(descriptor) != 0, failure == nil { failure = "cannot close: \(systemError())" }
        if failure == nil, rename(temporary, path) != 0 { failure = "cannot rename the temporary file into place: \(systemError())" }
        if let failure {
            unlink(temporary)
            throw .io(file: file, reason: failure)
        }
        // Make the rename itself durable (best effort: not every file system can sync a directory).
        let directoryDescriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// The text of the current `errno`.
    static func systemError() -> String { String(cString: strerror(errno)) }
}

/// `write(2)`, under a name that `Writer.write` does not shadow.
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
