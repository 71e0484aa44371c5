/* cmdline.c - parse the space-separated key=value kernel command line. */
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct kconfig kconfig = { .mode = IO_MODE_HYBRID, .dhcp = 1, .shell = 1, .blk_timeout_ms = 30000 };

static const char *const mode_names[] = { "poll", "irq", "hybrid" };

const char *io_mode_name(enum io_mode m) { return (unsigned)m < 3 ? mode_names[m] : "?"; }

int io_mode_parse(const char *s, enum io_mode *m)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(s, mode_names[i])) {
			*m = (enum io_mode)i;
			return 0;
		}
	return -EINVAL;
}

int parse_ipv4(const char *s, uint32_t *ip)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char *end;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		unsigned long b = strtoul(s, &end, 10);
		if (b > 255 || end - s > 3 || (i < 3 && *end != '.') || (i == 3 && *end))
			return -EINVAL;
		v = v << 8 | (uint32_t)b;
		s = end + (i < 3);
	}
	*ip = v;
	return 0;
}

static int on_off(const char *v, int *out)
{
	if (!strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "off"))
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

static int parse_ip(const char *v)
{
	char buf[32];
	if (!strcmp(v, "dhcp")) {
		kconfig.dhcp = 1;
		return 0;
	}
	const char *slash = strchr(v, '/');
	if (!slash || (size_t)(slash - v) >= sizeof buf)
		return -EINVAL;
	memcpy(buf, v, (size_t)(slash - v));
	buf[slash - v] = 0;
	char *end;
	uint32_t ip;
	unsigned long n = strtoul(slash + 1, &end, 10);
	if (parse_ipv4(buf, &ip) || slash[1] < '0' || slash[1] > '9' || *end || n < 1 || n > 32)
		return -EINVAL;
	kconfig.ip = ip;
	kconfig.prefix = (int)n;
	kconfig.dhcp = 0;
	return 0;
}

/* A size or address as Linux's memparse reads it: decimal, 0x hex or 0
 * octal, with an optional K, M or G. */
static int memparse(const char *s, char **end, uint64_t *v)
{
	if (*s < '0' || *s > '9')
		return -EINVAL;
	*v = strtoull(s, end, 0);
	int shift = 0;
	switch (**end) {
	case 'G':
	case 'g':
		shift += 10; /* fall through */
	case 'M':
	case 'm':
		shift += 10; /* fall through */
	case 'K':
	case 'k':
		shift += 10;
		(*end)++;
	}
	if (shift && *v > (~0ull >> shift))
		return -EINVAL;
	*v <<= shift;
	return 0;
}

/* virtio_mmio.device=<size>@<base>:<irq>[:<id>] (Linux's
 * Documentation/admin-guide/kernel-parameters.txt); the id is Linux's own
 * device numbering, read and not used. */
static int parse_mmio(const char *v)
{
	char *end;
	uint64_t size, base, irq;
	if (kconfig.nmmio == KCONFIG_MAX_MMIO || memparse(v, &end, &size) || *end != '@' ||
	    memparse(end + 1, &end, &base) || *end != ':' || end[1] < '0' || end[1] > '9')
		return -EINVAL;
	irq = strtoull(end + 1, &end, 0);
	if (*end == ':' && end[1] >= '0' && end[1] <= '9')
		strtoull(end + 1, &end, 0);
	if (*end || !size || irq > 0xffffffffu || base + size < base)
		return -EINVAL;
	kconfig.mmio[kconfig.nmmio++] = (struct kconfig_mmio){ base, size, (uint32_t)irq };
	return 0;
}

static int parse_key(const char *k, const char *v)
{
	if (!strcmp(k, "mode"))
		return io_mode_parse(v, &kconfig.mode);
	if (!strcmp(k, "ip"))
		return parse_ip(v);
	if (!strcmp(k, "gw"))
		return parse_ipv4(v, &kconfig.gw);
	if (!strcmp(k, "shell"))
		return on_off(v, &kconfig.shell);
	if (!strcmp(k, "trace")) /* on: console lines (1), ring: replayable records (2) */
		return !strcmp(v, "ring") ? (kconfig.trace = 2, 0) : on_off(v, &kconfig.trace);
	if (!strcmp(k, "iommu")) {
		static const char *const names[] = { "lazy", "strict", "off", "pool",
						     "floor" }; /* enum dma_iommu_mode */
		for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
			if (!strcmp(v, names[i]))
				return kconfig.iommu = i, 0;
		return -EINVAL;
	}
	if (!strcmp(k, "blk_timeout_ms")) { /* 1 ms to an hour */
		char *end;
		unsigned long ms = strtoul(v, &end, 10);
		if (*v < '0' || *v > '9' || *end || ms < 1 || ms > 3600000)
			return -EINVAL;
		kconfig.blk_timeout_ms = (uint32_t)ms;
		return 0;
	}
	if (!strcmp(k, "quiet"))
		return on_off(v, &kconfig.quiet);
	if (!strcmp(k, "virtio_mmio.device"))
		return parse_mmio(v);
	if (!strcmp(k, "crash")) {
		if (strcmp(v, "pf"))
			return -EINVAL;
		strcpy(kconfig.crash, v);
		return 0;
	}
	return -ENOENT;
}

void cmdline_parse(const char *line)
{
	char word[128];
	while (*line) {
		while (*line == ' ')
			line++;
		size_t n = strcspn(line, " ");
		if (!n)
			break;
		if (n >= sizeof word) {
			log_warn("cmdline: word of %u bytes ignored\n", (unsigned)n);
			line += n;
			continue;
		}
		memcpy(word, line, n);
		word[n] = 0;
		line += n;
		char *eq = strchr(word, '=');
		if (!eq && !strcmp(word, "quiet")) { /* Linux's spelling: a word alone */
			kconfig.quiet = 1;
			continue;
		}
		if (!eq) {
			log_warn("cmdline: '%s' is not key=value; ignored\n", word);
			continue;
		}
		*eq = 0;
		int r = parse_key(word, eq + 1);
		if (r == -ENOENT)
			log_warn("cmdline: unknown key '%s' ignored\n", word);
		else if (r)
			log_warn("cmdline: bad value '%s' for '%s' ignored\n", eq + 1, word);
	}
}
