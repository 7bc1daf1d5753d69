import Foundation

/// NumPy's `.npy` format, version 1.0, for a float32 matrix: the magic string, the version, a
/// little-endian header length and a Python-dict header padded with spaces and a newline so the
/// data starts at a multiple of 64 bytes, then the values, little-endian, row by row.
/// Reference: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
enum NPY {
    /// The bytes of an `.npy` file holding `scalars` as a `rows x columns` float32 array.
    static func encode(_ scalars: [Float], rows: Int, columns: Int) -> Data {
        precondition(scalars.count == rows * columns, "NPY.encode: \(scalars.count) values for \(rows)x\(columns)")
        let preamble: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let unpadded = preamble.count + 2 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data(preamble)
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.reserveCapacity(data.count + 4 * scalars.count)
        for value in scalars {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }
}
