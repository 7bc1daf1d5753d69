/// The contrastive loss of Hadsell, Chopra and LeCun, "Dimensionality Reduction by Learning an
/// Invariant Mapping" (CVPR 2006), averaged over pairs:
///
///     L = ½ (1 − Y) D² + ½ Y max(0, m − D)²,  with Y = 0 for a similar pair (Hadsell's convention)
///
/// Same pairs are pulled together (their distance D is penalised); different pairs are pushed
/// apart until they are `margin` away, and then left alone. `distances` is `[N]`, one per pair.
public func contrastiveLoss(distances: Variable, labels: [PairLabel], margin: Float) -> Variable {
    precondition(distances.shape == [labels.count],
                 "contrastiveLoss: \(labels.count) labels for distances of shape \(distances.shape)")
    let same = Variable(Tensor(labels.map { $0 == .same ? 0.5 : 0 }))
    let different = Variable(Tensor(labels.map { $0 == .different ? 0.5 : 0 }))
    let pull = distances.squared() * same
    let push = (margin - distances).relu().squared() * different
    return (pull + push).mean()
}
