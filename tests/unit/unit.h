/* unit.h - a minimal host test harness: CHECK, TEST, and the closing count line. */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H
#include <stdio.h>
#include <stdlib.h>

static int unit_passed, unit_failed, unit_current_failed;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			printf("  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			unit_current_failed = 1;                                 \
		}                                                                \
	} while (0)

#define CHECK_EQ(a, b)                                                                                    \
	do {                                                                                              \
		long long _a = (long long)(a), _b = (long long)(b);                                       \
		if (_a != _b) {                                                                           \
			printf("  FAIL %s:%d: %s == %s (%lld != %lld)\n", __FILE__, __LINE__, #a, #b, _a, \
			       _b);                                                                       \
			unit_current_failed = 1;                                                          \
		}                                                                                         \
	} while (0)

#define RUN(test)                                   \
	do {                                        \
		unit_current_failed = 0;            \
		test();                             \
		if (unit_current_failed) {          \
			printf("FAIL %s\n", #test); \
			unit_failed++;              \
		} else {                            \
			unit_passed++;              \
		}                                   \
	} while (0)

/* The line scripts/run-unit.sh adds up; the exit status says the same. */
#define UNIT_DONE()                                                         \
	do {                                                                \
		printf("%d passed, %d failed\n", unit_passed, unit_failed); \
		return unit_failed ? 1 : 0;                                 \
	} while (0)

/* Kernel logging, on the host: printed, and counted so tests can expect it. */
static int unit_log_lines;
#include <stdarg.h>
static inline int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	unit_log_lines++;
	printf("    log: ");
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
#define KERNEL_LOG_H  /* the host version above replaces kernel/log.h */
#define log_info(...) kprintf(__VA_ARGS__)
#define log_warn(...) kprintf("warning: " __VA_ARGS__)
#define log_err(...)  kprintf("error: " __VA_ARGS__)
#define panic(...)    (kprintf(__VA_ARGS__), abort())
#endif
