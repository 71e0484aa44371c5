/* test_acct.c - the TSC accounting: each tick charged once, to the innermost open bucket. */
#include "unit.h"
#include <stdint.h>

#define ACCT_TEST
static uint64_t fake_tsc;
#define ACCT_NOW() (fake_tsc)
#include "kernel/acct.c"

static uint64_t submit, complete, notify;

static void fresh(void)
{
	fake_tsc = 1000;
	submit = complete = notify = 0;
	acct_cpu = (struct acct_cpu){ 0 };
	acct_set(true);
}

/* A completion (10 ticks of its own) that submits the next request (5),
 * whose doorbell (20) is rung inside the submit: 10, 5 and 20, not 35 and 25. */
static void test_nested_work_is_counted_once(void)
{
	fresh();
	fake_tsc += 7; /* the main loop */
	int c = acct_open(&complete);
	fake_tsc += 4;
	int s = acct_open(&submit);
	fake_tsc += 2;
	int d = acct_open(&notify);
	fake_tsc += 20;
	acct_close(d);
	fake_tsc += 3;
	acct_close(s);
	fake_tsc += 6;
	acct_close(c);
	fake_tsc += 1;
	acct_set(false);
	CHECK_EQ(complete, 10);
	CHECK_EQ(submit, 5);
	CHECK_EQ(notify, 20);
	CHECK_EQ(acct_cpu.other, 8);
	CHECK_EQ(complete + submit + notify + acct_cpu.other, fake_tsc - 1000);
}

/* Off: nothing is opened, nothing is counted; a token from before it was
 * turned off closes harmlessly. */
static void test_off_counts_nothing(void)
{
	fresh();
	int c = acct_open(&complete);
	CHECK(c >= 0);
	acct_set(false);
	fake_tsc += 100;
	CHECK_EQ(acct_open(&submit), -1);
	acct_close(-1);
	acct_close(c);
	CHECK_EQ(complete, 0);
	CHECK_EQ(submit, 0);
	CHECK_EQ(acct_cpu.other, 0);
	/* and on again starts from the bottom of the stack */
	acct_set(true);
	fake_tsc += 3;
	acct_set(false);
	CHECK_EQ(acct_cpu.other, 3);
}

/* Deeper than the stack: the extra opens are charged to the bucket below,
 * and every close still brings the stack back to where its open found it. */
static void test_overflow_and_a_lost_close(void)
{
	fresh();
	uint64_t b[DEPTH + 2] = { 0 };
	int t[DEPTH + 2];
	for (int i = 0; i < DEPTH + 2; i++) {
		t[i] = acct_open(&b[i]);
		fake_tsc += 1;
	}
	for (int i = DEPTH + 1; i >= 0; i--)
		acct_close(t[i]);
	CHECK_EQ(depth, 1);
	uint64_t sum = acct_cpu.other;
	for (int i = 0; i < DEPTH + 2; i++)
		sum += b[i];
	CHECK_EQ(sum, DEPTH + 2);
	CHECK_EQ(b[DEPTH - 2], 4); /* the last bucket that fit took the ticks of the three past it */
	/* a close that never came: the outer close takes the stack back anyway */
	int outer = acct_open(&complete);
	acct_open(&submit);
	fake_tsc += 5;
	acct_close(outer);
	CHECK_EQ(depth, 1);
	CHECK_EQ(submit, 5);
	acct_set(false);
}

int main(void)
{
	RUN(test_nested_work_is_counted_once);
	RUN(test_off_counts_nothing);
	RUN(test_overflow_and_a_lost_close);
	UNIT_DONE();
}
