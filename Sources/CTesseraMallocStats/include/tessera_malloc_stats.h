#ifndef TESSERA_MALLOC_STATS_H
#define TESSERA_MALLOC_STATS_H
#include <stddef.h>

/// Bytes the allocator currently hands out (glibc's mallinfo2(): in-use heap
/// blocks plus mmap-served blocks);
/// 0 where that is not available. Used by `tessera bench` to measure the
/// memory store's footprint.
size_t tessera_allocated_bytes(void);

#endif
