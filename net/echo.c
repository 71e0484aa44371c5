/* echo.c - the UDP echo service (RFC 862 "UDP Based Echo Service"): each datagram goes back as it came. */
#include "net/echo.h"
#include "net/udp.h"

static void echo_recv(const struct udp_rx *rx, void *arg)
{
	/* Never answer a broadcast, or another echo server: two of them would
	 * bounce one datagram between each other forever. */
	if (rx->bcast || rx->sport == ECHO_PORT)
		return;
	udp_reply(rx, rx->data, rx->len); /* zero-copy: the payload is the received frame's */
}

int echo_start(void) { return udp_bind(ECHO_PORT, echo_recv, 0); }
