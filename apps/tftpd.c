/* tftpd.c - TFTP (RFC 1350, options of RFCs 2347-2349) serving the block devices: a packet comes in on one
 * ring, block requests go out on another, and the data goes back out on the first. */
#include "apps/tftpd.h"
#include "block/blkdev.h"
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

/*
 * Every session is a state machine driven by two kinds of completion, and
 * nothing in it ever waits:
 *
 *   a packet from the client (session_rx)     a block request done (chunk_done, aux_done)
 *        |                                          |
 *        v                                          v
 *   read:  ACK n   -> send DATA n+1 if its bytes are read, else mark waiting;
 *                     read ahead                    chunk read -> send the DATA that waited
 *   write: DATA n  -> gather; a full chunk goes     chunk written -> the gathered bytes that
 *                     to the disk; ACK n, or mark      waited for a free chunk go; their ACK;
 *                     waiting if no chunk is free      at the end: flush, then the final ACK
 *
 * A session that ends (done, failed, or aborted by the client) first lets
 * its requests come back: it stays FINISHING, dropping and counting what
 * the client still sends, and is freed by the last completion.
 */

/* RFC 1350 §5: opcodes and error codes. */
enum { OP_RRQ = 1, OP_WRQ, OP_DATA, OP_ACK, OP_ERROR, OP_OACK };
enum { E_UNDEF, E_NOTFOUND, E_ACCESS, E_DISKFULL, E_BADOP, E_BADTID, E_EXISTS, E_NOUSER, E_OPTION };

#define TFTP_PORT     69
#define MAX_SESSIONS  4
#define PER_CLIENT    2            /* sessions one address may hold at once */
#define CHUNK         (64u * 1024) /* one block-layer request */
#define NCHUNKS       4            /* of them in flight at once, each way */
#define MAX_BLKSIZE   65464        /* RFC 2348: the largest block a UDP datagram carries */
#define PKT_BYTES     (4 + MAX_BLKSIZE)
#define MAX_TIMEOUT   10 /* seconds: a larger timeout option is not taken (RFC 2349 allows 255) */
#define RETRIES       5  /* retransmissions once the client has answered */
#define FIRST_RETRIES 1  /* before it has: a spoofed request draws two packets, no more */
#define LIFETIME_NS   (30ull * 60 * 1000000000) /* a session's whole life */

enum state { S_FREE, S_READING, S_WRITING, S_FINISHING };
/* A write's end: the last partial sector read and merged, then the flush. */
enum wend { W_DATA, W_TAIL_READ, W_TAIL_MERGED, W_FLUSH, W_FLUSHED };

struct session;
struct chunk {
	struct blk_req req; /* first: a completion gets its chunk back from the request */
	struct session *s;
	uint8_t *buf; /* CHUNK bytes from the disk's buffer pool */
	uint64_t off; /* byte offset on the disk */
	uint32_t len;
	bool busy, ready; /* with the disk; read: holds [off, off + len) */
};

