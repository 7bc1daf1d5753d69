// C library pieces that are awkward to reach from Swift under strict concurrency.
#include <malloc.h>
#include <stdio.h>

/// Line-buffers the C standard output stream (Swift's `print` writes through it).
static inline void csystem_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

/// Serves every allocation from the heap and keeps freed memory for reuse: glibc otherwise maps
/// each block over 32 MiB (im2col matrices of a batch) fresh from the kernel and unmaps it on
/// free, so every training step pays page faults and page clearing for them.
static inline void csystem_keep_freed_memory(void) {
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}
