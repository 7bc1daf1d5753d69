// libpng's simplified API (png_image_*): decodes PNGs of any bit depth and colour type.
#include <png.h>
