/// Why a checkpoint could not be read, written or loaded into a model.
///
/// Every case names the file (as the caller spelled its path) and, where one is at fault, the
/// tensor; `description` is one line, e.g.
/// `checkpoint x.safetensors: tensor "0.weight" has shape [32, 1, 5, 5] but the model expects [32, 1, 3, 3]`.
public enum CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened, read, written or renamed (`reason` is the system's).
    case io(file: String, reason: String)
    /// The file is not a well-formed safetensors file: too short, an impossible header length,
    /// a header that is not JSON or not shaped as the format says, bad metadata.
    case invalidHeader(file: String, reason: String)
    /// One tensor's entry disagrees with itself or with the data: shape, offsets, byte count.
    /// `reason` reads after the tensor's name ("has data_offsets [0, 40] but ...").
    case invalidTensor(file: String, tensor: String, reason: String)
    /// A tensor is stored in an element type that is not read as `Float` (integers, booleans,
    /// 8-bit floats, or an unknown name).
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// A tensor cannot be written under this name (empty, reserved, or used twice).
    case invalidName(file: String, tensor: String, reason: String)
    /// The model has a tensor that the file lacks.
    case missingTensor(file: String, tensor: String, expectedShape: [Int])
    /// The file has a tensor that the model lacks.
    case unexpectedTensor(file: String, tensor: String)
    /// The file and the model disagree on a tensor's shape.
    case shapeMismatch(file: String, tensor: String, shape: [Int], expected: [Int])

    /// The file the error is about.
    public var file: String {
        switch self {
        case .io(let file, _), .invalidHeader(let file, _), .invalidTensor(let file, _, _),
             .unsupportedDType(let file, _, _), .invalidName(let file, _, _),
             .missingTensor(let file, _, _), .unexpectedTensor(let file, _),
             .shapeMismatch(let file, _, _, _):
            file
        }
    }

    public var description: String {
        let detail: String
        switch self {
        case .io(_, let reason):
            detail = reason
        case .invalidHeader(_, let reason):
            detail = "not a valid safetensors file: \(reason)"
        case .invalidTensor(_, let tensor, let reason):
            detail = "tensor \(Self.quoted(tensor)) \(reason)"
        case .unsupportedDType(_, let tensor, let dtype):
            detail = "tensor \(Self.quoted(tensor)) has dtype \(Self.quoted(dtype)), which cannot be read as Float "
                + "(readable: \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidName(_, let tensor, let reason):
            detail = "cannot write tensor \(Self.quoted(tensor)): \(reason)"
        case .missingTensor(_, let tensor, let expected):
            detail = "has no tensor \(Self.quoted(tensor)), which the model expects with shape \(expected)"
        case .unexpectedTensor(_, let tensor):
            detail = "has tensor \(Self.quoted(tensor)), which the model does not have"
        case .shapeMismatch(_, let tensor, let shape, let expected):
            detail = "tensor \(Self.quoted(tensor)) has shape \(shape) but the model expects \(expected)"
        }
        return "checkpoint \(Self.oneLine(file)): \(detail)"
    }

    /// A name in double quotes with control characters escaped, so a message stays on one line.
    static func quoted(_ name: String) -> String { String(reflecting: name) }

    /// A path with any line breaks escaped.
    static func oneLine(_ text: String) -> String {
        text.contains(where: \.isNewline) ? String(String(reflecting: text).dropFirst().dropLast()) : text
    }
}
