/* cmd_prof.c - `prof on|off|show`: the sampling profiler of kernel/prof.h, by function. */
#include "apps/cmds.h"
#include "apps/shell.h"
#include "kernel/prof.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROF_SAMPLES (1u << 18)

/* One line per function, most samples first: its share of the samples and,
 * given the requests served over elapsed_ns, what that share is per request. */
int prof_report(int top, uint64_t requests, uint64_t elapsed_ns)
{
	struct prof_entry *e = calloc((size_t)top, sizeof *e);
	uint64_t total = 0;
	int n = e ? prof_top(e, top, &total) : -ENOMEM;
	if (n < 0) {
		free(e);
		return n;
	}
	printf("prof: samples=%llu requests=%llu elapsed_us=%llu\n", (unsigned long long)total,
	       (unsigned long long)requests, (unsigned long long)(elapsed_ns / 1000));
	for (int i = 0; i < n; i++) {
		double share = total ? (double)e[i].samples / (double)total : 0;
		double per = requests ? share * (double)elapsed_ns / 1000.0 / (double)requests : 0;
		printf("prof: %-28s samples=%u share=%.1f%% us_per_request=%.3f\n", e[i].name, e[i].samples,
		       100 * share, per);
	}
	free(e);
	return 0;
}

int prof_begin(uint64_t period_us) { return prof_start(period_us * 1000, PROF_SAMPLES); }

int cmd_prof(int argc, char **argv)
{
	uint64_t v = 0;
	if (argc >= 2 && !strcmp(argv[1], "on") && argc <= 3) {
		if (argc == 3 && (parse_u64(argv[2], &v) || v < 10 || v > 1000000))
			return shell_usage("prof on [PERIOD_US], 10 to 1000000");
		int r = prof_begin(argc == 3 ? v : 50);
		if (r)
			return shell_err("prof", r, "no memory for the samples");
		printf("prof on: a sample every %llu us\n", (unsigned long long)(argc == 3 ? v : 50));
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "off")) {
		prof_stop();
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "show") && argc <= 3) {
		if (argc == 3 && (parse_u64(argv[2], &v) || v < 1 || v > 1000))
			return shell_usage("prof show [N], 1 to 1000");
		prof_stop();
		return prof_report(argc == 3 ? (int)v : 20, 0, 0);
	}
	return shell_usage("prof on [PERIOD_US] | off | show [N]");
}
