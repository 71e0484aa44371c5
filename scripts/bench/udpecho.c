/* udpecho.c - the UDP echo benchmark's two ends: one program for both guests.
 *
 * Usage:
 *   udpecho rtt HOST PORT SIZE SECS          one datagram in flight: round-trip times
 *   udpecho pps HOST PORT SIZE SECS [WINDOW] WINDOW datagrams in flight (32): echoes per second
 *   udpecho serve PORT                       echo every datagram back to its sender
 *
 * The host runs `rtt` and `pps` against ringside's UDP echo and against
 * `serve` in the Linux guest (linux-guest.sh builds this file with gcc -static
 * into the initramfs). Each datagram carries a sequence number; an echo must
 * come back from HOST:PORT with the same length and bytes. Before measuring, a
 * warm-up exchange (up to 5 s) lets ARP and the first packets pass. Output, one
 * line each on stdout:
 *   rtt size=S n=N lost=L p50_us=X p99_us=X mean_us=X min_us=X max_us=X
 *   pps size=S window=W sent=N received=N lost=L bad=B secs=X pps=X mbps=X
 * (mbps counts UDP payload, one way.) A datagram not echoed within 100 ms (rtt)
 * or a window with no echo for 50 ms (pps) counts as lost and is sent again.
 * Exit status 1 when nothing at all is echoed, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAYLOAD 65507

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: udpecho rtt HOST PORT SIZE SECS | pps HOST PORT SIZE SECS [WINDOW] | serve PORT\n");
	exit(2);
}

static long num(const char *s, long lo, long hi)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi) {
		fprintf(stderr, "udpecho: %s: not a number in %ld..%ld\n", s, lo, hi);
		exit(2);
	}
	return v;
}

static int serve(int port)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("udpecho: bind");
		return 1;
	}
	static char buf[65536];
	fprintf(stderr, "udpecho: echoing on UDP port %d\n", port);
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
		if (n >= 0)
			sendto(s, buf, n, 0, (struct sockaddr *)&from, len);
	}
}

static unsigned char *tx, *rx;

static void fill(size_t size)
{
	for (size_t i = 0; i < size; i++)
		tx[i] = (unsigned char)(i * 7 + 3);
}

static size_t payload; /* the datagram size */

/* The sequence number in the first 8 bytes (datagrams shorter than that carry none). */
static void stamp(uint64_t seq)
{
	if (payload >= 8)
		memcpy(tx, &seq, sizeof(seq));
}

/* 1: rx holds the echo of a datagram of this size (any sequence number, returned in *seq). */
static int echo_ok(ssize_t n, size_t size, uint64_t *seq)
{
	if (n != (ssize_t)size)
		return 0;
	if (size >= 8) {
		memcpy(seq, rx, 8);
		return memcmp(rx + 8, tx + 8, size - 8) == 0;
	}
	*seq = 0;
	return memcmp(rx, tx, size) == 0;
}

static int wait_readable(int s, int ms)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	return poll(&p, 1, ms) > 0;
}

