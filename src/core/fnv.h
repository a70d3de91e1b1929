#ifndef RC_FNV_H
#define RC_FNV_H
#include <stddef.h>
#include <stdint.h>

/*
 * FNV-1a, 64 bits: where a slot of a per-process table is picked (tokens,
 * cached answers, Redis copies, metric labels, cast hashes).  Not a keyed
 * hash: no table using it may let a client's choice of keys cost more than
 * a miss.  Start with FNV_BASIS, or chain: fnv_str(fnv_u64(FNV_BASIS, fid), key).
 */
#define FNV_BASIS	14695981039346656037ULL
#define FNV_PRIME	1099511628211ULL

static inline uint64_t
fnv_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char	*s = p;
	size_t			 i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV_PRIME;
	return h;
}

static inline uint64_t
fnv_str(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * FNV_PRIME;
	return h;
}

static inline uint64_t
fnv_u64(uint64_t h, uint64_t v)
{
	return fnv_bytes(h, &v, sizeof(v));
}

#endif
