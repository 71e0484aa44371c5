/* tftpd.c - TFTP (RFC 1350, options of RFCs 2347-2349) serving the virtio-blk disks: a packet comes in on
 * one ring, block requests go out on another, and the data goes back out on the first. */
#include "apps/tftpd.h"
#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_blk.h"
#include "kernel/log.h"
#include "kernel/poll.h"
#include "kernel/time.h"
#include "net/netif.h"
#include "net/udp.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* RFC 1350 §5: opcodes and error codes. */
enum { OP_RRQ = 1, OP_WRQ, OP_DATA, OP_ACK, OP_ERROR, OP_OACK };
enum { E_UNDEF, E_NOTFOUND, E_ACCESS, E_DISKFULL, E_BADOP, E_BADTID, E_EXISTS, E_NOUSER, E_OPTION };

#define TFTP_PORT    69
#define MAX_SESSIONS 4
#define CHUNK        (64u * 1024) /* one block-layer request */
#define NCHUNKS      4            /* of them in flight at once, each way */
#define MAX_BLKSIZE  65464        /* RFC 2348: the largest block a UDP datagram carries */
#define RETRIES      5

struct chunk {
	struct blk_req req;
	struct session *s;
	uint8_t *buf;
	uint64_t off; /* byte offset on the disk */
	uint32_t len;
	volatile bool busy, ready; /* on the ring; read and usable */
};

struct session {
	bool used, writing, finishing;
	struct virtio_dev *disk;
	struct blk_info info;
	struct netif *nif;
	uint32_t peer;
	uint16_t peer_port, port;
	uint32_t blksize, timeout_s;
	uint64_t size;  /* read: the disk; write: bytes received so far */
	uint64_t block; /* read: last block sent; write: last block acknowledged (no wrap) */
	uint64_t deadline;
	int retries;
	int error; /* first block-layer error */
	uint8_t pkt[4 + MAX_BLKSIZE];
	size_t pkt_len;    /* the last packet sent, to resend */
	bool oack_pending; /* read: OACK sent, waiting for ACK 0 */
	bool waiting;      /* read: the next block's bytes are still on their way from the disk */
	struct chunk ch[NCHUNKS];
	/* write: bytes gathered for the next chunk */
	uint8_t *wbuf;
	uint32_t wfill;
	uint64_t woff;
};

static struct session sessions[MAX_SESSIONS];
static uint16_t next_port = 50000;
struct tftpd_stats tftpd_stats;

static void send_pkt(struct session *s)
{
	udp_send(s->nif, s->port, s->peer, s->peer_port, s->pkt, s->pkt_len);
	s->deadline = now_ns() + (uint64_t)s->timeout_s * 1000000000ull;
}

static void send_error_to(struct netif *nif, uint16_t sport, uint32_t ip, uint16_t port, int code,
			  const char *msg)
{
	uint8_t p[128];
	size_t n = strlen(msg);
	if (n > sizeof p - 5)
		n = sizeof p - 5;
	p[0] = 0, p[1] = OP_ERROR, p[2] = 0, p[3] = (uint8_t)code;
	memcpy(p + 4, msg, n);
	p[4 + n] = 0;
	udp_send(nif, sport, ip, port, p, n + 5);
	tftpd_stats.errors_sent++;
}

static void end_session(struct session *s)
{
	/* chunks still on a ring keep their buffers until they come back */
	for (int i = 0; i < NCHUNKS; i++) {
		if (s->ch[i].busy)
			return; /* chunk_done finishes the job */
		blk_buf_free(s->disk, s->ch[i].buf, CHUNK);
		s->ch[i].buf = NULL;
	}
	free(s->wbuf);
	s->wbuf = NULL;
	udp_unbind(s->port);
	s->used = false;
}

static void fail(struct session *s, int code, const char *msg)
{
	send_error_to(s->nif, s->port, s->peer, s->peer_port, code, msg);
	log_info("tftpd: transfer with %u.%u.%u.%u:%u ended: %s\n", s->peer >> 24, (s->peer >> 16) & 255,
		 (s->peer >> 8) & 255, s->peer & 255, s->peer_port, msg);
	s->finishing = true;
	end_session(s);
}

/* -- reading the disk: chunks read ahead of the block being sent -------------- */

