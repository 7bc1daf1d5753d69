import CPNG
import Foundation

/// PNG reading and writing through libpng's simplified API (`png_image_*`, libpng 1.6).
///
/// Decoding accepts every PNG: 1, 2, 4, 8 or 16 bits per sample, gray, palette, RGB, with or
/// without alpha or `tRNS`, interlaced or not; libpng converts it to 8-bit gray (colour through
/// the sRGB luminance weights). Transparent parts are composited on white. 16-bit images
/// without gamma information are taken as sRGB-encoded (`PNG_IMAGE_FLAG_16BIT_sRGB`), as
/// nearly all such files are.
public enum PNG {
    /// The largest image decoded (pixels); a header claiming more is reported as corrupt.
    public static let maximumPixels = 1 << 28

    /// Decodes PNG `bytes` to 8-bit gray. `name` is how messages show the image (a file or a zip
    /// entry). Throws `DataError.corruptPNG` with libpng's own message when it cannot.
    public static func decodeGray<Bytes: ContiguousBytes>(_ bytes: Bytes, name: String) throws -> GrayImage {
        try bytes.withUnsafeBytes { try decodeGray(buffer: $0, name: name) }
    }

    /// Loads and decodes the PNG file at `url` (see `decodeGray`); `DataError.unreadableFile`
    /// if it is not there.
    public static func readGray(contentsOf url: URL) throws -> GrayImage {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DataError.unreadableFile(path: url.path, reason: "no such file")
        }
        return try decodeGray(Gzip.readFile(url, name: url.path), name: url.path)
    }

    /// Decodes from raw memory (the loaders' fast path: no copy of the bytes).
    static func decodeGray(buffer: UnsafeRawBufferPointer, name: String) throws -> GrayImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            throw DataError.corruptPNG(name: name, reason: "empty file")
        }
        guard png_image_begin_read_from_memory(&image, base, buffer.count) != 0 else {
            throw DataError.corruptPNG(name: name, reason: message(of: image))
        }
        let width = Int(image.width), height = Int(image.height)
        guard width * height <= maximumPixels else {
            throw DataError.corruptPNG(name: name, reason: "\(width)x\(height) is larger than \(maximumPixels) pixels")
        }
        image.format = UInt32(PNG_FORMAT_GRAY)
        image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
        var white = png_color(red: 255, green: 255, blue: 255)
        var pixels = [UInt8](repeating: 0, count: width * height)
        let finished = pixels.withUnsafeMutableBytes {
            png_image_finish_read(&image, &white, $0.baseAddress, Int32(width), nil)
        }
        guard finished != 0 else {
            throw DataError.corruptPNG(name: name, reason: message(of: image))
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// `image` as the bytes of an 8-bit gray PNG.
    public static func encode(_ image: GrayImage) throws -> [UInt8] {
        var header = png_image()
        header.version = UInt32(PNG_IMAGE_VERSION)
        header.width = UInt32(image.width)
        header.height = UInt32(image.height)
        header.format = UInt32(PNG_FORMAT_GRAY)
        var size = 0
        // First call: the size; second: the bytes.
        let measured = image.pixels.withUnsafeBytes {
            png_image_write_to_memory(&header, nil, &size, 0, $0.baseAddress, 0, nil)
        }
        guard measured != 0, size > 0 else {
            defer { png_image_free(&header) }
            throw DataError.corruptPNG(name: "(encoding \(image.width)x\(image.height))", reason: message(of: header))
        }
        var output = [UInt8](repeating: 0, count: size)
        let written = output.withUnsafeMutableBytes { out in
            image.pixels.withUnsafeBytes {
                png_image_write_to_memory(&header, out.baseAddress, &size, 0, $0.baseAddress, 0, nil)
            }
        }
        guard written != 0 else {
            defer { png_image_free(&header) }
            throw DataError.corruptPNG(name: "(encoding \(image.width)x\(image.height))", reason: message(of: header))
        }
        output.removeLast(output.count - size)
        return output
    }

    /// Writes `image` as an 8-bit gray PNG file.
    public static func write(_ image: GrayImage, to url: URL) throws {
        try Data(encode(image)).write(to: url, options: .atomic)
    }

    /// libpng's message, from the `char message[64]` field of `png_image`.
    static func message(of image: png_image) -> String {
        var text = withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if text.isEmpty { text = "libpng could not decode it" }
        return text
    }
}
