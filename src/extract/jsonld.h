/*
 * jsonld.h — the tolerant JSON-LD key reader of jsonld.c.
 */
#ifndef CHAPAR_EXTRACT_JSONLD_H
#define CHAPAR_EXTRACT_JSONLD_H

#include "core/core.h"

/* jsonld_get: append to out the string value of the first "key" in the JSON text block (n
 * bytes); when the value is an object (or an array whose first element is), the string value
 * of its "subkey" instead (subkey may be NULL). true when a non-empty value was found. */
bool jsonld_get(const char *block, size_t n, const char *key, const char *subkey, struct buf *out);

#endif
