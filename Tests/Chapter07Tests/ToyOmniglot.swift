@testable import SiameseKit

/// A small Omniglot-shaped data set made in the test: `alphabets` alphabets of `characters`
/// characters, each drawn by `drawers` people at `side` pixels. Character k is a bright
/// block at a position of its own; each drawer shifts the stroke intensity a little.
enum ToyOmniglot {
    static func make(alphabets: Int = 6, characters: Int = 6, drawers: Int = 4, side: Int = 16,
                     split: Omniglot.Split = .background) -> Omniglot {
        var chars: [Omniglot.Character] = [], imageCharacters: [Int] = [], imageDrawers: [Int] = [], pixels: [UInt8] = []
        for a in 0..<alphabets {
            for c in 0..<characters {
                let id = chars.count
                chars.append(Omniglot.Character(alphabet: a, name: "character\(c + 1)", id: id + 1))
                for d in 0..<drawers {
                    imageCharacters.append(id)
                    imageDrawers.append(d + 1)
                    var image = [UInt8](repeating: 0, count: side * side)
                    let row = (id * 3) % (side - 3), column = (id * 7) % (side - 3)
                    for r in row..<(row + 3) { for k in column..<(column + 3) { image[r * side + k] = UInt8(200 + d * 10) } }
                    pixels += image
                }
            }
        }
        return Omniglot(split: split, side: side, method: .area, alphabets: (0..<alphabets).map { "Alphabet\($0)" },
                        characters: chars, imageCharacters: imageCharacters, imageDrawers: imageDrawers, pixels: pixels)
    }
}
