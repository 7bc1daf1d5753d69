import CGzip
import Foundation

/// Thin Swift wrappers over zlib (`deflate`, `inflate`, `crc32`) on whole buffers in memory: the
/// gzip files of MNIST, the compressed payload of the decoded caches and the CRC check of zip
/// entries all go through here. Jean-loup Gailly and Mark Adler, zlib (RFC 1950-1952).
enum Zlib {
    /// The container around deflate data, as zlib's `windowBits` selects it.
    enum Format {
        /// RFC 1950: two header bytes and an Adler-32 trailer (what `compress2` writes).
        case zlib
        /// RFC 1952: the `.gz` file format, with a CRC-32 trailer. Concatenated members are read
        /// one after another, as `gzip -d` does.
        case gzip
        /// Bare RFC 1951 deflate data, as stored inside zip entries.
        case raw

        var windowBits: Int32 {
            switch self {
            case .zlib: return MAX_WBITS
            case .gzip: return MAX_WBITS + 16
            case .raw: return -MAX_WBITS
            }
        }
    }

    /// Why inflating stopped; callers turn it into a `DataError` that names the file.
    enum Failure: Error, Equatable {
        /// The input ended before the compressed stream did.
        case truncated
        /// zlib rejected the data; its message (e.g. "incorrect data check").
        case corrupt(String)
    }

    /// The decompressed bytes of `input`. `expectedCount` is only a first guess for the output
    /// size (the buffer grows when it is short). Throws `Failure.truncated` when the input ends
    /// before the stream's end marker and `Failure.corrupt` for damaged data or trailing bytes.
    static func inflate(_ input: UnsafeRawBufferPointer, format: Format, expectedCount: Int = 0) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, format.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(expectedCount, 1024))
        var produced = 0
        guard let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count > 0 else {
            throw .truncated
        }
        var consumed = 0
        while true {
            // One compressed stream (one gzip member).
            stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
            stream.avail_in = UInt32(clamping: input.count - consumed)
            let startIn = stream.total_in
            var status: Int32 = Z_OK
            repeat {
                if produced == output.count {
                    output.append(contentsOf: repeatElement(0, count: output.count))
                }
                let room = output.count - produced
                status = output.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(clamping: room)
                    return CGzip.inflate(&stream, Z_NO_FLUSH)
                }
                produced += room - Int(stream.avail_out)
                switch status {
                case Z_OK, Z_STREAM_END:
                    break
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw .truncated
                case Z_NEED_DICT:
                    throw .corrupt("the stream needs a preset dictionary")
                default:
                    throw .corrupt(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
                }
                // All input used, room left in the output, and still no end marker: cut short.
                if status == Z_OK && stream.avail_in == 0 && stream.avail_out > 0 { throw .truncated }
            } while status != Z_STREAM_END
            consumed += Int(stream.total_in - startIn)
            let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
            if rest.isEmpty { break }
            if format == .gzip, rest.count >= 2, rest[0] == 0x1f, rest[1] == 0x8b {
                inflateReset(&stream)  // another gzip member follows
                continue
            }
            if rest.allSatisfy({ $0 == 0 }) { break }  // zero padding, as gzip -d tolerates
            throw .corrupt("\(rest.count) unexpected bytes after the end of the compressed data")
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// `input` compressed at `level` (0-9; 1 is fastest, 9 smallest) in `format`. `strategy`
    /// `Z_RLE` only finds runs of one byte: much faster, and as good for images of flat areas.
    static func deflate(_ input: UnsafeRawBufferPointer, format: Format, level: Int32 = 6,
                        strategy: Int32 = Z_DEFAULT_STRATEGY) -> [UInt8] {
        var stream = z_stream()
        let started = deflateInit2_(&stream, level, Z_DEFLATED, format.windowBits, 8, strategy,
                                    ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(started == Z_OK, "zlib deflateInit2 failed (\(started))")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        var remaining = input.count
        var position = 0
        var status = Z_OK
        output.withUnsafeMutableBufferPointer { out in
            stream.next_out = out.baseAddress
            stream.avail_out = UInt32(clamping: bound)
            // avail_in is 32-bit: feed inputs over 4 GiB in slices.
            repeat {
                let slice = min(remaining, Int(UInt32.max))
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?
                    .assumingMemoryBound(to: UInt8.self).advanced(by: position))
                stream.avail_in = UInt32(slice)
                remaining -= slice
                position += slice
                status = CGzip.deflate(&stream, remaining == 0 ? Z_FINISH : Z_NO_FLUSH)
            } while remaining > 0
        }
        precondition(status == Z_STREAM_END, "zlib deflate did not finish (\(status))")
        output.removeLast(bound - Int(stream.total_out))
        return output
    }

    /// The CRC-32 of `bytes` (the checksum of gzip, zip and PNG), continuing from `initial`.
    static func crc32(_ bytes: UnsafeRawBufferPointer, initial: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress else { return initial }
        var crc = UInt(initial)
        var offset = 0
        while offset < bytes.count {
            let n = min(bytes.count - offset, Int(UInt32.max))
            crc = CGzip.crc32(crc, base.assumingMemoryBound(to: UInt8.self) + offset, UInt32(n))
            offset += n
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
