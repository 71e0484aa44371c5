/* tftpd.h - the TFTP server: `disk` is blk0, `disk1` blk1, ... (docs/interface.md, Network services). */
#ifndef APPS_TFTPD_H
#define APPS_TFTPD_H
#include <stdint.h>

struct tftpd_stats {
	uint64_t requests, reads, writes, blocks_sent, retransmits, errors_sent, bad_packets;
	uint64_t late_packets; /* for a session that has ended but still waits for its disk */
	uint64_t refused;      /* requests turned away: the server, or that client, had enough */
};
extern struct tftpd_stats tftpd_stats;

int tftpd_start(void); /* binds UDP port 69; 0 or a negative errno */
#endif
