/* cmdline.h - the kernel command line (docs/interface.md, "Command line keys"). */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H
#include <stdint.h>

enum io_mode { IO_MODE_POLL, IO_MODE_IRQ, IO_MODE_HYBRID };

#define KCONFIG_MAX_MMIO 8

struct kconfig {
	enum io_mode mode; /* mode=poll|irq|hybrid */
	int dhcp;          /* ip=dhcp, the default */
	uint32_t ip, gw;   /* ip=A.B.C.D/N gw=A.B.C.D, host byte order */
	int prefix;
	int shell;               /* shell=on|off */
	int trace;               /* trace=on|ring|off: 1, 2 (VQ_TRACE_LINES, VQ_TRACE_RING), 0 */
	int iommu;               /* iommu=lazy|strict|off|pool|floor: an enum dma_iommu_mode (kernel/dma.h) */
	char crash[8];           /* crash=pf: fault right after boot, to test the dump */
	uint32_t blk_timeout_ms; /* blk_timeout_ms=N: a block request's deadline on the device */
	int quiet;               /* quiet (or quiet=on): no narration until the ready line */
	/* virtio_mmio.device=SIZE@ADDR:GSI[:ID], Linux's syntax, repeatable */
	int nmmio;
	struct kconfig_mmio {
		uint64_t base, size;
		uint32_t gsi;
	} mmio[KCONFIG_MAX_MMIO];
};

extern struct kconfig kconfig;
void cmdline_parse(const char *line);
const char *io_mode_name(enum io_mode m);
int io_mode_parse(const char *s, enum io_mode *m); /* 0 or -EINVAL */
int parse_ipv4(const char *s, uint32_t *ip);       /* 0 or -EINVAL */
#endif
