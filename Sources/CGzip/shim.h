// zlib: gzip streams (gzopen/gzread) and raw inflate/deflate, for IDX files and caches.
#include <zlib.h>