static void chunk_done(struct blk_req *r, int status)
{
	struct chunk *c = (struct chunk *)r;
	struct session *s = c->s;
	c->busy = false;
	if (status && !s->error)
		s->error = status;
	c->ready = !status;
	if (s->finishing)
		end_session(s);
	else
		poll_kick();
}

static void read_ahead(struct session *s)
{
	if (s->block * s->blksize >= s->size)
		return; /* everything left to send is read already */
	for (int i = 0; i < NCHUNKS; i++) {
		struct chunk *c = &s->ch[i];
		if (c->busy || c->ready)
			continue;
		/* the next chunk past the highest one held */
		uint64_t off = (s->block * s->blksize) / CHUNK * CHUNK;
		for (int j = 0; j < NCHUNKS; j++)
			if ((s->ch[j].busy || s->ch[j].ready) && s->ch[j].off + CHUNK > off)
				off = s->ch[j].off + CHUNK;
		if (off >= s->size)
			return;
		c->off = off;
		c->len = (uint32_t)(s->size - off < CHUNK ? s->size - off : CHUNK);
		c->req = (struct blk_req){ .op = BLK_READ,
					   .sector = off / 512,
					   .count = (c->len + 511) / 512,
					   .buf = c->buf,
					   .done = chunk_done };
		c->busy = true;
		if (blk_submit(s->disk, &c->req)) {
			c->busy = false;
			s->error = -EIO;
			return;
		}
	}
}

/* Copy [off, off+len) out of the chunks; false if some of it is not read yet. */
static bool gather(struct session *s, uint64_t off, uint32_t len, uint8_t *out)
{
	while (len) {
		int i;
		for (i = 0; i < NCHUNKS; i++)
			if (s->ch[i].ready && off >= s->ch[i].off && off < s->ch[i].off + s->ch[i].len)
				break;
		if (i == NCHUNKS)
			return false;
		struct chunk *c = &s->ch[i];
		uint32_t n = (uint32_t)(c->off + c->len - off);
		if (n > len)
			n = len;
		memcpy(out, c->buf + (off - c->off), n);
		out += n, off += n, len -= n;
	}
	return true;
}

/* Chunks wholly before the next block are done with: free them for read-ahead. */
static void retire(struct session *s)
{
	uint64_t next = s->block * s->blksize;
	for (int i = 0; i < NCHUNKS; i++)
		if (s->ch[i].ready && s->ch[i].off + s->ch[i].len <= next)
			s->ch[i].ready = false;
}

/* Send block s->block + 1 if its bytes are here, else wait for its chunk.
 * Block numbers wrap at 65535 to 0, as tftp-hpa does; the session counts
 * without wrapping. A read ends with a block shorter than blksize, empty
 * if the size is a multiple of it (RFC 1350 §6). */
static void send_next(struct session *s)
{
	uint64_t n = s->block + 1, off = s->block * s->blksize;
	uint32_t len =
		off >= s->size ? 0 : (uint32_t)(s->size - off < s->blksize ? s->size - off : s->blksize);
	if (s->error) {
		fail(s, E_UNDEF, "disk read error");
		return;
	}
	retire(s);
	read_ahead(s);
	s->waiting = !gather(s, off, len, s->pkt + 4);
	if (s->waiting)
		return;
	s->pkt[0] = 0, s->pkt[1] = OP_DATA, s->pkt[2] = (uint8_t)(n >> 8), s->pkt[3] = (uint8_t)n;
	s->pkt_len = 4 + len;
	s->retries = 0;
	send_pkt(s);
	tftpd_stats.blocks_sent++;
}

static void on_ack(struct session *s, uint16_t block)
{
	if (s->oack_pending) {
		if (block != 0)
			return;
		s->oack_pending = false;
		send_next(s);
		return;
	}
	if (block != (uint16_t)(s->block + 1) || s->waiting)
		return; /* a duplicate or an old ACK: ignore it (RFC 1350; no sorcerer's apprentice) */
	s->block++;
	if (s->block == s->size / s->blksize + 1) {
		log_info("tftpd: sent %llu bytes in %llu blocks\n", (unsigned long long)s->size,
			 (unsigned long long)s->block);
		tftpd_stats.reads++;
		s->finishing = true;
		end_session(s);
		return;
	}
	send_next(s);
}

