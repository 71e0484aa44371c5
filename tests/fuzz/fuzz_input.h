/* fuzz_input.h - what every libFuzzer target here shares: the input read a byte at a time, and ENSURE. */
#ifndef TESTS_FUZZ_FUZZ_INPUT_H
#define TESTS_FUZZ_FUZZ_INPUT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A promise ringside broke: a crash the fuzzer reports. */
#define ENSURE(cond)                                                                              \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "%s:%d: ENSURE(%s) failed\n", __FILE__, __LINE__, #cond); \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

/* The fuzzer's bytes, taken in order; zeros once they run out. */
struct input {
	const uint8_t *p;
	size_t n;
};

static inline unsigned byte(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static inline unsigned word(struct input *in)
{
	unsigned lo = byte(in);
	return lo | byte(in) << 8;
}
#endif
