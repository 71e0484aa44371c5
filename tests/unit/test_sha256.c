/* test_sha256.c - SHA-256 against the FIPS 180-4 examples and split updates. */
#include "unit.h"

#include "lib/sha256.c"
#include <stdio.h>
#include <string.h>

static void hex(const uint8_t d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void check(const char *msg, size_t len, const char *want)
{
	struct sha256 s;
	uint8_t d[32];
	char h[65];
	sha256_init(&s);
	sha256_update(&s, msg, len);
	sha256_final(&s, d);
	hex(d, h);
	CHECK(!strcmp(h, want));
	/* the same bytes one at a time */
	sha256_init(&s);
	for (size_t i = 0; i < len; i++)
		sha256_update(&s, msg + i, 1);
	sha256_final(&s, d);
	hex(d, h);
	CHECK(!strcmp(h, want));
}

static void test_vectors(void)
{
	check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	check(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_million_a(void)
{
	static char a[1000000];
	memset(a, 'a', sizeof a);
	struct sha256 s;
	uint8_t d[32];
	char h[65];
	sha256_init(&s);
	sha256_update(&s, a, 333333);
	sha256_update(&s, a, sizeof a - 333333);
	sha256_final(&s, d);
	hex(d, h);
	CHECK(!strcmp(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

int main(void)
{
	RUN(test_vectors);
	RUN(test_million_a);
	UNIT_DONE();
}
