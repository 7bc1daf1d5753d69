/// The safetensors file format: encoding a header, and decoding and validating a whole file.
///
/// Layout of a file:
///
///     [8 bytes]  N, the header's length, an unsigned 64-bit little-endian integer
///     [N bytes]  the header: a UTF-8 JSON object, padded at the end with spaces
///                { "__metadata__": {"key": "value", ...},              (optional, strings only)
///                  "0.weight": {"dtype": "F32", "shape": [3, 4], "data_offsets": [0, 48]},
///                  ... }
///     [rest]     the data: every tensor's elements, row-major, little-endian, back to back
///
/// `data_offsets` are `[begin, end)` byte offsets into the data (not the file). The format asks
/// the data to be covered exactly: sorted by offset, each tensor starts where the previous one
/// ends, the first at 0 and the last at the end of the file, with no gaps or overlaps, and
/// `end - begin` equals the element count times the dtype's size. A tensor of shape `[]` is a
/// scalar holding one element; a shape with a 0 axis holds none (`begin == end`).
///
/// The header must begin with `{`, may be padded with trailing spaces, and must not repeat a
/// key. The reader checks all of that before it decodes anything, and refuses a header over
/// 100 MB, the reference implementation's limit. It is stricter than the reference in two
/// places the format leaves to the reader: a duplicate key and an unknown field in a tensor's
/// entry are refused rather than ignored. The writer pads the header so the data starts
/// on an 8-byte boundary, as the reference implementation does.
///
/// Source: the format description in the README of huggingface/safetensors and its validation
/// in safetensors/src/tensor.rs (`SafeTensors::read_metadata`, `Metadata::validate`).
enum Safetensors {
    /// The largest header the reader accepts, in bytes (the reference's `MAX_HEADER_SIZE`).
    static let maximumHeaderLength = 100_000_000
    /// The header key that holds the free-form string metadata instead of a tensor.
    static let metadataKey = "__metadata__"
    /// The data section starts at a multiple of this many bytes.
    static let alignment = 8

    /// One tensor's header entry, after validation.
    struct Entry {
        let name: String
        let dtype: SafetensorsDType
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    // MARK: Writing

    /// The first bytes of a file holding F32 `tensors` back to back in the given order: the
    /// 8-byte header length, then the JSON header padded with spaces to a multiple of 8 bytes.
    /// Metadata is written first, its keys sorted, so the same input always gives the same bytes.
    static func header(for tensors: [(name: String, shape: [Int])], metadata: [String: String]) -> [UInt8] {
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }
                .map { HeaderJSON.quoted($0.key) + ":" + HeaderJSON.quoted($0.value) }
            members.append(HeaderJSON.quoted(metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, shape) in tensors {
            let end = offset + Shape.count(shape) * SafetensorsDType.f32.byteCount
            members.append(HeaderJSON.quoted(name) + ":{\"dtype\":\"F32\",\"shape\":["
                           + shape.map(String.init).joined(separator: ",")
                           + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var json = Array(("{" + members.joined(separator: ",") + "}").utf8)
        let padding = (alignment - json.count % alignment) % alignment
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json
    }

    // MARK: Reading

    /// Validates a whole file's bytes and decodes its tensors. `file` names it in errors.
    static func decode(_ bytes: UnsafeRawBufferPointer, file: String) throws(CheckpointError) -> CheckpointContents {
        func headerError(_ reason: String) -> CheckpointError { .invalidHeader(file: file, reason: reason) }

        // The header length.
        guard bytes.count >= 8 else {
            throw headerError("the file is \(bytes.count) bytes long, too short to hold the 8-byte header length (truncated?)")
        }
        let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(maximumHeaderLength) else {
            throw headerError("header length \(headerLength) is over the \(maximumHeaderLength)-byte limit (corrupt length?)")
        }
        let afterLength = bytes.count - 8
        guard headerLength <= UInt64(afterLength) else {
            throw headerError("header length \(headerLength) is larger than the \(afterLength) bytes after it (truncated?)")
        }
        let dataStart = 8 + Int(headerLength)
        let headerBytes = UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart])
        let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart...])

