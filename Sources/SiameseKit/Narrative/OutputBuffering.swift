import CSystem

/// Process-wide settings a chapter makes once at start.
enum ProcessSetup {
    /// Line-buffers standard output, so a chapter piped into a log (`| tee run.log`) shows each
    /// line as it is printed rather than in 4 KiB blocks.
    static func lineBufferStandardOutput() {
        csystem_line_buffer_stdout()
    }
}
