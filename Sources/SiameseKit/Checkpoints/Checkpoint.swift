import Foundation

/// Model checkpoints: a layer's parameters and buffers saved to, and loaded from, a
/// safetensors file (the format of Hugging Face's `safetensors`, read by PyTorch, NumPy, JAX).
///
///     try Checkpoint.save(model, to: URL(fileURLWithPath: "runs/model.safetensors"),
///                         metadata: ["epoch": "12"])
///     let metadata = try Checkpoint.load(into: freshModel, from: url)
///
/// Tensors are stored under their `namedState` names ("0.weight", "2.running_mean", ...), which
/// are PyTorch's `state_dict` names, as F32 in the row-major layout `Tensor` already uses, so a
/// file written here loads in Python with `safetensors.numpy.load_file` (or `torch.load_file`)
/// and the other way round. Metadata is a string-to-string map kept in the header.
///
/// Writes are atomic (a temporary file renamed over the target, see `CheckpointFile`); reads
/// validate the whole file before decoding; `load` changes the model only after every tensor
/// has been checked. Errors are `CheckpointError`s with one-line messages naming the file and
/// the tensor.
///
/// Source: the safetensors format, https://github.com/huggingface/safetensors (see `Safetensors`).
public enum Checkpoint {
    /// The usual file extension, "safetensors".
    public static let fileExtension = "safetensors"

    /// Saves every tensor of `layer.namedState` (parameters, then buffers) to `url`, replacing
    /// any file there, creating the directory if needed.
    public static func save(_ layer: any Layer, to url: URL, metadata: [String: String] = [:]) throws(CheckpointError) {
        try write(layer.namedState.map { ($0.name, $0.variable.value) }, metadata: metadata, to: url)
    }

    /// Loads the file at `url` into `layer`'s parameters and buffers, and returns its metadata.
    ///
    /// The file must hold exactly the tensors of `layer.namedState`, each with the model's shape:
    /// a missing tensor, an extra one, or a shape mismatch throws, and so does any problem with
    /// the file itself. Nothing in the model changes unless every check passes. Accumulated
    /// gradients are left as they are; optimizer state is not part of a checkpoint.
    @discardableResult
    public static func load(into layer: any Layer, from url: URL) throws(CheckpointError) -> [String: String] {
        let contents = try read(from: url)
        try apply(contents, to: layer, file: displayName(url))
        return contents.metadata
    }

    /// Copies `contents` into `layer`'s parameters and buffers after checking every one is
    /// there with its shape; tensors the model lacks are an error unless `extra` accepts their
    /// names (a resume file's optimizer state). Nothing changes unless every check passes.
    static func apply(_ contents: CheckpointContents, to layer: any Layer, file: String,
                      extra: (String) -> Bool = { _ in false }) throws(CheckpointError) {
        let state = layer.namedState
        var modelNames = Set<String>()
        for (name, variable) in state {
            modelNames.insert(name)
            guard let tensor = contents.tensors[name] else {
                throw .missingTensor(file: file, tensor: name, expectedShape: variable.shape)
            }
            guard tensor.shape == variable.shape else {
                throw .shapeMismatch(file: file, tensor: name, shape: tensor.shape, expected: variable.shape)
            }
        }
        if let unexpected = contents.names.first(where: { !modelNames.contains($0) && !extra($0) }) {
            throw .unexpectedTensor(file: file, tensor: unexpected)
        }
        for (name, variable) in state { variable.value = contents.tensors[name]! }
    }

    /// Writes named tensors as F32, in the given order, with `metadata`, to `url` (atomically,
    /// creating the directory if needed). Names must be distinct and not "__metadata__".
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:],
                             to url: URL) throws(CheckpointError) {
        let file = displayName(url)
        var seen = Set<String>()
        for (name, _) in tensors {
            if name == Safetensors.metadataKey {
                throw .invalidName(file: file, tensor: name, reason: "the name is reserved for the file's metadata")
            }
            guard seen.insert(name).inserted else {
                throw .invalidName(file: file, tensor: name, reason: "the name is used twice")
            }
        }
        let header = Safetensors.header(for: tensors.map { ($0.name, $0.tensor.shape) }, metadata: metadata)
        try CheckpointFile.writeAtomically(url, file: file) { writer in
            writer.write(header)
            for (_, tensor) in tensors {
                SafetensorsDType.withLittleEndianF32Bytes(of: tensor.scalars) { writer.write($0) }
            }
        }
    }

    /// Reads and validates the safetensors file at `url`: its tensors (F32, or F64, F16 and BF16
    /// converted to Float) and its metadata.
    public static func read(from url: URL) throws(CheckpointError) -> CheckpointContents {
        let file = displayName(url)
        let bytes = try CheckpointFile.readAll(url, file: file)
        return try decode(bytes, file: file)
    }

    /// Validates and decodes the bytes of a whole safetensors file; `file` names it in errors.
    static func decode(_ bytes: [UInt8], file: String) throws(CheckpointError) -> CheckpointContents {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(CheckpointError) in try Safetensors.decode(raw, file: file) }
        }.get()
    }

    /// The path as the caller wrote it ("runs/model.safetensors"), for messages.
    static func displayName(_ url: URL) -> String {
        url.isFileURL ? url.relativePath : url.absoluteString
    }
}

/// What a checkpoint file holds: named tensors, in the order of the file's header, and the
/// header's string metadata.
public struct CheckpointContents: Equatable, Sendable {
    /// The tensors' names, in the order the file's header lists them.
    public var names: [String]
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// The `__metadata__` map (empty when the file has none).
    public var metadata: [String: String]

    /// Contents made of named tensors, in order, and metadata. Names must be distinct.
    public init(_ namedTensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) {
        self.init(names: namedTensors.map(\.name),
                  tensors: Dictionary(namedTensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first }),
                  metadata: metadata)
        precondition(names.count == tensors.count, "CheckpointContents: tensor names must be distinct")
    }

    init(names: [String], tensors: [String: Tensor], metadata: [String: String]) {
        self.names = names
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensors with their names, in file order.
    public var namedTensors: [(name: String, tensor: Tensor)] { names.map { ($0, tensors[$0]!) } }

    /// The tensor called `name`, if the file has one.
    public subscript(name: String) -> Tensor? { tensors[name] }
}
