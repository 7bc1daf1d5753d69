/// The IDX format of MNIST and Fashion-MNIST (LeCun et al., "THE MNIST DATABASE"): a big-endian
/// header, then raw unsigned bytes.
///
///     images: magic 2051 (0x00000803), count, rows, columns, then count*rows*columns pixels
///     labels: magic 2049 (0x00000801), count, then count labels
///
/// The parsers check the header against the payload and return where the payload starts;
/// the bytes are not copied.
public enum IDX {
    /// The magic number of an IDX file of unsigned-byte images (three dimensions).
    public static let imagesMagic: UInt32 = 2051
    /// The magic number of an IDX file of unsigned-byte labels (one dimension).
    public static let labelsMagic: UInt32 = 2049

    /// The header of an image file: `count` images of `rows x columns` bytes from `payloadOffset`.
    public struct ImageHeader: Equatable, Sendable {
        /// Number of images.
        public var count: Int
        /// Image height in pixels.
        public var rows: Int
        /// Image width in pixels.
        public var columns: Int
        /// Where the first pixel is (16: right after the header).
        public var payloadOffset: Int
    }

    /// Parses and checks an image file's header. Throws `DataError.wrongMagic`,
    /// `.truncatedIDX` (payload shorter than the header says) or `.idxMismatch` (bytes left over).
    public static func imageHeader(_ bytes: [UInt8], name: String) throws -> ImageHeader {
        let fields = try header(bytes, name: name, magic: imagesMagic, dimensions: 3)
        let header = ImageHeader(count: fields[0], rows: fields[1], columns: fields[2], payloadOffset: 16)
        try checkPayload(bytes, name: name, offset: 16, counts: fields)
        return header
    }

    /// Parses and checks a label file's header: the label count; the labels start at byte 8.
    public static func labelCount(_ bytes: [UInt8], name: String) throws -> Int {
        let fields = try header(bytes, name: name, magic: labelsMagic, dimensions: 1)
        try checkPayload(bytes, name: name, offset: 8, counts: fields)
        return fields[0]
    }

    /// The `dimensions` sizes after a checked magic number.
    static func header(_ bytes: [UInt8], name: String, magic: UInt32, dimensions: Int) throws -> [Int] {
        let headerSize = 4 + 4 * dimensions
        if bytes.count >= 4 {
            let found = bigEndian(bytes, at: 0)
            guard found == magic else { throw DataError.wrongMagic(path: name, expected: magic, found: found) }
        }
        guard bytes.count >= headerSize else {
            throw DataError.truncatedIDX(path: name, expectedBytes: headerSize, foundBytes: bytes.count)
        }
        return (0..<dimensions).map { Int(bigEndian(bytes, at: 4 + 4 * $0)) }
    }

    /// The payload must be exactly the product of the sizes, after `offset` header bytes.
    static func checkPayload(_ bytes: [UInt8], name: String, offset: Int, counts: [Int]) throws {
        var product = 1
        for n in counts {
            let (next, overflow) = product.multipliedReportingOverflow(by: n)
            guard !overflow, next < Int.max - offset else {
                throw DataError.idxMismatch(path: name, reason: "header sizes \(counts) are too large to be real")
            }
            product = next
        }
        let expected = offset + product
        if bytes.count < expected {
            throw DataError.truncatedIDX(path: name, expectedBytes: expected, foundBytes: bytes.count)
        }
        if bytes.count > expected {
            throw DataError.idxMismatch(path: name, reason: "\(bytes.count - expected) bytes after the \(expected) its header \(counts) describes")
        }
    }

    /// The big-endian 32-bit word at `offset`.
    static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
