/* net_input_fuzz.c - libFuzzer: arbitrary frames into net_input, with time passing between them. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Kernel logging, on the host: swallowed (the fuzzer runs millions of frames). */
static int kprintf(const char *fmt, ...) { return 0; }
#define KERNEL_LOG_H
#define log_info(...) kprintf(__VA_ARGS__)
#define log_warn(...) kprintf(__VA_ARGS__)
#define log_err(...)  kprintf(__VA_ARGS__)

#include "net/arp.c"
#include "net/dhcp.c"
#include "net/echo.c"
#include "net/icmp.c"
#include "net/ip.c"
#include "net/netif.c"
#include "net/udp.c"

static uint64_t fake_now;
uint64_t now_ns(void) { return fake_now; }

static volatile uint8_t sink;

/* Reads every byte the stack hands the device, so the sanitizers see each one. */
static int fuzz_xmit(struct netif *n, const struct net_tx *tx)
{
	uint8_t x = 0;
	for (size_t i = 0; i < tx->hdr_len; i++)
		x ^= tx->hdr[i];
	for (size_t i = 0; i < tx->payload_len; i++)
		x ^= ((const uint8_t *)tx->payload)[i];
	sink = x;
	return 0;
}

static void fuzz_udp(const struct udp_rx *rx, void *arg)
{
	uint8_t x = 0;
	for (size_t i = 0; i < rx->len; i++)
		x ^= ((const uint8_t *)rx->data)[i];
	sink = x;
}

static void fuzz_pong(uint32_t from, uint16_t seq, uint64_t rtt_ns, void *arg) { sink = (uint8_t)seq; }

static struct netif nif;

/* The input: one byte of setup, then frames as [length: 2 bytes big-endian][ticks: 1 byte][frame].
 * Setup bits: 1 DHCP instead of a static address, 2 a ping in flight, 4 checksum offload,
 * 8 the device vouches for received checksums, 16 a small MTU. Each tick is 100 ms. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	if (size < 1)
		return 0;
	uint8_t setup = data[0];
	data++, size--;

	fake_now = 1000000000000ull;
	memset(&nif, 0, sizeof nif);
	strcpy(nif.name, "net0");
	memcpy(nif.mac, mac, 6);
	nif.mtu = setup & 16 ? 576 : 1500;
	nif.features = setup & 4 ? NETIF_F_TX_CSUM : 0;
	nif.xmit = fuzz_xmit;
	netif_add(&nif);
	echo_start();
	udp_bind(9, fuzz_udp, 0);
	if (setup & 1)
		dhcp_start(&nif);
	else
		netif_set_addr(&nif, 0x0a00020f, 24, 0x0a000202);
	if (setup & 2) {
		icmp_ping_open(fuzz_pong, 0);
		icmp_ping_send(&nif, 0x0a000202, 1, 56);
	}

	while (size >= 3) {
		size_t len = (size_t)data[0] << 8 | data[1];
		uint8_t ticks = data[2];
		data += 3, size -= 3;
		if (len > size)
			len = size;
		uint8_t *frame = malloc(len ? len : 1); /* its own allocation: reading past it is caught */
		memcpy(frame, data, len);
		net_input_flags(&nif, frame, len, setup & 8 ? NET_RX_CSUM_OK : 0);
		free(frame);
		data += len, size -= len;
		fake_now += ticks * 100000000ull;
		net_tick(fake_now);
	}
	icmp_ping_close();
	udp_unbind(9);
	udp_unbind(ECHO_PORT);
	netif_remove(&nif);
	return 0;
}
