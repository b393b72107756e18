/*
 * text_internal.h — helpers shared between the files of src/text and not part of its API.
 */
#ifndef CHAPAR_TEXT_INTERNAL_H
#define CHAPAR_TEXT_INTERNAL_H

#include "core/core.h"

/* tehran_utc_offset: seconds east of UTC in Asia/Tehran at Unix time t (tz.c). */
int32_t tehran_utc_offset(int64_t t);
/* tehran_local_to_utc: Unix time of a Tehran wall-clock time given as seconds since
 * 1970-01-01 00:00 local. */
int64_t tehran_local_to_utc(int64_t local);

/* zwnj_restore: the word pass of display normalization: copy s (letter-normalized UTF-8, n
 * bytes) to out with lost ZWNJs restored, in joined words (میشود) and in words split by a
 * space (می شود). zwnj.c. */
enum ch_status zwnj_restore(const char *s, size_t n, struct buf *out);

/* thread_block: a zeroed block of size bytes for the calling thread, freed when the thread
 * ends (never before: the caller keeps the pointer in a _Thread_local for the thread's life).
 * huge: aligned to 2 MiB and backed by huge pages where the kernel agrees (a cache probed all
 * over); else page-aligned. NULL without memory. thread_block.c. */
void *thread_block(size_t size, bool huge);

/* text_letter_simd: test hook for the letter pass's vector step (normalize.c): use false
 * forces the scalar loop, true the default choice (the vector step when the CPU has AVX2);
 * returns whether the vector step is now in use. Not while another thread normalizes. */
bool text_letter_simd(bool use);

#endif