/* -- writing the disk ------------------------------------------------------------ */

static struct chunk *free_chunk(struct session *s)
{
	for (int i = 0; i < NCHUNKS; i++)
		if (!s->ch[i].busy)
			return &s->ch[i];
	return NULL;
}

static bool writes_done(void *arg)
{
	struct session *s = arg;
	for (int i = 0; i < NCHUNKS; i++)
		if (s->ch[i].busy)
			return false;
	return true;
}

/* Write the gathered bytes: whole sectors; a last partial sector is read,
 * merged and written whole. */
static int flush_wbuf(struct session *s, bool last)
{
	uint32_t whole = s->wfill / 512 * 512, tail = s->wfill - whole;
	if (tail && !last)
		return 0; /* the caller only flushes full chunks before the end */
	if (tail) {
		uint8_t sector[512];
		int r = blk_io(s->disk, BLK_READ, (s->woff + whole) / 512, 1, sector);
		if (r)
			return r;
		memcpy(s->wbuf + whole + tail, sector + tail, 512 - tail);
		whole += 512;
	}
	if (!whole)
		return 0;
	struct chunk *c;
	while (!(c = free_chunk(s)))
		kwait(writes_done, s, 0); /* all NCHUNKS on the ring: wait for one */
	if (s->error)
		return s->error;
	memcpy(c->buf, s->wbuf, whole);
	c->off = s->woff;
	c->len = whole;
	c->ready = false;
	c->req = (struct blk_req){ .op = BLK_WRITE,
				   .sector = s->woff / 512,
				   .count = whole / 512,
				   .buf = c->buf,
				   .done = chunk_done };
	c->busy = true;
	int r = blk_submit(s->disk, &c->req);
	if (r)
		c->busy = false;
	s->woff += whole;
	s->wfill = 0;
	return r;
}

static void send_ack(struct session *s, uint16_t block)
{
	s->pkt[0] = 0, s->pkt[1] = OP_ACK, s->pkt[2] = (uint8_t)(block >> 8), s->pkt[3] = (uint8_t)block;
	s->pkt_len = 4;
	s->retries = 0;
	send_pkt(s);
}

static void on_data(struct session *s, uint16_t block, const uint8_t *data, size_t len)
{
	if (block == (uint16_t)s->block) { /* our ACK was lost: say it again */
		send_pkt(s);
		return;
	}
	if (block != (uint16_t)(s->block + 1) || len > s->blksize)
		return;
	if (s->size + len > s->info.capacity * 512) {
		fail(s, E_DISKFULL, "disk full: the write runs past the end of the disk");
		return;
	}
	uint32_t room = CHUNK - s->wfill;
	uint32_t n = len < room ? (uint32_t)len : room;
	memcpy(s->wbuf + s->wfill, data, n);
	s->wfill += n;
	if (s->wfill == CHUNK && flush_wbuf(s, false))
		goto io_error;
	if (n < len) {
		memcpy(s->wbuf, data + n, len - n);
		s->wfill = (uint32_t)(len - n);
	}
	s->size += len;
	s->block++;
	if (len < s->blksize) { /* the last block: everything on disk, flushed, then the final ACK */
		if (flush_wbuf(s, true))
			goto io_error;
		kwait(writes_done, s, 0);
		if (s->error || (s->info.flush && blk_io(s->disk, BLK_FLUSH, 0, 0, NULL)))
			goto io_error;
		send_ack(s, block);
		log_info("tftpd: received %llu bytes in %llu blocks\n", (unsigned long long)s->size,
			 (unsigned long long)s->block);
		tftpd_stats.writes++;
		s->finishing = true;
		end_session(s);
		return;
	}
	send_ack(s, block);
	return;
io_error:
	fail(s, E_UNDEF, "disk write error");
}

/* -- requests ---------------------------------------------------------------------- */