struct session {
	enum state state;
	bool writing;
	struct blkdev *disk;
	struct netif *nif;
	uint32_t peer;
	uint16_t peer_port, port;
	uint32_t blksize, timeout_s;
	uint64_t size;  /* read: the disk; write: bytes received so far */
	uint64_t block; /* read: last block sent; write: last block taken (no wrap) */
	uint64_t deadline, started;
	int retries;
	bool answered;     /* the client has sent something that moved the transfer */
	int error;         /* first block-layer error */
	unsigned inflight; /* requests with the disk */
	uint8_t *pkt;      /* PKT_BYTES, from the heap while the session lives: the image
			    * stays small, and what the boot touches with it (mm.c) */
	size_t pkt_len;    /* the last packet sent, to resend */
	bool oack_pending; /* read: OACK sent, waiting for ACK 0 */
	bool waiting;      /* the next packet to send waits for the disk */
	struct chunk ch[NCHUNKS];
	/* write: bytes gathered for the next chunk, and how the end goes */
	uint8_t *wbuf; /* CHUNK + MAX_BLKSIZE: a block that overflows a chunk waits here */
	uint32_t wfill;
	uint64_t woff; /* disk offset of wbuf[0] */
	bool last;     /* the short block that ends the transfer has come */
	enum wend wend;
	struct blk_req aux; /* the tail sector's read, the flush */
	uint8_t tail[512];
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

/* Nothing of the session is with the disk any more: give everything back. */
static void free_session(struct session *s)
{
	for (int i = 0; i < NCHUNKS; i++) {
		blk_buf_free(s->disk, s->ch[i].buf, CHUNK);
		s->ch[i].buf = NULL;
		s->ch[i].ready = false;
	}
	free(s->wbuf);
	s->wbuf = NULL;
	free(s->pkt);
	s->pkt = NULL;
	udp_unbind(s->port);
	s->state = S_FREE;
}

/* The transfer is over: free it now, or when its last request comes back. */
static void end_session(struct session *s)
{
	s->state = S_FINISHING;
	s->waiting = false;
	if (!s->inflight)
		free_session(s);
}

static void fail(struct session *s, int code, const char *msg)
{
	send_error_to(s->nif, s->port, s->peer, s->peer_port, code, msg);
	log_info("tftpd: transfer with %u.%u.%u.%u:%u ended: %s\n", s->peer >> 24, (s->peer >> 16) & 255,
		 (s->peer >> 8) & 255, s->peer & 255, s->peer_port, msg);
	end_session(s);
}

/* Every completion starts here: true if the session is ending and this
 * was its last request (then it is freed and must not be touched). */
static bool request_back(struct session *s, int status)
{
	s->inflight--;
	if (status && !s->error)
		s->error = status;
	if (s->state != S_FINISHING)
		return false;
	if (!s->inflight)
		free_session(s);
	return true;
}

static int submit(struct session *s, struct blk_req *r)
{
	int e = blk_submit(s->disk, r);
	if (e) {
		if (!s->error)
			s->error = e;
		return e;
	}
	s->inflight++;
	return 0;
}

/* -- reading the disk: chunks read ahead of the block being sent -------------- */

static void send_next(struct session *s);

static void chunk_read(struct blk_req *r, int status)
{
	struct chunk *c = (struct chunk *)r;
	struct session *s = c->s;
	c->busy = false;
	c->ready = !status;
	if (request_back(s, status))
		return;
	if (s->waiting) /* the DATA this chunk holds was asked for already */
		send_next(s);
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
					   .done = chunk_read };
		if (submit(s, &c->req))
			return;
		c->busy = true;
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

/* Send block s->block + 1 if its bytes are here, else leave it to the chunk
 * that brings them. Block numbers wrap at 65535 to 0, as tftp-hpa does; the
 * session counts without wrapping. A read ends with a block shorter than
 * blksize, empty if the size is a multiple of it (RFC 1350 §6). */
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
	if (s->waiting) {
		if (!s->inflight) /* nothing on its way that could bring it */
			fail(s, E_UNDEF, "disk read error");
		return;
	}
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
		s->answered = true;
		s->oack_pending = false;
		send_next(s);
		return;
	}
	if (block != (uint16_t)(s->block + 1) || s->waiting)
		return; /* a duplicate or an old ACK: ignore it (RFC 1350; no sorcerer's apprentice) */
	s->answered = true;
	s->block++;
	if (s->block == s->size / s->blksize + 1) {
		log_info("tftpd: sent %llu bytes in %llu blocks\n", (unsigned long long)s->size,
			 (unsigned long long)s->block);
		tftpd_stats.reads++;
		end_session(s);
		return;
	}
	send_next(s);
}

/* -- writing the disk ------------------------------------------------------------ */

static void send_ack(struct session *s, uint16_t block)
{
	s->pkt[0] = 0, s->pkt[1] = OP_ACK, s->pkt[2] = (uint8_t)(block >> 8), s->pkt[3] = (uint8_t)block;
	s->pkt_len = 4;
	s->retries = 0;
	send_pkt(s);
}

static struct chunk *free_chunk(struct session *s)
{
	for (int i = 0; i < NCHUNKS; i++)
		if (!s->ch[i].busy)
			return &s->ch[i];
	return NULL;
}

static void write_more(struct session *s);

static void chunk_written(struct blk_req *r, int status)
{
	struct chunk *c = (struct chunk *)r;
	struct session *s = c->s;
	c->busy = false;
	if (!request_back(s, status))
		write_more(s);
}

/* The tail sector's read, and the flush. */
static void aux_done(struct blk_req *r, int status)
{
	struct session *s = r->arg;
	if (request_back(s, status))
		return;
	if (s->wend == W_TAIL_READ) { /* the sector's old bytes after the client's last ones */
		memcpy(s->wbuf + s->wfill, s->tail + s->wfill, 512 - s->wfill);
		s->wfill = 512;
		s->wend = W_TAIL_MERGED;
	} else if (s->wend == W_FLUSH) {
		s->wend = W_FLUSHED;
	}
	write_more(s);
}

