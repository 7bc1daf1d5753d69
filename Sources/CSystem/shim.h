// C library pieces that are awkward to reach from Swift under strict concurrency.
#include <stdio.h>

/// Line-buffers the C standard output stream (Swift's `print` writes through it).
static inline void csystem_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