static void session_rx(const struct udp_rx *rx, void *arg)
{
	struct session *s = arg;
	const uint8_t *p = rx->data;
	if (rx->src != s->peer || rx->sport != s->peer_port) { /* RFC 1350 §4: wrong TID */
		send_error_to(rx->nif, s->port, rx->src, rx->sport, E_BADTID, "unknown transfer ID");
		return;
	}
	if (rx->len < 4) {
		tftpd_stats.bad_packets++;
		return;
	}
	uint16_t op = (uint16_t)(p[0] << 8 | p[1]), block = (uint16_t)(p[2] << 8 | p[3]);
	if (op == OP_ACK && !s->writing)
		on_ack(s, block);
	else if (op == OP_DATA && s->writing)
		on_data(s, block, p + 4, rx->len - 4);
	else if (op == OP_ERROR) {
		s->finishing = true;
		end_session(s);
	} else
		fail(s, E_BADOP, "illegal TFTP operation");
}

/* RFC 2347: "opt\0value\0" pairs after the mode; those we take go in the OACK. */
static int parse_options(struct session *s, const char *p, const char *end, bool *tsize, uint64_t *tsize_v,
			 bool *blk, bool *tmo)
{
	while (p < end) {
		const char *name = p, *val = name + strnlen(name, (size_t)(end - name)) + 1;
		if (val >= end)
			return -EINVAL;
		const char *next = val + strnlen(val, (size_t)(end - val)) + 1;
		if (next > end)
			return -EINVAL;
		char *e;
		unsigned long long v = strtoull(val, &e, 10);
		bool num = *val >= '0' && *val <= '9' && *e == 0;
		if (!strcasecmp(name, "blksize")) {
			if (!num || v < 8 || v > 65464) /* RFC 2348 */
				return -EINVAL;
			/* What the client asks, as tftp-hpa grants it: a client that wants
			 * no IP fragments asks for a block that fits its MTU (1468 for
			 * 1500); a larger one goes out as fragments, which saves a
			 * lock-step round trip per frame. */
			s->blksize = v > MAX_BLKSIZE ? MAX_BLKSIZE : (uint32_t)v;
			*blk = true;
		} else if (!strcasecmp(name, "timeout")) {
			if (!num || v < 1 || v > 255) /* RFC 2349 */
				return -EINVAL;
			s->timeout_s = (uint32_t)v;
			*tmo = true;
		} else if (!strcasecmp(name, "tsize")) {
			if (!num)
				return -EINVAL;
			*tsize = true;
			*tsize_v = v;
		} /* unknown options are left out of the OACK (RFC 2347) */
		p = next;
	}
	return 0;
}

static struct virtio_dev *disk_for(const char *name)
{
	if (strncmp(name, "disk", 4))
		return NULL;
	if (!name[4])
		return blk_nth(0);
	char *e;
	unsigned long n = strtoul(name + 4, &e, 10);
	if (*e || name[4] < '1' || name[4] > '9')
		return NULL;
	return blk_nth((int)n);
}

