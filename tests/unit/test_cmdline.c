/* test_cmdline.c - the command line keys, IPv4 parsing, shell numbers, errno names. */
#include "unit.h"

#include "kernel/cmdline.c"
#include "kernel/dma.h"
#include "lib/errname.c"
#include <errno.h>
#include <string.h>

static void reset(void) { kconfig = (struct kconfig){ .mode = IO_MODE_HYBRID, .dhcp = 1, .shell = 1 }; }

static void test_defaults(void)
{
	reset();
	cmdline_parse("");
	CHECK_EQ(kconfig.mode, IO_MODE_HYBRID);
	CHECK_EQ(kconfig.dhcp, 1);
	CHECK_EQ(kconfig.shell, 1);
	CHECK_EQ(kconfig.trace, 0);
}

static void test_all_keys(void)
{
	reset();
	cmdline_parse("mode=poll ip=10.0.2.15/24 gw=10.0.2.2 shell=off trace=on crash=pf");
	CHECK_EQ(kconfig.mode, IO_MODE_POLL);
	CHECK_EQ(kconfig.dhcp, 0);
	CHECK_EQ(kconfig.ip, 0x0a00020f);
	CHECK_EQ(kconfig.prefix, 24);
	CHECK_EQ(kconfig.gw, 0x0a000202);
	CHECK_EQ(kconfig.shell, 0);
	CHECK_EQ(kconfig.trace, 1);
	CHECK(!strcmp(kconfig.crash, "pf"));
	cmdline_parse("trace=ring");
	CHECK_EQ(kconfig.trace, 2); /* VQ_TRACE_RING */
	cmdline_parse("trace=off");
	CHECK_EQ(kconfig.trace, 0);
	/* iommu= names an enum dma_iommu_mode */
	static const struct {
		const char *arg;
		enum dma_iommu_mode mode;
	} policies[] = { { "iommu=floor", DMA_IOMMU_FLOOR },
			 { "iommu=pool", DMA_IOMMU_POOL },
			 { "iommu=off", DMA_IOMMU_OFF },
			 { "iommu=strict", DMA_IOMMU_STRICT },
			 { "iommu=lazy", DMA_IOMMU_LAZY } };
	for (size_t i = 0; i < sizeof policies / sizeof policies[0]; i++) {
		cmdline_parse(policies[i].arg);
		CHECK_EQ(kconfig.iommu, policies[i].mode);
	}
	int before = unit_log_lines;
	cmdline_parse("iommu=loose");
	CHECK_EQ(kconfig.iommu, 0);
	CHECK_EQ(unit_log_lines - before, 1);
}

static void test_quiet(void)
{
	reset();
	int before = unit_log_lines;
	cmdline_parse("quiet mode=poll");
	CHECK_EQ(kconfig.quiet, 1);
	CHECK_EQ(kconfig.mode, IO_MODE_POLL);
	cmdline_parse("quiet=off");
	CHECK_EQ(kconfig.quiet, 0);
	cmdline_parse("quiet=on");
	CHECK_EQ(kconfig.quiet, 1);
	CHECK_EQ(unit_log_lines, before);
	cmdline_parse("quiet=loud quietly");
	CHECK_EQ(kconfig.quiet, 1);
	CHECK_EQ(unit_log_lines - before, 2);
}

static void test_bad_values_are_ignored(void)
{
	reset();
	int before = unit_log_lines;
	cmdline_parse("  mode=fast ip=10.0.2.15 ip=1.2.3.4/33 gw=1.2.3 bogus=1 noequals shell=maybe  ");
	CHECK_EQ(kconfig.mode, IO_MODE_HYBRID);
	CHECK_EQ(kconfig.dhcp, 1);
	CHECK_EQ(kconfig.gw, 0);
	CHECK_EQ(kconfig.shell, 1);
	CHECK_EQ(unit_log_lines - before, 7); /* one warning per bad word */
}

static void test_virtio_mmio_devices(void)
{
	reset();
	int before = unit_log_lines;
	/* what QEMU appends for a Linux kernel on microvm, a K suffix, an id, and bad ones */
	cmdline_parse("virtio_mmio.device=512@0xfeb02e00:47 virtio_mmio.device=4K@0xd0000000:5:3 "
		      "virtio_mmio.device=512@0xfeb00000 virtio_mmio.device=@0x1000:5 "
		      "virtio_mmio.device=0@0x1000:5 virtio_mmio.device=512@0xfeb00000:5x "
		      "virtio_mmio.device=1K@0xfffffffffffffe00:5");
	CHECK_EQ(unit_log_lines - before, 5);
	CHECK_EQ(kconfig.nmmio, 2);
	CHECK_EQ(kconfig.mmio[0].base, 0xfeb02e00);
	CHECK_EQ(kconfig.mmio[0].size, 512);
	CHECK_EQ(kconfig.mmio[0].gsi, 47);
	CHECK_EQ(kconfig.mmio[1].base, 0xd0000000);
	CHECK_EQ(kconfig.mmio[1].size, 4096);
	CHECK_EQ(kconfig.mmio[1].gsi, 5);
	/* no more than there is room for; the rest are warned about */
	for (int i = 0; i < KCONFIG_MAX_MMIO; i++)
		cmdline_parse("virtio_mmio.device=512@0xfeb00000:5");
	CHECK_EQ(kconfig.nmmio, KCONFIG_MAX_MMIO);
}

static void test_ipv4(void)
{
	uint32_t ip = 0;
	CHECK_EQ(parse_ipv4("255.255.255.255", &ip), 0);
	CHECK_EQ(ip, 0xffffffff);
	CHECK_EQ(parse_ipv4("0.0.0.0", &ip), 0);
	CHECK_EQ(parse_ipv4("256.1.1.1", &ip), -EINVAL);
	CHECK_EQ(parse_ipv4("1.1.1", &ip), -EINVAL);
	CHECK_EQ(parse_ipv4("1.1.1.1.", &ip), -EINVAL);
	CHECK_EQ(parse_ipv4("1..1.1", &ip), -EINVAL);
	CHECK_EQ(parse_ipv4("-1.1.1.1", &ip), -EINVAL);
	CHECK_EQ(parse_ipv4("0001.1.1.1", &ip), -EINVAL);
	CHECK_EQ(parse_ipv4("", &ip), -EINVAL);
}

static void test_errno_names(void)
{
	CHECK(!strcmp(errno_name(EIO), "EIO"));
	CHECK(!strcmp(errno_name(-EROFS), "EROFS"));
	CHECK(!strcmp(errno_name(EOPNOTSUPP), "EOPNOTSUPP"));
	CHECK(!strcmp(errno_name(99999), "E?"));
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_all_keys);
	RUN(test_quiet);
	RUN(test_bad_values_are_ignored);
	RUN(test_virtio_mmio_devices);
	RUN(test_ipv4);
	RUN(test_errno_names);
	UNIT_DONE();
}
