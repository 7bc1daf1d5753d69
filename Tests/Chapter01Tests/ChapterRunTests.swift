import ChapterTesting
import Foundation
import Testing

/// Runs the chapter's executable as a reader would, in quick mode.
@Suite("Chapter 01 end to end")
struct ChapterRunTests {
    static func run(_ arguments: [String]) throws -> ChapterRun { try ChapterProcess.run("01-tensors", arguments) }

    @Test func quickRunPrintsEverySectionAndDrawsFigures() throws {
        let figures = FileManager.default.temporaryDirectory.appendingPathComponent("ch01-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: figures) }
        let result = try Self.run(["--quick", "--figures", figures.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for heading in ["1. Storage and shape", "2. Broadcasting", "3. Reductions", "4. Matrix multiplication",
                        "5. A computation graph", "6. A two-layer network", "Summary", "Exercises"] {
            #expect(result.stdout.contains(heading), "missing section \(heading)")
        }
        for name in ["01-matmul-gflops", "01-spiral-loss", "01-spiral-boundary", "01-spiral-linear-boundary"] {
            for ext in ["png", "gp", "dat"] {
                let path = figures.appendingPathComponent("\(name).\(ext)").path
                #expect(FileManager.default.fileExists(atPath: path), "missing \(name).\(ext)")
            }
        }
        #expect(!result.stdout.contains("not drawn"))
    }

    @Test func sameSeedSameNumbers() throws {
        let a = try Self.run(["--quick", "--no-figures", "--seed", "3"])
        let b = try Self.run(["--quick", "--no-figures", "--seed", "3"])
        // Timings differ between runs; the learned numbers must not.
        func learned(_ text: String) -> [String] {
            text.split(separator: "\n").map(String.init).filter {
                $0.contains("loss:") || $0.contains("d loss") || $0.contains("softmax regression") || $0.contains("ReLU -> 3")
            }.map { $0.replacingOccurrences(of: #"\d+(\.\d+)? (ms|s)\s*$"#, with: "", options: .regularExpression) }
        }
        #expect(a.status == 0 && b.status == 0)
        #expect(!learned(a.stdout).isEmpty)
        #expect(learned(a.stdout) == learned(b.stdout))
    }

    @Test func badFlagIsOneLineAndNonZeroExit() throws {
        let result = try Self.run(["--no-such-flag"])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("error: Unknown option '--no-such-flag'") == true)
    }

    @Test func helpDescribesTheFlags() throws {
        let result = try Self.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--quick"))
        #expect(result.stdout.contains("--seed"))
        #expect(result.stdout.contains("--figures"))
    }
}