static void request(const struct udp_rx *rx, void *arg)
{
	const char *p = rx->data, *end = p + rx->len;
	(void)arg;
	if (rx->len < 4) {
		tftpd_stats.bad_packets++;
		return;
	}
	uint16_t op = (uint16_t)((uint8_t)p[0] << 8 | (uint8_t)p[1]);
	if (op != OP_RRQ && op != OP_WRQ) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_BADOP, "illegal TFTP operation");
		return;
	}
	const char *file = p + 2, *mode = file + strnlen(file, (size_t)(end - file)) + 1;
	const char *opts = mode < end ? mode + strnlen(mode, (size_t)(end - mode)) + 1 : end + 1;
	if (mode >= end || opts > end) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_UNDEF, "malformed request");
		return;
	}
	if (strcasecmp(mode, "octet")) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_UNDEF, "only octet mode is served");
		return;
	}
	struct virtio_dev *disk = disk_for(file);
	if (!disk) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_NOTFOUND, "file not found");
		return;
	}
	struct session *s = NULL;
	for (int i = 0; i < MAX_SESSIONS && !s; i++)
		if (!sessions[i].used)
			s = &sessions[i];
	if (!s) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_UNDEF, "server busy");
		return;
	}
	memset(s, 0, sizeof *s);
	s->disk = disk;
	blk_get_info(disk, &s->info);
	s->nif = rx->nif;
	s->peer = rx->src;
	s->peer_port = rx->sport;
	s->blksize = 512;
	s->timeout_s = 1;
	s->writing = op == OP_WRQ;
	bool tsize = false, blk = false, tmo = false;
	uint64_t tsize_v = 0;
	if (parse_options(s, opts, end, &tsize, &tsize_v, &blk, &tmo)) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_OPTION,
			      "option value cannot be honoured");
		return;
	}
	if (s->writing && s->info.ro) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_ACCESS, "disk is read-only");
		return;
	}
	if (s->writing && tsize && tsize_v > s->info.capacity * 512) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_DISKFULL, "disk full");
		return;
	}
	/* a transfer ID of our own: a port for this transfer alone */
	for (int tries = 0; tries < 1000; tries++) {
		s->port = next_port++;
		if (next_port < 50000)
			next_port = 50000;
		if (udp_bind(s->port, session_rx, s) == 0)
			break;
		s->port = 0;
	}
	bool ok = s->port != 0;
	/* the disk's pre-mapped buffers where it has room (no mapping per request) */
	for (int i = 0; ok && i < NCHUNKS; i++)
		ok = (s->ch[i].buf = blk_buf_alloc(disk, CHUNK)) != NULL;
	if (ok && s->writing)
		ok = (s->wbuf = malloc(CHUNK)) != NULL; /* gathers; the chunks go to the disk */
	if (!ok) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_UNDEF, "out of memory");
		for (int i = 0; i < NCHUNKS; i++)
			blk_buf_free(disk, s->ch[i].buf, CHUNK);
		free(s->wbuf);
		if (s->port)
			udp_unbind(s->port);
		return;
	}
	for (int i = 0; i < NCHUNKS; i++)
		s->ch[i].s = s;
	s->used = true;
	s->size = s->writing ? 0 : s->info.capacity * 512;
	if (tsize || blk || tmo) { /* RFC 2347: the options we took, in an OACK */
		size_t n = 2;
		s->pkt[0] = 0, s->pkt[1] = OP_OACK;
		if (blk)
			n += (size_t)snprintf((char *)s->pkt + n, sizeof s->pkt - n, "blksize%c%u", 0,
					      s->blksize) +
			     1;
		if (tmo)
			n += (size_t)snprintf((char *)s->pkt + n, sizeof s->pkt - n, "timeout%c%u", 0,
					      s->timeout_s) +
			     1;
		if (tsize)
			n += (size_t)snprintf((char *)s->pkt + n, sizeof s->pkt - n, "tsize%c%llu", 0,
					      (unsigned long long)(s->writing ? tsize_v : s->size)) +
			     1;
		s->pkt_len = n;
		s->oack_pending = !s->writing;
		send_pkt(s);
		if (!s->writing)
			read_ahead(s);
	} else if (s->writing) {
		send_ack(s, 0);
	} else {
		send_next(s);
	}
	tftpd_stats.requests++;
	log_info("tftpd: %s '%s' for %u.%u.%u.%u:%u, blksize %u\n", s->writing ? "write" : "read", file,
		 s->peer >> 24, (s->peer >> 16) & 255, (s->peer >> 8) & 255, s->peer & 255, s->peer_port,
		 s->blksize);
}

/* Timeouts, and reads whose chunk has arrived since the last packet. */
static int tftpd_poll(void *arg)
{
	(void)arg;
	uint64_t now = now_ns();
	int work = 0;
	for (int i = 0; i < MAX_SESSIONS; i++) {
		struct session *s = &sessions[i];
		if (!s->used || s->finishing)
			continue;
		if (s->waiting) {
			send_next(s);
			work += !s->waiting;
		}
		if (s->used && !s->finishing && !s->waiting && s->pkt_len && now > s->deadline) {
			if (++s->retries > RETRIES) {
				fail(s, E_UNDEF, "timed out");
				continue;
			}
			tftpd_stats.retransmits++;
			udp_send(s->nif, s->port, s->peer, s->peer_port, s->pkt, s->pkt_len);
			s->deadline = now + (uint64_t)s->timeout_s * 1000000000ull;
			work++;
		}
	}
	return work;
}

int tftpd_start(void)
{
	int r = udp_bind(TFTP_PORT, request, NULL);
	if (r)
		return r;
	poll_register(tftpd_poll, NULL, "tftpd");
	return 0;
}
