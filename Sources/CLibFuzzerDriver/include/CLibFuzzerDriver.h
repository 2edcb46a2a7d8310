#ifndef CLIBFUZZER_DRIVER_H
#define CLIBFUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, LLVM 12 and later): runs the fuzzing
/// loop with `callback` as the target, as libFuzzer's own `main` would.
/// Linked only into the `-sanitize=fuzzer` build of tessera-fuzz.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
