#include "tessera_malloc_stats.h"
#if defined(__linux__)
#include <malloc.h>
#endif

size_t tessera_allocated_bytes(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 info = mallinfo2();
    /* In-use heap blocks plus large blocks served by mmap (hash tables). */
    return info.uordblks + info.hblkhd;
#else
    return 0;
#endif
}
