/// Labelled images that training draws batches from, fetched on demand: Omniglot's 19,280
/// background drawings with their four quarter turns would take 240 MB as Floats at 28 px and
/// 3.4 GB at 105 px, so batches are converted from the stored bytes as they are needed.
public struct ClassImages: Sendable {
    /// The class of each image.
    public let labels: [Int]
    /// Classes are `0..<classCount`.
    public let classCount: Int
    /// The group of each class (Omniglot: its alphabet and turn), for batches drawn from a few
    /// groups at a time (`ClassBatchSampler`); nil when there are no groups.
    public let groups: [Int]?
    private let source: @Sendable ([Int]) -> Tensor

    /// Images whose batches come from `source` (indices in `0..<labels.count`).
    public init(labels: [Int], classCount: Int, groups: [Int]? = nil, source: @escaping @Sendable ([Int]) -> Tensor) {
        precondition(groups == nil || groups!.count == classCount, "ClassImages: \(groups!.count) groups for \(classCount) classes")
        self.labels = labels
        self.classCount = classCount
        self.groups = groups
        self.source = source
    }

    /// Images already in memory.
    public init(_ data: LabeledImages) {
        let images = data.images
        self.init(labels: data.labels, classCount: data.classCount) { images.gatherRows($0) }
    }

    /// The number of images.
    public var count: Int { labels.count }

    /// The images at `indices`, `[n, 1, side, side]`.
    public func images(at indices: [Int]) -> Tensor { source(indices) }

    /// The drawings of `characters` (default: all) of an Omniglot split, labelled by their
    /// position in `characters`; with `quarterTurns`, each drawing also turned by 90°, 180° and
    /// 270°, each turn a class of its own (4 × the classes, 4 × the images). A class's group is
    /// its alphabet in its turn.
    public static func omniglot(_ omniglot: Omniglot, characters: [Int]? = nil, quarterTurns: Bool = false) -> ClassImages {
        let characters = characters ?? Array(omniglot.characters.indices)
        var classOf = [Int](repeating: -1, count: omniglot.characters.count)
        for (position, c) in characters.enumerated() { classOf[c] = position }
        let base = omniglot.imageCharacters.indices.filter { classOf[omniglot.imageCharacters[$0]] >= 0 }
        let turns = quarterTurns ? 4 : 1
        let labels = (0..<turns).flatMap { q in base.map { classOf[omniglot.imageCharacters[$0]] + q * characters.count } }
        let alphabets = omniglot.alphabets.count
        let groups = (0..<turns).flatMap { q in characters.map { omniglot.characters[$0].alphabet + q * alphabets } }
        return ClassImages(labels: labels, classCount: characters.count * turns, groups: groups) { indices in
            let images = omniglot.images(at: indices.map { base[$0 % base.count] })
            guard quarterTurns else { return images }
            var parts: [Tensor] = []
            var start = 0
            while start < indices.count {                     // runs of the same turn, in order
                let q = indices[start] / base.count
                var end = start + 1
                while end < indices.count && indices[end] / base.count == q { end += 1 }
                parts.append(QuarterTurns.rotated(images.rows(start..<end), turns: q))
                start = end
            }
            return parts.count == 1 ? parts[0] : Tensor.concatenateRows(parts)
        }
    }
}
