import Foundation

/// A safetensors file written by the reference implementation (Python `safetensors` 0.8.0,
/// NumPy 2.4), kept as base64 so the repository holds no binary file. Generated with:
///
/// ```python
/// import base64, numpy as np
/// from safetensors.numpy import save_file
/// save_file({
///     "conv.weight": (np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2) - 12) / 8,
///     "conv.bias": np.array([0.1, -2.5e-3], dtype=np.float32),
///     "scale": np.array(3.25, dtype=np.float32),
///     "empty": np.zeros((0, 3), dtype=np.float32),
///     "half": np.array([1, -2.5, 65504, 2**-24, np.inf], dtype=np.float16),
///     "double": np.array([[0.1, -1e-3], [1e30, 7]], dtype=np.float64),
/// }, "fixture.safetensors", metadata={"format": "np", "note": "caf\u00e9 \"quoted\" \\ \u2713"})
/// print(base64.b64encode(open("fixture.safetensors", "rb").read()).decode())
/// ```
///
/// The reference writer orders tensors by dtype size, then name (F64 first, F16 last), pads the
/// 440-byte JSON to 448 with spaces, and stores the empty `[0, 3]` tensor as `[136, 136]`.
enum PythonFixture {
    static let base64 = """
        wAEAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJub3RlIjoiY2Fmw6kgXCJxdW90ZWRcIiBcXCDinJMiLCJmb3JtYXQiOiJucCJ9
        LCJkb3VibGUiOnsiZHR5cGUiOiJGNjQiLCJzaGFwZSI6WzIsMl0sImRhdGFfb2Zmc2V0cyI6WzAsMzJdfSwiY29udi5iaWFz
        Ijp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsyXSwiZGF0YV9vZmZzZXRzIjpbMzIsNDBdfSwiY29udi53ZWlnaHQiOnsiZHR5
        cGUiOiJGMzIiLCJzaGFwZSI6WzIsMywyLDJdLCJkYXRhX29mZnNldHMiOls0MCwxMzZdfSwiZW1wdHkiOnsiZHR5cGUiOiJG
        MzIiLCJzaGFwZSI6WzAsM10sImRhdGFfb2Zmc2V0cyI6WzEzNiwxMzZdfSwic2NhbGUiOnsiZHR5cGUiOiJGMzIiLCJzaGFw
        ZSI6W10sImRhdGFfb2Zmc2V0cyI6WzEzNiwxNDBdfSwiaGFsZiI6eyJkdHlwZSI6IkYxNiIsInNoYXBlIjpbNV0sImRhdGFf
        b2Zmc2V0cyI6WzE0MCwxNTBdfX0gICAgmpmZmZmZuT/8qfHSTWJQv+qMoDlZPilGAAAAAAAAHEDNzMw9CtcjuwAAwL8AALC/
        AACgvwAAkL8AAIC/AABgvwAAQL8AACC/AAAAvwAAwL4AAIC+AAAAvgAAAAAAAAA+AACAPgAAwD4AAAA/AAAgPwAAQD8AAGA/
        AACAPwAAkD8AAKA/AACwPwAAUEAAPADB/3sBAAB8
        """

    /// The file's 606 bytes.
    static var bytes: [UInt8] { [UInt8](Data(base64Encoded: base64, options: .ignoreUnknownCharacters)!) }
}
