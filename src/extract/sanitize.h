/*
 * sanitize.h — the allowlist serialiser of sanitize.c, shared with the extractor.
 */
#ifndef CHAPAR_EXTRACT_SANITIZE_H
#define CHAPAR_EXTRACT_SANITIZE_H

#include "extract/internal.h"

/* sanitize_children: append the safe HTML of root's children to out (iterative). */
void sanitize_children(xmlNodePtr root, const char *base, struct buf *out);

#endif