/* Take the write as far as the disk lets it now: whole chunks (and at the
 * end whole sectors) go to the disk while a chunk is free; a partial last
 * sector is read, merged and written whole; when all of it is written, the
 * flush; then the final ACK. Each step that must wait for the disk returns,
 * and the completion calls this again. */
static void write_more(struct session *s)
{
	if (s->error) {
		fail(s, E_UNDEF, "disk write error");
		return;
	}
	while (s->wfill >= CHUNK || (s->last && s->wfill >= 512)) {
		struct chunk *c = free_chunk(s);
		if (!c) {
			s->waiting = true; /* the ACK goes when a chunk comes back */
			return;
		}
		uint32_t n = s->wfill >= CHUNK ? CHUNK : s->wfill / 512 * 512;
		memcpy(c->buf, s->wbuf, n);
		c->off = s->woff;
		c->len = n;
		c->req = (struct blk_req){ .op = BLK_WRITE,
					   .sector = s->woff / 512,
					   .count = n / 512,
					   .buf = c->buf,
					   .done = chunk_written };
		if (submit(s, &c->req)) {
			fail(s, E_UNDEF, "disk write error");
			return;
		}
		c->busy = true;
		s->woff += n;
		s->wfill -= n;
		memmove(s->wbuf, s->wbuf + n, s->wfill);
	}
	if (!s->last) {
		if (s->waiting) {
			s->waiting = false;
			send_ack(s, (uint16_t)s->block);
		}
		return;
	}
	s->waiting = true; /* from here on the final ACK waits for the disk */
	if (s->wfill && s->wend == W_DATA) {
		s->wend = W_TAIL_READ;
		s->aux = (struct blk_req){ .op = BLK_READ,
					   .sector = s->woff / 512,
					   .count = 1,
					   .buf = s->tail,
					   .done = aux_done,
					   .arg = s };
		if (submit(s, &s->aux))
			fail(s, E_UNDEF, "disk write error");
		return;
	}
	if (s->inflight)
		return; /* the last completion comes back here */
	if (s->wend < W_FLUSH && s->disk->info.flush) {
		s->wend = W_FLUSH;
		s->aux = (struct blk_req){ .op = BLK_FLUSH, .done = aux_done, .arg = s };
		if (submit(s, &s->aux))
			fail(s, E_UNDEF, "disk write error");
		return;
	}
	s->waiting = false;
	send_ack(s, (uint16_t)s->block);
	log_info("tftpd: received %llu bytes in %llu blocks\n", (unsigned long long)s->size,
		 (unsigned long long)s->block);
	tftpd_stats.writes++;
	end_session(s);
}

static void on_data(struct session *s, uint16_t block, const uint8_t *data, size_t len)
{
	if (s->waiting)
		return; /* the disk has not taken the last block yet: its ACK is still to come */
	if (block == (uint16_t)s->block) { /* our ACK was lost: say it again */
		send_pkt(s);
		return;
	}
	if (block != (uint16_t)(s->block + 1) || len > s->blksize)
		return;
	s->answered = true;
	if (s->size + len > s->disk->info.capacity * 512) {
		fail(s, E_DISKFULL, "disk full: the write runs past the end of the disk");
		return;
	}
	memcpy(s->wbuf + s->wfill, data, len); /* wfill < CHUNK here: room for a whole block */
	s->wfill += (uint32_t)len;
	s->size += len;
	s->block++;
	s->last = len < s->blksize;
	s->waiting = true; /* until the disk can take what this adds */
	write_more(s);
}

/* -- requests ---------------------------------------------------------------------- */

