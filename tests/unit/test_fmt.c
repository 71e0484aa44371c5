/* test_fmt.c - the kernel's own printf formatting, held to the C library's on everything the kernel prints. */
#include "unit.h"

#pragma GCC diagnostic ignored "-Wformat-truncation" /* truncation is what the short buffers test */

#include <limits.h>
#include <stdint.h>
#include <string.h>
#undef HOST_TEST /* this test is of lib/fmt.c itself, not of the host's stand-in */
#include "lib/fmt.c"

/* The same output and the same count as snprintf, into a roomy buffer and
 * into ones too small for it. */
#define SAME(...)                                                                                      \
	do {                                                                                           \
		char a[256], b[256];                                                                   \
		int na = ksnprintf(a, sizeof a, __VA_ARGS__), nb = snprintf(b, sizeof b, __VA_ARGS__); \
		CHECK_EQ(na, nb);                                                                      \
		if (strcmp(a, b)) {                                                                    \
			printf("  FAIL %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, a, b);          \
			unit_current_failed = 1;                                                       \
		}                                                                                      \
		for (size_t cut = 0; cut < 6; cut++) {                                                 \
			memset(a, 'X', sizeof a), memset(b, 'X', sizeof b);                            \
			CHECK_EQ(ksnprintf(a, cut, __VA_ARGS__), nb);                                  \
			snprintf(b, cut, __VA_ARGS__);                                                 \
			CHECK(!memcmp(a, b, cut + 1)); /* no byte past the end written */              \
		}                                                                                      \
	} while (0)

static void test_integers(void)
{
	SAME("%d %i %u", 0, -1, 4000000000u);
	SAME("%d %d", INT_MIN, INT_MAX);
	SAME("%x %X %o", 0xdeadbeefu, 0xabcu, 0755u);
	SAME("%llu %lld %llx", ULLONG_MAX, LLONG_MIN, 0x123456789abcdefull);
	SAME("%lu %ld %lx", ULONG_MAX, LONG_MIN, 0xfffful);
	SAME("%zu %zx %zd", (size_t)12345, (size_t)0xff, (ssize_t)-3);
	SAME("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
	SAME("%td", (ptrdiff_t)-77);
	SAME("%hhu %hhd %hu %hd", 300, 200, 70000, 40000);
	/* what the boot log uses: bus addresses, MACs, registers */
	SAME("%02x:%02x.%x", 0, 3, 1);
	SAME("%016llx %04llx %04x", 0xfee00000ull, 0x1ull, 0x1af4u);
	SAME("%02x:%02x:%02x:%02x:%02x:%02x", 0x52, 0x54, 0, 0x12, 0x34, 0x56);
}

static void test_flags_width_precision(void)
{
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d] [%+5d] [%-+5d]", 42, 42, -42, 42, 42, -7, 7);
	SAME("[%.3d] [%8.3d] [%-8.3d] [%.0d] [%5.0d]", 7, -7, 7, 0, 0);
	SAME("[%#x] [%#X] [%#o] [%#o] [%#x] [%#08x]", 255u, 255u, 8u, 0u, 0u, 255u);
	SAME("[%*d] [%-*d] [%*d] [%.*d] [%.*d]", 6, 1, 6, 1, -6, 1, 4, 3, -1, 3);
	SAME("[%10s] [%-10s] [%.2s] [%.*s] [%5.1s]", "abc", "abc", "abc", 3, "abcdef", "xyz");
	static const char sig[4] = { 'F', 'A', 'C', 'P' }; /* an ACPI signature: no NUL after it */
	SAME("[%.4s] [%-6.4s] [%.2s]", sig, sig, sig);
	SAME("[%c] [%3c] [%-3c]", 'a', 'b', 'c');
	SAME("100%% and %s", "more");
	SAME("%s", "");
	SAME("no conversions at all");
}

static void test_what_libc_leaves_open(void)
{
	char buf[64];
	/* NULL as a string, and a pointer, as newlib prints them */
	const char *volatile none = NULL; /* hidden from the compiler's format checks */
	CHECK_EQ(ksnprintf(buf, sizeof buf, "%s", none), 6);
	CHECK(!strcmp(buf, "(null)"));
	ksnprintf(buf, sizeof buf, "%p %p", (void *)0x1000, (void *)0);
	CHECK(!strcmp(buf, "0x1000 0x0"));
	/* a conversion it does not do comes out as written and takes no argument */
	const char *f = "%f then %d";
	ksnprintf(buf, sizeof buf, f, 5);
	CHECK(!strcmp(buf, "%f then 5"));
	f = "ends in %";
	ksnprintf(buf, sizeof buf, f, 0);
	CHECK(!strcmp(buf, "ends in %"));
	f = "ends in %-08l";
	ksnprintf(buf, sizeof buf, f, 0);
	CHECK(!strcmp(buf, "ends in %-08l"));
	/* size 0: nothing written, the length returned */
	buf[0] = 'Z';
	CHECK_EQ(ksnprintf(buf, 0, "%d", 12345), 5);
	CHECK_EQ(buf[0], 'Z');
	/* longer than any buffer the kernel uses: cut, counted whole */
	char big[600];
	memset(big, 'y', sizeof big - 1), big[sizeof big - 1] = 0;
	CHECK_EQ(ksnprintf(buf, sizeof buf, "%s!", big), 600);
	CHECK_EQ(strlen(buf), sizeof buf - 1);
}

int main(void)
{
	RUN(test_integers);
	RUN(test_flags_width_precision);
	RUN(test_what_libc_leaves_open);
	UNIT_DONE();
}
