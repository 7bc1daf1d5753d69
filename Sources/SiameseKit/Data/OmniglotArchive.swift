import Foundation
import ZIPFoundation

/// Decoding an Omniglot zip: walk its entries with ZIPFoundation, check each entry's CRC-32,
/// decode each PNG with libpng, turn it into ink and resize it.
enum OmniglotArchive {
    /// One PNG entry with what its path says.
    struct Item {
        let entry: Entry
        let path: String
        let alphabet: String
        let character: String
        let id: Int
        let drawer: Int
    }

    /// Decodes the whole archive at `url` (`name` is how messages show it).
    static func decode(_ url: URL, name: String, split: Omniglot.Split, side: Int,
                       method: ResizeMethod) throws -> Omniglot {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw DataError.corruptZip(path: name, reason: reason(for: error))
        }
        var items: [Item] = []
        var entriesRead = 0
        for entry in archive {
            entriesRead += 1
            let path = entry.path
            guard entry.type == .file, path.lowercased().hasSuffix(".png") else { continue }
            // Finder's resource-fork shadows ("__MACOSX/", "._name") are not images.
            if path.hasPrefix("__MACOSX/") || path.split(separator: "/").last?.hasPrefix("._") == true { continue }
            items.append(try item(entry, archive: name))
        }
        // ZIPFoundation's iterator stops quietly at an unreadable directory record.
        if let declared = declaredEntryCount(url), declared != entriesRead {
            throw DataError.corruptZip(path: name, reason: "its directory lists \(declared) entries but \(entriesRead) could be read")
        }
        guard !items.isEmpty else {
            throw DataError.unexpectedLayout(archive: name, reason: "no PNG images in <alphabet>/characterNN/NNNN_DD.png")
        }
        items.sort { ($0.alphabet, $0.character, $0.drawer) < ($1.alphabet, $1.character, $1.drawer) }

        // The tables: alphabets, characters (one class each), and per image its class and drawer.
        var alphabets: [String] = []
        var characters: [Omniglot.Character] = []
        var imageCharacters: [Int] = [], imageDrawers: [Int] = []
        var idOwner: [Int: String] = [:]
        for (i, item) in items.enumerated() {
            if alphabets.last != item.alphabet { alphabets.append(item.alphabet) }
            let isNewCharacter = i == 0 || items[i - 1].alphabet != item.alphabet || items[i - 1].character != item.character
            if isNewCharacter {
                let folder = "\(item.alphabet)/\(item.character)"
                if let owner = idOwner[item.id] {
                    throw DataError.unexpectedLayout(archive: name, reason: "character id \(item.id) is used by both \(owner) and \(folder)")
                }
                idOwner[item.id] = folder
                characters.append(Omniglot.Character(alphabet: alphabets.count - 1, name: item.character, id: item.id))
            } else if item.id != characters[characters.count - 1].id {
                throw DataError.unexpectedLayout(archive: name,
                    reason: "\(item.path) has character id \(item.id) but its folder's images have \(characters[characters.count - 1].id)")
            } else if item.drawer == items[i - 1].drawer {
                throw DataError.unexpectedLayout(archive: name, reason: "drawer \(item.drawer) appears twice in \(item.alphabet)/\(item.character)")
            }
            imageCharacters.append(characters.count - 1)
            imageDrawers.append(item.drawer)
        }

