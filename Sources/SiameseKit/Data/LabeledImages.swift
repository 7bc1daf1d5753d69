/// A labelled image set held in memory: images as one tensor `[N, channels, height, width]`
/// with values in [0, 1], and one class label per image. What `MNIST.load` returns.
///
/// A value type like `Tensor`: subsets and batches are new values; the original is untouched.
public struct LabeledImages: Sendable {
    /// The images, shape `[N, C, H, W]` (MNIST: `[N, 1, 28, 28]`), values in [0, 1].
    public let images: Tensor
    /// The class of each image, `0..<classCount`; `labels.count == N`.
    public let labels: [Int]
    /// The number of classes (10 for MNIST), at least one more than the largest label.
    public let classCount: Int
    /// For each class, the indices of its images in order: `indicesByClass[3]` lists every 3.
    /// What pair and triplet samplers draw from.
    public let indicesByClass: [[Int]]

    /// Images `[N, C, H, W]` with `N` labels in `0..<classCount` (default: largest label + 1).
    public init(images: Tensor, labels: [Int], classCount: Int? = nil) {
        precondition(images.rank == 4, "LabeledImages: images must be [N, C, H, W], got \(images.shape)")
        precondition(images.shape[0] == labels.count,
                     "LabeledImages: \(images.shape[0]) images but \(labels.count) labels")
        let classes = classCount ?? ((labels.max() ?? -1) + 1)
        precondition(labels.allSatisfy { $0 >= 0 && $0 < classes }, "LabeledImages: labels must lie in 0..<\(classes)")
        self.images = images
        self.labels = labels
        self.classCount = classes
        var byClass = [[Int]](repeating: [], count: classes)
        for (index, label) in labels.enumerated() { byClass[label].append(index) }
        self.indicesByClass = byClass
    }

    /// The number of images.
    public var count: Int { labels.count }
    /// The shape of one image, `[C, H, W]`.
    public var imageShape: [Int] { Array(images.shape.dropFirst()) }
    /// How many images each class has.
    public var classCounts: [Int] { indicesByClass.map(\.count) }

    /// The images at `indices` (repeats allowed) as `[indices.count, C, H, W]`, and their labels:
    /// one (shuffled) mini-batch.
    public func batch(_ indices: [Int]) -> (images: Tensor, labels: [Int]) {
        (images.gatherRows(indices), indices.map { labels[$0] })
    }

    /// A new set holding the images at `indices`, in that order; `classCount` is kept.
    public func subset(_ indices: [Int]) -> LabeledImages {
        LabeledImages(images: images.gatherRows(indices), labels: indices.map { labels[$0] }, classCount: classCount)
    }

    /// The first `n` images (all of them when `n >= count`): the usual `--quick` cut.
    public func subset(first n: Int) -> LabeledImages {
        subset(Array(0..<min(max(n, 0), count)))
    }

    /// The first `n` images of every class, in their original order: a small balanced set.
    public func subset(perClass n: Int) -> LabeledImages {
        let keep = Set(indicesByClass.flatMap { $0.prefix(max(n, 0)) })
        return subset((0..<count).filter { keep.contains($0) })
    }
}
