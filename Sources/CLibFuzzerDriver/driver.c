// The declaration in include/CLibFuzzerDriver.h is all this module holds;
// SwiftPM wants one source file in a C target.
#include "CLibFuzzerDriver.h"
