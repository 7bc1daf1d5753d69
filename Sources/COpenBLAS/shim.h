// OpenBLAS's C interface (cblas_sgemm and friends) and its thread-count controls.
#include <cblas.h>