static void session_rx(const struct udp_rx *rx, void *arg)
{
	struct session *s = arg;
	const uint8_t *p = rx->data;
	if (s->state == S_FINISHING) { /* its requests are still coming back from the disk */
		tftpd_stats.late_packets++;
		return;
	}
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
	else if (op == OP_ERROR)
		end_session(s);
	else
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
			/* RFC 2349 has the server echo the value or leave the option out:
			 * a client's 255 s would hold a session 25 minutes after it left */
			if (v <= MAX_TIMEOUT) {
				s->timeout_s = (uint32_t)v;
				*tmo = true;
			}
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

static struct blkdev *disk_for(const char *name)
{
	if (strncmp(name, "disk", 4))
		return NULL;
	if (!name[4])
		return blkdev_nth(0);
	char *e;
	unsigned long n = strtoul(name + 4, &e, 10);
	if (*e || name[4] < '1' || name[4] > '9')
		return NULL;
	return blkdev_nth((int)n);
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
	struct blkdev *disk = disk_for(file);
	if (!disk) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_NOTFOUND, "file not found");
		return;
	}
	struct session *s = NULL;
	int theirs = 0;
	for (int i = 0; i < MAX_SESSIONS; i++) {
		if (sessions[i].state == S_FREE && !s)
			s = &sessions[i];
		theirs += sessions[i].state != S_FREE && sessions[i].peer == rx->src;
	}
	if (theirs >= PER_CLIENT) {
		tftpd_stats.refused++;
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_UNDEF, "too many transfers from you");
		return;
	}
	if (!s) {
		tftpd_stats.refused++;
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_UNDEF, "server busy");
		return;
	}
	memset(s, 0, sizeof *s);
	s->disk = disk;
	s->nif = rx->nif;
	s->peer = rx->src;
	s->peer_port = rx->sport;
	s->blksize = 512;
	s->timeout_s = 1;
	s->started = now_ns();
	s->writing = op == OP_WRQ;
	bool tsize = false, blk = false, tmo = false;
	uint64_t tsize_v = 0, capacity = disk->info.capacity * 512;
	if (parse_options(s, opts, end, &tsize, &tsize_v, &blk, &tmo)) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_OPTION,
			      "option value cannot be honoured");
		return;
	}
	if (s->writing && disk->info.ro) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_ACCESS, "disk is read-only");
		return;
	}
	if (s->writing && tsize && tsize_v > capacity) {
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
	if (ok)
		ok = (s->pkt = malloc(PKT_BYTES)) != NULL;
	if (ok && s->writing)
		ok = (s->wbuf = malloc(CHUNK + MAX_BLKSIZE)) != NULL; /* gathers; the chunks go to the disk */
	if (!ok) {
		send_error_to(rx->nif, TFTP_PORT, rx->src, rx->sport, E_UNDEF, "out of memory");
		for (int i = 0; i < NCHUNKS; i++)
			blk_buf_free(disk, s->ch[i].buf, CHUNK);
		free(s->pkt);
		free(s->wbuf);
		if (s->port)
			udp_unbind(s->port);
		return;
	}
	for (int i = 0; i < NCHUNKS; i++)
		s->ch[i].s = s;
	s->state = s->writing ? S_WRITING : S_READING;
	s->size = s->writing ? 0 : capacity;
	if (tsize || blk || tmo) { /* RFC 2347: the options we took, in an OACK */
		size_t n = 2;
		s->pkt[0] = 0, s->pkt[1] = OP_OACK;
		if (blk)
			n += (size_t)snprintf((char *)s->pkt + n, PKT_BYTES - n, "blksize%c%u", 0,
					      s->blksize) +
			     1;
		if (tmo)
			n += (size_t)snprintf((char *)s->pkt + n, PKT_BYTES - n, "timeout%c%u", 0,
					      s->timeout_s) +
			     1;
		if (tsize)
			n += (size_t)snprintf((char *)s->pkt + n, PKT_BYTES - n, "tsize%c%llu", 0,
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

/* Retransmission when the client is silent: only while the next move is
 * the client's (while a session waits for its disk, it has nothing new to
 * say, and the disk's own timeout bounds that wait). Before the client has
 * answered at all, one retransmission: the request's source may be forged.
 * And no session outlives LIFETIME_NS. */
static int tftpd_poll(void *arg)
{
	(void)arg;
	uint64_t now = now_ns();
	int work = 0;
	for (int i = 0; i < MAX_SESSIONS; i++) {
		struct session *s = &sessions[i];
		if (s->state != S_READING && s->state != S_WRITING)
			continue;
		if (now - s->started > LIFETIME_NS) {
			fail(s, E_UNDEF, "transfer took too long");
			continue;
		}
		if (s->waiting || !s->pkt_len || now <= s->deadline)
			continue;
		if (++s->retries > (s->answered ? RETRIES : FIRST_RETRIES)) {
			fail(s, E_UNDEF, "timed out");
			continue;
		}
		tftpd_stats.retransmits++;
		udp_send(s->nif, s->port, s->peer, s->peer_port, s->pkt, s->pkt_len);
		s->deadline = now + (uint64_t)s->timeout_s * 1000000000ull;
		work++;
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
