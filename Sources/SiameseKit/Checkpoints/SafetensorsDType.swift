import Foundation

/// The element types a checkpoint is read from, by their safetensors names, and their
/// conversion between little-endian bytes and `Float`.
///
/// Writing always uses F32, `Tensor`'s own element type, so a round trip is exact. Reading also
/// accepts F64 (rounded to the nearest Float), F16 and BF16 (both exact in Float), so weights
/// saved in those types by PyTorch or NumPy load too. The format's other types (integers, BOOL,
/// 8-bit floats) are refused: they are not model weights this package can use.
///
/// Source: the dtype names of the safetensors format (huggingface/safetensors, `Dtype` in
/// safetensors/src/tensor.rs); IEEE 754-2008 binary16/32/64; bfloat16 is the top half of a
/// binary32.
enum SafetensorsDType: String, CaseIterable, Sendable {
    case f32 = "F32"
    case f64 = "F64"
    case f16 = "F16"
    case bf16 = "BF16"

    /// The bytes one element takes.
    var byteCount: Int {
        switch self {
        case .f64: 8
        case .f32: 4
        case .f16, .bf16: 2
        }
    }

    /// Decodes `bytes` (a whole number of little-endian elements, any alignment) into Floats.
    ///
    /// F32 on a little-endian machine is one `memcpy` into the new array's storage; the other
    /// types convert element by element into that storage, with no allocation per element.
    func decode(_ bytes: UnsafeRawBufferPointer) -> [Float] {
        let count = bytes.count / byteCount
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch self {
            case .f32:
                #if _endian(little)
                if count > 0 { memcpy(out.baseAddress!, bytes.baseAddress!, count * 4) }
                #else
                for i in 0..<count {
                    out[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
                #endif
            case .f64:
                for i in 0..<count {
                    let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                    out[i] = Float(Double(bitPattern: bits))
                }
            case .f16:
                for i in 0..<count {
                    out[i] = Self.float(fromHalf: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            case .bf16:
                for i in 0..<count {
                    let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    out[i] = Float(bitPattern: UInt32(bits) << 16)
                }
            }
            initialized = count
        }
    }

    /// Calls `body` with the F32 little-endian bytes of `scalars`: the array's own storage on a
    /// little-endian machine (no copy), a byte-swapped copy elsewhere.
    static func withLittleEndianF32Bytes<R>(of scalars: [Float], _ body: (UnsafeRawBufferPointer) -> R) -> R {
        #if _endian(little)
        return scalars.withUnsafeBytes(body)
        #else
        let swapped = scalars.map { $0.bitPattern.littleEndian }
        return swapped.withUnsafeBytes(body)
        #endif
    }

    /// The Float a binary16 bit pattern encodes (exact: every half is a float).
    /// Layout: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits.
    static func float(fromHalf bits: UInt16) -> Float {
        let sign: UInt32 = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x03FF)
        switch exponent {
        case 0:  // zero or subnormal: fraction × 2⁻²⁴
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:  // infinity or NaN (the payload moves to the top of Float's fraction)
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        default:  // normal: rebias the exponent from 15 to 127
            return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
        }
    }
}
