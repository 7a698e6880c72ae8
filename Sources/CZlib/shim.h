// zlib (the system's libz, which the Swift toolchain's Foundation links too): the in-memory search
// index keeps long document texts deflated (TrawlSearchIndex/CompressedText.swift).
#include <zlib.h>
