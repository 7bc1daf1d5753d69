import Foundation

/// MNIST (LeCun, Cortes and Burges: 70,000 handwritten digits) and Fashion-MNIST (Xiao, Rasul
/// and Vollgraf 2017: 70,000 clothing images, same format) from their original gzipped IDX files.
///
///     let train = try MNIST.load(.train, from: DataFolder(options.data))   // [60000, 1, 28, 28]
///     let test = try MNIST.load(.test, variant: .fashion, from: folder)     // [10000, 1, 28, 28]
///
/// Pixels are scaled from 0...255 to [0, 1] (ink is 1, background 0); labels are 0...9.
public enum MNIST {
    /// The official split: 60,000 training and 10,000 test images.
    public enum Split: String, CaseIterable, Sendable {
        case train, test
        /// The file-name prefix: `train` or `t10k`.
        public var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// Which of the two same-format datasets.
    public enum Variant: String, CaseIterable, Sendable {
        /// Handwritten digits 0-9.
        case digits
        /// Zalando's clothing images; see `classNames`.
        case fashion
        /// The folder inside the data folder: `mnist` or `fashion-mnist`.
        public var folder: String { self == .digits ? "mnist" : "fashion-mnist" }
        /// What each label means.
        public var classNames: [String] {
            switch self {
            case .digits: return (0...9).map(String.init)
            case .fashion: return ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
            }
        }
    }

    /// Image side in pixels.
    public static let side = 28
    /// Number of classes.
    public static let classCount = 10

    /// The images and labels files of a split, relative to the data folder, e.g.
    /// `mnist/train-images-idx3-ubyte.gz` and `mnist/train-labels-idx1-ubyte.gz`.
    public static func files(_ split: Split, variant: Variant = .digits) -> (images: String, labels: String) {
        ("\(variant.folder)/\(split.filePrefix)-images-idx3-ubyte.gz",
         "\(variant.folder)/\(split.filePrefix)-labels-idx1-ubyte.gz")
    }

    /// Loads one split: images `[N, 1, 28, 28]` in [0, 1] and labels 0...9.
    /// Throws a `DataError` (one-line description) for a missing, truncated or inconsistent file.
    public static func load(_ split: Split, variant: Variant = .digits,
                            from folder: DataFolder = DataFolder()) throws -> LabeledImages {
        let (imagesFile, labelsFile) = files(split, variant: variant)
        let imagesURL = try folder.file(imagesFile), labelsURL = try folder.file(labelsFile)
        let imagesName = folder.displayPath(imagesFile), labelsName = folder.displayPath(labelsFile)

        let labelBytes = try Gzip.read(contentsOf: labelsURL, name: labelsName)
        let labelCount = try IDX.labelCount(labelBytes, name: labelsName)
        let imageBytes = try Gzip.read(contentsOf: imagesURL, name: imagesName)
        let header = try IDX.imageHeader(imageBytes, name: imagesName)

        guard header.rows == side && header.columns == side else {
            throw DataError.idxMismatch(path: imagesName,
                                        reason: "images are \(header.rows)x\(header.columns), expected \(side)x\(side)")
        }
        guard header.count == labelCount else {
            throw DataError.idxMismatch(path: imagesName,
                                        reason: "\(header.count) images but \(labelCount) labels in \(labelsName)")
        }
        var labels = [Int](repeating: 0, count: labelCount)
        for i in 0..<labelCount {
            let label = Int(labelBytes[8 + i])
            guard label < classCount else {
                throw DataError.idxMismatch(path: labelsName, reason: "label \(label) at index \(i) is not in 0...9")
            }
            labels[i] = label
        }
        let pixels = unitScaled(imageBytes, from: header.payloadOffset, count: header.count * side * side)
        return LabeledImages(images: Tensor(shape: [header.count, 1, side, side], scalars: pixels),
                             labels: labels, classCount: classCount)
    }

    /// `count` bytes from `offset` as Floats `byte / 255`, through a 256-entry table.
    static func unitScaled(_ bytes: [UInt8], from offset: Int, count: Int) -> [Float] {
        let table = (0...255).map { Float($0) / 255 }
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            bytes.withUnsafeBufferPointer { src in
                table.withUnsafeBufferPointer { lookup in
                    for i in 0..<count { out[i] = lookup[Int(src[offset &+ i])] }
                }
            }
            initialized = count
        }
    }
}
