import Foundation

/// Omniglot (Lake, Salakhutdinov and Tenenbaum 2015): 1,623 handwritten characters from 50
/// alphabets, each drawn once by 20 different people, as 105x105 1-bit PNGs. The benchmark of
/// one-shot learning: train on the background alphabets, test on the evaluation alphabets.
///
///     let omniglot = try Omniglot.load(.background, side: 35, from: folder)
///     let batch = omniglot.images(at: [0, 20, 40])          // [3, 1, 35, 35], ink in [0, 1]
///     omniglot.characterName(omniglot.imageCharacters[20])  // "Alphabet_of_the_Magi/character02"
///
/// Read straight from the dataset's zips (`omniglot/images_background.zip`, 30 alphabets, 964
/// characters, 19,280 images; `omniglot/images_evaluation.zip`, 20 alphabets, 659 characters,
/// 13,180 images), whose entries are `images_<split>/<alphabet>/characterNN/NNNN_DD.png`:
/// `NNNN` is the character's global id (0001-1623) and `DD` the drawer (01-20).
///
/// The PNGs are black strokes on white; they are stored as *ink* (stroke 1, paper 0), the
/// way MNIST is, one byte per pixel (`ink * 255`), optionally resized at load time. The first
/// load decodes every PNG and writes a compressed cache in `folder.cacheDirectory`; later loads
/// read the cache (see `OmniglotCache`).
public struct Omniglot: Sendable {
    /// The two official splits.
    public enum Split: String, CaseIterable, Sendable {
        /// 30 alphabets for training.
        case background
        /// 20 other alphabets for one-shot evaluation.
        case evaluation
        /// The archive, relative to the data folder: `omniglot/images_background.zip`.
        public var archive: String { "omniglot/images_\(rawValue).zip" }
    }

    /// One character (one class): its alphabet, its folder name and Omniglot's global id.
    public struct Character: Equatable, Sendable {
        /// Index into `alphabets`.
        public let alphabet: Int
        /// The folder name within its alphabet, e.g. `character07`.
        public let name: String
        /// Omniglot's global character id from the file names, 1...1623.
        public let id: Int
    }

    /// The side of the original images.
    public static let nativeSide = 105

    /// Which split this is.
    public let split: Split
    /// Image side in pixels (105 unless resized at load time).
    public let side: Int
    /// How the images were resized (irrelevant when `side == 105`).
    public let method: ResizeMethod
    /// Alphabet names, sorted: `Alphabet_of_the_Magi`, `Anglo-Saxon_Futhorc`, ...
    public let alphabets: [String]
    /// The characters, sorted by alphabet then name. A character's position is its class index.
    public let characters: [Character]
    /// For each image, its character's class index (into `characters`).
    public let imageCharacters: [Int]
    /// For each image, its drawer, 1...20.
    public let imageDrawers: [Int]
    /// All images as ink bytes (0 paper ... 255 stroke), `count * side * side`, row-major.
    public let pixels: [UInt8]
    /// For each character, the indices of its images (its 20 drawings), in drawer order.
    public let indicesByCharacter: [[Int]]

    /// Builds the set from its tables; checks that they agree.
    init(split: Split, side: Int, method: ResizeMethod, alphabets: [String], characters: [Character],
         imageCharacters: [Int], imageDrawers: [Int], pixels: [UInt8]) {
        precondition(imageCharacters.count == imageDrawers.count && pixels.count == imageCharacters.count * side * side,
                     "Omniglot: tables disagree")
        self.split = split
        self.side = side
        self.method = method
        self.alphabets = alphabets
        self.characters = characters
        self.imageCharacters = imageCharacters
        self.imageDrawers = imageDrawers
        self.pixels = pixels
        var byCharacter = [[Int]](repeating: [], count: characters.count)
        for (index, character) in imageCharacters.enumerated() { byCharacter[character].append(index) }
        self.indicesByCharacter = byCharacter
    }

    /// The number of images.
    public var count: Int { imageCharacters.count }

    /// `alphabet/characterNN` of the character at class index `character`.
    public func characterName(_ character: Int) -> String {
        "\(alphabets[characters[character].alphabet])/\(characters[character].name)"
    }

    /// The class indices of the characters of alphabet `alphabet` (an index into `alphabets`).
    public func characters(inAlphabet alphabet: Int) -> [Int] {
        characters.indices.filter { characters[$0].alphabet == alphabet }
    }

    /// The images at `indices` (repeats allowed) as ink in [0, 1], shape `[n, 1, side, side]`.
    public func images(at indices: [Int]) -> Tensor {
        let size = side * side, n = indices.count * size
        let table = (0...255).map { Float($0) / 255 }
        let scalars = [Float](unsafeUninitializedCapacity: n) { out, initialized in
            pixels.withUnsafeBufferPointer { src in
                table.withUnsafeBufferPointer { lookup in
                    for (r, index) in indices.enumerated() {
                        precondition(index >= 0 && index < count, "Omniglot.images: index \(index) out of 0..<\(count)")
                        let from = index &* size, to = r &* size
                        for j in 0..<size { out[to &+ j] = lookup[Int(src[from &+ j])] }
                    }
                }
            }
            initialized = n
        }
        return Tensor(shape: [indices.count, 1, side, side], scalars: scalars)
    }

    /// One image as ink bytes (0 paper, 255 stroke).
    public func inkImage(at index: Int) -> GrayImage {
        let size = side * side
        return GrayImage(width: side, height: side, pixels: Array(pixels[(index * size)..<((index + 1) * size)]))
    }

    /// The images at `indices` (default: all) with their character's class index as label.
    /// At 105 px all 19,280 background images take 850 MB as Floats; resize first, or pick.
    public func labeledImages(_ indices: [Int]? = nil) -> LabeledImages {
        let indices = indices ?? Array(0..<count)
        return LabeledImages(images: images(at: indices), labels: indices.map { imageCharacters[$0] },
                             classCount: characters.count)
    }

    /// Loads a split from `folder`, resized to `side x side` by `method` (105: as drawn), or,
    /// with `inkBox`, each drawing framed in its ink box filling that share of the side
    /// (`inkBoxFramed`, from the 105-pixel drawings).
    /// Uses the decoded cache in `folder.cacheDirectory` when it is valid for the archive (same
    /// size and modification time), else decodes the archive and writes the cache (`cache:
    /// false` does neither). Throws a `DataError` for a missing or damaged archive or image.
    public static func load(_ split: Split, side: Int = nativeSide, method: ResizeMethod = .area, inkBox: Float? = nil,
                            from folder: DataFolder = DataFolder(), cache: Bool = true) throws -> Omniglot {
        precondition(side > 0, "Omniglot.load: side must be positive")
        if let inkBox { return try load(split, from: folder, cache: cache).inkBoxFramed(side: side, fill: inkBox) }
        let method = side == nativeSide ? .area : method  // no resampling at the native size
        let url = try folder.file(split.archive)
        let name = folder.displayPath(split.archive)
        guard cache else {
            return try OmniglotArchive.decode(url, name: name, split: split, side: side, method: method)
        }
        let cacheFile = OmniglotCache.url(in: folder.cacheDirectory, split: split, side: side, method: method)
        let key = OmniglotCache.Key(archive: url)
        if let key, let cached = OmniglotCache.read(cacheFile, key: key, split: split, side: side, method: method) {
            return cached
        }
        let decoded = try OmniglotArchive.decode(url, name: name, split: split, side: side, method: method)
        if let key { OmniglotCache.write(decoded, key: key, to: cacheFile) }
        return decoded
    }
}