        // The pixels, one image after another.
        var store = InkStore(count: items.count, side: side, method: method)
        var bytes = Data()
        for (i, item) in items.enumerated() {
            let entryName = "\(item.path) in \(name)"
            try extract(item.entry, path: item.path, from: archive, archiveName: name, into: &bytes)
            let image = try PNG.decodeGray(bytes, name: entryName)
            guard image.width == Omniglot.nativeSide && image.height == Omniglot.nativeSide else {
                throw DataError.unexpectedImageSize(name: entryName, expectedWidth: Omniglot.nativeSide,
                                                    expectedHeight: Omniglot.nativeSide, width: image.width, height: image.height)
            }
            store.add(image.pixels, at: i)
        }
        let pixels = store.pixels
        return Omniglot(split: split, side: side, method: method, alphabets: alphabets, characters: characters,
                        imageCharacters: imageCharacters, imageDrawers: imageDrawers, pixels: pixels)
    }

    /// Turns decoded 105x105 gray images (paper 255) into ink bytes (paper 0, stroke 255) at
    /// the requested side, image by image, with buffers reused across images.
    struct InkStore {
        let side: Int
        let resampler: Resampler?
        var pixels: [UInt8]
        var ink: [Float], scratch: [Float], resized: [Float]
        /// `1 - v / 255` for every byte `v`.
        let inkOfGray: [Float] = (0...255).map { 1 - Float($0) / 255 }

        init(count: Int, side: Int, method: ResizeMethod) {
            let native = Omniglot.nativeSide
            self.side = side
            resampler = side == native ? nil
                : Resampler(width: native, height: native, toWidth: side, toHeight: side, method: method)
            pixels = [UInt8](repeating: 0, count: count * side * side)
            let resizing = resampler != nil
            ink = [Float](repeating: 0, count: resizing ? native * native : 0)
            scratch = [Float](repeating: 0, count: resizing ? native * side : 0)
            resized = [Float](repeating: 0, count: resizing ? side * side : 0)
        }

        /// Stores image `index` from its gray bytes (plain pointer loops: quick in debug builds too).
        mutating func add(_ gray: [UInt8], at index: Int) {
            let size = side * side, start = index * size
            let resampler = self.resampler
            gray.withUnsafeBufferPointer { gray in
            pixels.withUnsafeMutableBufferPointer { pixels in
                let g = gray.baseAddress!, out = pixels.baseAddress! + start
                guard let resampler else {
                    var j = 0
                    while j < size { out[j] = 255 &- g[j]; j &+= 1 }
                    return
                }
                inkOfGray.withUnsafeBufferPointer { table in
                ink.withUnsafeMutableBufferPointer { ink in
                scratch.withUnsafeMutableBufferPointer { scratch in
                resized.withUnsafeMutableBufferPointer { resized in
                    let t = table.baseAddress!, f = ink.baseAddress!, n = ink.count
                    var j = 0
                    while j < n { f[j] = t[Int(g[j])]; j &+= 1 }
                    resampler.resize(UnsafeBufferPointer(ink), into: resized, scratch: scratch)
                    let r = resized.baseAddress!
                    j = 0
                    while j < size {
                        // Round to the nearest byte; the value is in [0, 1] up to rounding error.
                        let v = r[j] * 255 + 0.5
                        out[j] = v <= 0 ? 0 : v >= 255 ? 255 : UInt8(v)
                        j &+= 1
                    }
                }}}}
            }}
        }
    }

    /// Reads an entry's path: `[top/]<alphabet>/characterNN/NNNN_DD.png`.
    static func item(_ entry: Entry, archive: String) throws -> Item {
        let path = entry.path
        let parts = path.split(separator: "/").map(String.init)
        let file = parts.last ?? ""
        let stem = file.dropLast(4).split(separator: "_")
        guard parts.count >= 3, stem.count == 2, let id = Int(stem[0]), let drawer = Int(stem[1]), id >= 0, drawer >= 0 else {
            throw DataError.unexpectedLayout(archive: archive,
                reason: "\(path) is not <alphabet>/characterNN/NNNN_DD.png (NNNN: character id, DD: drawer)")
        }
        return Item(entry: entry, path: path, alphabet: parts[parts.count - 3], character: parts[parts.count - 2],
                    id: id, drawer: drawer)
    }

    /// Extracts `entry` into `bytes` and checks its size and CRC-32 (with zlib's fast CRC).
    static func extract(_ entry: Entry, path: String, from archive: Archive, archiveName: String,
                        into bytes: inout Data) throws {
        bytes.removeAll(keepingCapacity: true)
        do {
            // One read for the whole entry (the default 16 KiB chunks cost more than the entry).
            let chunk = Int(clamping: min(max(entry.compressedSize, 4096), 1 << 20))
            _ = try archive.extract(entry, bufferSize: chunk, skipCRC32: true) { bytes.append($0) }
        } catch {
            throw DataError.corruptZipEntry(archive: archiveName, entry: path, reason: reason(for: error))
        }
        guard bytes.count == entry.uncompressedSize else {
            throw DataError.corruptZipEntry(archive: archiveName, entry: path,
                                            reason: "\(bytes.count) bytes, the archive says \(entry.uncompressedSize)")
        }
        let crc = bytes.withUnsafeBytes { Zlib.crc32($0) }
        guard crc == entry.checksum else {
            throw DataError.corruptZipEntry(archive: archiveName, entry: path,
                reason: "CRC-32 mismatch (computed \(hex(crc)), the archive says \(hex(entry.checksum)))")
        }
    }

    /// A readable reason for a ZIPFoundation or system error.
    static func reason(for error: Error) -> String {
        if let error = error as? Archive.ArchiveError {
            switch error {
            case .missingEndOfCentralDirectoryRecord:
                return "no end-of-central-directory record (not a zip file, or truncated)"
            case .unreadableArchive:
                return "unreadable archive"
            case .invalidCRC32:
                return "CRC-32 mismatch"
            default:
                return "\(error)"
            }
        }
        switch "\(error)" {
        case "corruptedData": return "damaged deflate data"
        case "invalidStream": return "damaged deflate stream"
        case "unreadableFile": return "read error (truncated archive?)"
        default: return (error as NSError).localizedDescription
        }
    }

    /// The entry count in the archive's end-of-central-directory record, or nil when it cannot be
    /// found or the archive is ZIP64 (then ZIPFoundation's own checks have to do).
    static func declaredEntryCount(_ url: URL) -> Int? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd() else { return nil }
        let tailLength = min(end, 22 + 65_535)
        guard (try? handle.seek(toOffset: end - tailLength)) != nil,
              let tail = try? handle.readToEnd(), tail.count >= 22 else { return nil }
        let bytes = [UInt8](tail)
        var i = bytes.count - 22
        while i >= 0 {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4b, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 {
                let total = Int(bytes[i + 10]) | Int(bytes[i + 11]) << 8
                return total == 0xFFFF ? nil : total
            }
            i -= 1
        }
        return nil
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