        // The JSON header.
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw headerError("the header does not start with '{'")
        }
        let json: HeaderJSON
        do { json = try HeaderJSON.parse(headerBytes) } catch {
            throw headerError("the header is not valid JSON: \(error)")
        }
        guard case .object(let members) = json else { throw headerError("the header is not a JSON object") }

        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        for (key, value) in members {
            if key == metadataKey {
                metadata = try self.metadata(value, file: file)
            } else {
                entries.append(try entry(key, value, dataCount: data.count, file: file))
            }
        }

        // The layout: sorted by offset, the entries must tile the data exactly.
        var covered = 0
        var previous: Entry?
        for e in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            if e.begin < covered, let previous {
                throw CheckpointError.invalidTensor(
                    file: file, tensor: e.name,
                    reason: "has data_offsets [\(e.begin), \(e.end)], which overlap tensor "
                        + "\(CheckpointError.quoted(previous.name))'s [\(previous.begin), \(previous.end)]")
            }
            if e.begin > covered {
                throw CheckpointError.invalidTensor(
                    file: file, tensor: e.name,
                    reason: "has data_offsets [\(e.begin), \(e.end)], leaving bytes \(covered)..<\(e.begin) "
                        + "of the data unused (the format allows no gaps)")
            }
            covered = e.end
            previous = e
        }
        guard covered == data.count else {
            throw headerError("the tensors cover \(covered) bytes of data but \(data.count) follow the header "
                              + "(\(data.count - covered) bytes belong to no tensor)")
        }

        // Every check passed: decode.
        var tensors: [String: Tensor] = [:]
        tensors.reserveCapacity(entries.count)
        for e in entries {
            let scalars = e.dtype.decode(UnsafeRawBufferPointer(rebasing: data[e.begin..<e.end]))
            tensors[e.name] = Tensor(shape: e.shape, scalars: scalars)
        }
        return CheckpointContents(names: entries.map(\.name), tensors: tensors, metadata: metadata)
    }

    /// The `__metadata__` object: string keys to string values.
    private static func metadata(_ value: HeaderJSON, file: String) throws(CheckpointError) -> [String: String] {
        guard case .object(let pairs) = value else {
            throw .invalidHeader(file: file, reason: "\(metadataKey) is \(value.kindName), not an object of strings")
        }
        var metadata: [String: String] = [:]
        for (key, value) in pairs {
            guard case .string(let text) = value else {
                throw .invalidHeader(
                    file: file,
                    reason: "\(metadataKey) value of \(CheckpointError.quoted(key)) is \(value.kindName), not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// One tensor's entry, checked on its own: its fields, dtype, shape, and offsets against
    /// its byte count and the data's length.
    private static func entry(_ name: String, _ value: HeaderJSON, dataCount: Int,
                              file: String) throws(CheckpointError) -> Entry {
        func invalid(_ reason: String) -> CheckpointError { .invalidTensor(file: file, tensor: name, reason: reason) }

        guard case .object(let fields) = value else {
            throw invalid("is \(value.kindName), not an object with dtype, shape and data_offsets")
        }
        var dtypeField: HeaderJSON?, shapeField: HeaderJSON?, offsetsField: HeaderJSON?
        for (key, field) in fields {
            switch key {
            case "dtype": dtypeField = field
            case "shape": shapeField = field
            case "data_offsets": offsetsField = field
            default: throw invalid("has an unknown field \(CheckpointError.quoted(key)) (expected dtype, shape and data_offsets)")
            }
        }
        guard let dtypeField, let shapeField, let offsetsField else {
            let missing = [("dtype", dtypeField), ("shape", shapeField), ("data_offsets", offsetsField)]
                .filter { $0.1 == nil }.map(\.0)
            throw invalid("lacks the field\(missing.count > 1 ? "s" : "") \(missing.joined(separator: " and "))")
        }

        guard case .string(let dtypeName) = dtypeField else { throw invalid("has a dtype that is \(dtypeField.kindName), not a string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw .unsupportedDType(file: file, tensor: name, dtype: dtypeName)
        }
        guard let shape = integers(shapeField) else {
            throw invalid("has shape \(literal(shapeField)), which is not a list of non-negative integers")
        }
        guard let offsets = integers(offsetsField), offsets.count == 2, offsets[0] <= offsets[1] else {
            throw invalid("has data_offsets \(literal(offsetsField)), which is not [begin, end] with 0 <= begin <= end")
        }
        let (begin, end) = (offsets[0], offsets[1])

        var byteCount = dtype.byteCount
        for axis in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: axis)
            guard !overflow else { throw invalid("has shape \(shape), too large to address") }
            byteCount = product
        }
        guard end - begin == byteCount else {
            throw invalid("has shape \(shape) and dtype \(dtype.rawValue), which take \(byteCount) bytes, "
                          + "but data_offsets [\(begin), \(end)] hold \(end - begin)")
        }
        guard end <= dataCount else {
            throw invalid("has data_offsets [\(begin), \(end)] past the end of the data (\(dataCount) bytes): "
                          + "the file is truncated or the offsets are wrong")
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// The values of a JSON array of non-negative integers that fit in `Int`, else nil.
    private static func integers(_ value: HeaderJSON) -> [Int]? {
        guard case .array(let elements) = value else { return nil }
        var result: [Int] = []
        for element in elements {
            guard case .number(let literal) = element, let n = HeaderJSON.nonNegativeInteger(literal) else { return nil }
            result.append(n)
        }
        return result
    }

    /// A short rendering of a JSON value for a message: a list of numbers as written, else its kind.
    private static func literal(_ value: HeaderJSON) -> String {
        if case .array(let elements) = value, elements.count <= 8 {
            let numbers = elements.compactMap { element -> String? in
                if case .number(let n) = element { n } else { nil }
            }
            if numbers.count == elements.count { return "[" + numbers.joined(separator: ", ") + "]" }
        }
        return value.kindName
    }
}
