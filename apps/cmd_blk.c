/* cmd_blk.c - `blk DEV info|sha256|fill|discard|zero|flush`: the block API from the shell. */
#include "apps/cmds.h"
#include "apps/shell.h"
#include "block/blkdev.h"
#include "lib/sha256.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SECTORS 2048u /* 1 MiB per request from the shell */

/* Why blk_submit said no, in words: it checks the same things in this order. */
static int refuse(const char *dev, const struct blk_info *in, int err, uint64_t lba, uint64_t count)
{
	if (err == -EINVAL && (lba > in->capacity || count > in->capacity - lba))
		return shell_err(dev, err, "sectors %llu..%llu are past the end (capacity %llu)",
				 (unsigned long long)lba, (unsigned long long)(lba + count - 1),
				 (unsigned long long)in->capacity);
	if (err == -EINVAL)
		return shell_err(dev, err,
				 "LBA and COUNT must be whole %u-byte blocks (multiples of %u sectors)",
				 in->block_size, in->block_size / 512);
	if (err == -EROFS)
		return shell_err(dev, err, "device is read-only");
	if (err == -EOPNOTSUPP)
		return shell_err(dev, err, "the device does not offer this");
	return shell_err(dev, err, "I/O failed");
}

static int range_args(char **argv, uint64_t *lba, uint64_t *count)
{
	if (parse_u64(argv[0], lba) || parse_u64(argv[1], count) || *count == 0 || *count > UINT32_MAX)
		return -EINVAL;
	return 0;
}

static int do_sha256(struct blkdev *bd, const struct blk_info *in, uint64_t lba, uint64_t count)
{
	/* from the device's buffer pool: used in place, mapped once (under
	 * iommu=pool, in its window, so nothing is bounced) */
	uint8_t *buf = blk_buf_alloc(bd, CHUNK_SECTORS * 512), digest[32];
	struct sha256 s;
	if (!buf)
		return shell_err(bd->name, -ENOMEM, "no memory for the buffer");
	sha256_init(&s);
	for (uint64_t done = 0; done < count;) {
		uint32_t n = count - done < CHUNK_SECTORS ? (uint32_t)(count - done) : CHUNK_SECTORS;
		int r = blk_io(bd, BLK_READ, lba + done, n, buf);
		if (r) {
			blk_buf_free(bd, buf, CHUNK_SECTORS * 512);
			return refuse(bd->name, in, r, lba, count);
		}
		sha256_update(&s, buf, (size_t)n * 512);
		done += n;
	}
	blk_buf_free(bd, buf, CHUNK_SECTORS * 512);
	sha256_final(&s, digest);
	for (int i = 0; i < 32; i++)
		printf("%02x", digest[i]);
	printf("\n");
	return 0;
}

static int do_fill(struct blkdev *bd, const struct blk_info *in, uint64_t lba, uint64_t count, uint8_t byte)
{
	uint32_t chunk = count < CHUNK_SECTORS ? (uint32_t)count : CHUNK_SECTORS;
	uint8_t *buf = blk_buf_alloc(bd, (size_t)chunk * 512);
	int r = 0;
	if (!buf)
		return shell_err(bd->name, -ENOMEM, "no memory for the buffer");
	memset(buf, byte, (size_t)chunk * 512);
	/* refuse the whole range before writing any of it */
	if (in->ro)
		r = -EROFS;
	else if (lba > in->capacity || count > in->capacity - lba)
		r = -EINVAL;
	for (uint64_t done = 0; !r && done < count;) {
		uint32_t n = count - done < chunk ? (uint32_t)(count - done) : chunk;
		r = blk_io(bd, BLK_WRITE, lba + done, n, buf);
		done += n;
	}
	blk_buf_free(bd, buf, (size_t)chunk * 512);
	if (!r && in->flush)
		r = blk_io(bd, BLK_FLUSH, 0, 0, NULL);
	if (r)
		return refuse(bd->name, in, r, lba, count);
	printf("wrote %llu sectors of 0x%02x at %llu\n", (unsigned long long)count, byte,
	       (unsigned long long)lba);
	return 0;
}

int cmd_blk(int argc, char **argv)
{
	uint64_t lba, count, byte;
	if (argc < 3)
		return shell_usage("blk DEV info|sha256 LBA COUNT|fill LBA COUNT BYTE|discard LBA COUNT|zero "
				   "LBA COUNT|flush");
	struct blkdev *bd = blkdev_find(argv[1]);
	if (!bd)
		return shell_err(argv[1], -ENODEV, "no such block device");
	const struct blk_info in = bd->info;
	const char *op = argv[2];
	if (!strcmp(op, "info") && argc == 3) {
		char id[BLK_ID_BYTES + 1];
		if (blk_get_id(bd, id)) /* asked now, not at boot: most never need it */
			id[0] = 0;
		printf("capacity=%llu block_size=%u ro=%d flush=%d discard=%d write_zeroes=%d queues=%u "
		       "id=%s\n",
		       (unsigned long long)in.capacity, in.block_size, in.ro, in.flush, in.discard,
		       in.write_zeroes, in.queues, id[0] ? id : "-");
		return 0;
	}
	if (!strcmp(op, "flush") && argc == 3) {
		int r = blk_io(bd, BLK_FLUSH, 0, 0, NULL);
		return r ? refuse(argv[1], &in, r, 0, 0) : 0;
	}
	if (!strcmp(op, "sha256") && argc == 5 && !range_args(argv + 3, &lba, &count))
		return do_sha256(bd, &in, lba, count);
	if (!strcmp(op, "fill") && argc == 6 && !range_args(argv + 3, &lba, &count) &&
	    !parse_u64(argv[5], &byte) && byte <= 255)
		return do_fill(bd, &in, lba, count, (uint8_t)byte);
	if ((!strcmp(op, "discard") || !strcmp(op, "zero")) && argc == 5 &&
	    !range_args(argv + 3, &lba, &count)) {
		int r = blk_io(bd, op[0] == 'd' ? BLK_DISCARD : BLK_WRITE_ZEROES, lba, (uint32_t)count, NULL);
		return r ? refuse(argv[1], &in, r, lba, count) : 0;
	}
	return shell_usage(
		"blk DEV info|sha256 LBA COUNT|fill LBA COUNT BYTE|discard LBA COUNT|zero LBA COUNT|flush");
}
