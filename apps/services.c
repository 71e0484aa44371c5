/* services.c - bring the network up as the command line says, then start the services on it. */
#include "apps/services.h"
#include "apps/tftpd.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/poll.h"
#include "net/dhcp.h"
#include "net/echo.h"
#include "net/netif.h"

#define DHCP_WAIT_NS (3ull * 1000000000) /* docs/interface.md: the ready line comes after 3 s at most */

static bool has_address(void *arg) { return ((struct netif *)arg)->ip != 0; }

static void announce(void *arg) { netif_announce(arg); }

void services_start(void)
{
	struct netif *nif = netif_default();
	poll_register(net_poll, NULL, "net"); /* ARP, reassembly and DHCP timers */
	if (!nif) {
		log_info("net: no network interface\n");
		return;
	}
	if (kconfig.dhcp) {
		dhcp_start(nif);
		if (!kwait(has_address, nif, DHCP_WAIT_NS))
			log_info("net: %s: no DHCP answer within 3 s; still trying in the background\n",
				 nif->name);
	} else {
		/* Announced from the main loop, just after the ready line: the
		 * address answers ARP at once, and the boot does not wait for
		 * QEMU to take two frames (about 0.9 ms under TCG). */
		netif_config(nif, kconfig.ip, kconfig.prefix, kconfig.gw);
		poll_toplevel(announce, nif);
	}
	if (nif->ip)
		log_info("net: %s: %u.%u.%u.%u/%d gw %u.%u.%u.%u\n", nif->name, nif->ip >> 24,
			 (nif->ip >> 16) & 255, (nif->ip >> 8) & 255, nif->ip & 255, netif_prefix(nif),
			 nif->gw >> 24, (nif->gw >> 16) & 255, (nif->gw >> 8) & 255, nif->gw & 255);
	int r = echo_start();
	if (r)
		log_err("net: UDP echo on port 7 did not start (%d)\n", r);
	r = tftpd_start();
	if (r)
		log_err("net: TFTP on port 69 did not start (%d)\n", r);
}