/* Until one echo comes back (5 s): ARP, the guest's first packets. */
static int warm_up(int s, size_t size)
{
	double end = now_us() + 5e6;
	uint64_t seq;
	stamp(~0ULL);
	while (now_us() < end) {
		send(s, tx, size, 0);
		if (wait_readable(s, 100)) {
			ssize_t n = recv(s, rx, MAX_PAYLOAD, 0);
			if (echo_ok(n, size, &seq)) {
				while (wait_readable(s, 20)) /* late duplicates of the warm-up */
					recv(s, rx, MAX_PAYLOAD, 0);
				return 1;
			}
		}
	}
	fprintf(stderr, "udpecho: no echo within 5 s\n");
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int rtt(int s, size_t size, double secs)
{
	size_t cap = 1 << 16, n = 0, lost = 0;
	double *v = malloc(cap * sizeof(*v)), sum = 0;
	if (!v)
		return 1;
	double end = now_us() + secs * 1e6;
	uint64_t seq = 0, got;
	while (now_us() < end) {
		stamp(++seq);
		double t0 = now_us();
		send(s, tx, size, 0);
		for (;;) {
			int left = 100 - (int)((now_us() - t0) / 1000);
			if (left <= 0 || !wait_readable(s, left)) {
				lost++;
				break;
			}
			ssize_t r = recv(s, rx, MAX_PAYLOAD, 0);
			if (echo_ok(r, size, &got) && (size < 8 || got == seq)) {
				double t = now_us() - t0;
				if (n == cap) {
					double *w = realloc(v, (cap *= 2) * sizeof(*v));
					if (!w) {
						fprintf(stderr, "udpecho: out of memory\n");
						return 1;
					}
					v = w;
				}
				v[n++] = t;
				sum += t;
				break;
			}
		}
	}
	if (!n) {
		fprintf(stderr, "udpecho: no echo in %g s\n", secs);
		return 1;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	printf("rtt size=%zu n=%zu lost=%zu p50_us=%.1f p99_us=%.1f mean_us=%.1f min_us=%.1f max_us=%.1f\n",
	       size, n, lost, v[n / 2], v[(size_t)(n * 0.99)], sum / n, v[0], v[n - 1]);
	return 0;
}

static int pps(int s, size_t size, double secs, int window)
{
	uint64_t seq = 0, got;
	size_t sent = 0, received = 0, lost = 0, bad = 0;
	int outstanding = 0;
	double t0 = now_us(), end = t0 + secs * 1e6, t;
	while ((t = now_us()) < end) {
		while (outstanding < window) {
			stamp(++seq);
			if (send(s, tx, size, 0) < 0)
				break;
			sent++;
			outstanding++;
		}
		if (!wait_readable(s, 50)) {
			lost += outstanding; /* the window died: start it again */
			outstanding = 0;
			continue;
		}
		ssize_t r;
		while ((r = recv(s, rx, MAX_PAYLOAD, MSG_DONTWAIT)) >= 0) {
			if (echo_ok(r, size, &got))
				received++;
			else
				bad++;
			if (outstanding)
				outstanding--;
		}
	}
	double el = (now_us() - t0) / 1e6;
	if (!received) {
		fprintf(stderr, "udpecho: no echo in %g s\n", secs);
		return 1;
	}
	printf("pps size=%zu window=%d sent=%zu received=%zu lost=%zu bad=%zu secs=%.3f pps=%.0f mbps=%.2f\n",
	       size, window, sent, received, lost, bad, el, received / el, received * size * 8 / el / 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return serve((int)num(argv[2], 1, 65535));
	if (argc < 6 || (strcmp(argv[1], "rtt") && strcmp(argv[1], "pps")) || argc > 7 ||
	    (argc == 7 && strcmp(argv[1], "pps")))
		usage();
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((int)num(argv[3], 1, 65535)) };
	if (inet_pton(AF_INET, argv[2], &a.sin_addr) != 1) {
		fprintf(stderr, "udpecho: %s: not an IPv4 address\n", argv[2]);
		return 2;
	}
	/* 1 at least: an empty datagram makes QEMU 7.2's dgram netdev stop receiving */
	size_t size = (size_t)num(argv[4], 1, MAX_PAYLOAD);
	double secs = (double)num(argv[5], 1, 3600);
	int window = argc == 7 ? (int)num(argv[6], 1, 4096) : 32;
	tx = malloc(MAX_PAYLOAD);
	rx = malloc(MAX_PAYLOAD);
	payload = size;
	fill(size);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	int big = 4 << 20;
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("udpecho: connect");
		return 1;
	}
	if (!warm_up(s, size))
		return 1;
	return argv[1][0] == 'r' ? rtt(s, size, secs) : pps(s, size, secs, window);
}
