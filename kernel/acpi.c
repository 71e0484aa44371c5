/* acpi.c - finding the RSDP, the SCI and power button, and S5 poweroff through PM1_CNT. */
#include "kernel/acpi.h"
#include "kernel/apic.h"
#include "kernel/boot_info.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/mptable.h"
#include "kernel/poll.h"
#include "kernel/power.h"
#include "kernel/time.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* PM1 registers (ACPI 6.5 §4.8.4): status and enable share bit positions */
#define PM1_PWRBTN      (1u << 8) /* PWRBTN_STS / PWRBTN_EN, table 4.12/4.13 */
#define PM1_SCI_EN      (1u << 0) /* PM1_CNT, table 4.14 */
#define PM1_SLP_TYP(t)  ((unsigned)(t) << 10)
#define PM1_SLP_TYP_M   (7u << 10)
#define PM1_SLP_EN      (1u << 13)
#define FADT_HW_REDUCED (1u << 20) /* §5.2.9.3 */

#define EBDA_PTR 0x40e /* BIOS data area: real-mode segment of the EBDA */
#define BIOS_ROM 0xe0000
#define BIOS_END 0x100000

const void *acpi_map_phys(uint64_t phys, uint64_t len) { return mmio_map(phys, len); }

/* §5.2.5.1: on a 16-byte boundary in the first KiB of the EBDA, or in
 * 0xE0000-0xFFFFF. The checksum is of the ACPI 1.0 part. */
static const void *rsdp_scan(uint64_t start, uint64_t end)
{
	uint64_t sig;
	memcpy(&sig, "RSD PTR ", 8);
	for (uint64_t a = start & ~15ull; a + 20 <= end; a += 16) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)a;
		uint64_t v; /* one 8-byte load and compare per slot: 8192 slots in the BIOS area */
		memcpy(&v, p, 8);
		if (v == sig && acpi_checksum_ok(p, 20))
			return p;
	}
	return NULL;
}

static size_t rsdp_len(const uint8_t *p)
{
	uint32_t len;
	memcpy(&len, p + 20, 4);
	return p[15] >= 2 && len >= 36 && len <= 64 ? len : 20; /* revision, length */
}

void acpi_init(void)
{
	const void *rsdp = NULL;
	size_t len = 0;
	const char *where = "multiboot2";
	if (boot_info_data.rsdp_len > 0) {
		rsdp = boot_info_data.rsdp;
		len = (size_t)boot_info_data.rsdp_len;
	} else {
		uint16_t seg;
		low_memory_read(EBDA_PTR, &seg, 2); /* page 0 is not mapped */
		uint64_t ebda = (uint64_t)seg << 4;
		where = "EBDA";
		if (ebda >= 0x80000 && ebda < 0xa0000) /* a sane EBDA is just below 640 KiB */
			rsdp = rsdp_scan(ebda, ebda + 1024);
		if (!rsdp) {
			where = "BIOS ROM";
			rsdp = rsdp_scan(BIOS_ROM, BIOS_END);
		}
		if (rsdp)
			len = rsdp_len(rsdp);
	}
	if (!rsdp) { /* QEMU's microvm with acpi=off, say: an MP table may say as much as we need */
		log_info("acpi: no RSDP; running without ACPI tables\n");
		mptable_init();
		return;
	}
	if (acpi_parse_rsdp(rsdp, len))
		return;
	const uint8_t *r = rsdp;
	log_info("acpi: RSDP from %s rev %u, %d CPU, %d IOAPIC, %d overrides, %d MCFG", where, r[15],
		 acpi.ncpus, acpi.nioapics, acpi.noverrides, acpi.nmcfg);
	if (acpi.have_fadt)
		log_info(", SCI %u, PM1a_EVT 0x%x PM1a_CNT 0x%x", acpi.fadt.sci_irq, acpi.fadt.pm1a_evt,
			 acpi.fadt.pm1a_cnt);
	if (acpi.have_s5)
		log_info(", S5 %u/%u", acpi.s5_typa, acpi.s5_typb);
	log_info("\n");
}

/* -- power button and S5 --------------------------------------------------- */

static volatile int pwrbtn_pressed;

static uint16_t pm1_en_port(uint32_t evt) { return (uint16_t)(evt + acpi.fadt.pm1_evt_len / 2); }

/* Write-1-to-clear every PM1 status bit that is set; returns what was set. */
static uint16_t pm1_status_ack(void)
{
	uint16_t sts = 0;
	if (acpi.fadt.pm1a_evt) {
		uint16_t s = inw((uint16_t)acpi.fadt.pm1a_evt);
		outw((uint16_t)acpi.fadt.pm1a_evt, s);
		sts |= s;
	}
	if (acpi.fadt.pm1b_evt) {
		uint16_t s = inw((uint16_t)acpi.fadt.pm1b_evt);
		outw((uint16_t)acpi.fadt.pm1b_evt, s);
		sts |= s;
	}
	return sts;
}

/* The SCI: ack the fixed events, leave the power-off itself to the main
 * loop, where flushing disks may wait for interrupts. */
static void sci_irq(void *arg)
{
	(void)arg;
	if (pm1_status_ack() & PM1_PWRBTN) {
		pwrbtn_pressed = 1;
		poll_kick();
	}
}

/* Flushing the disks waits for them: that belongs at the top level. */
static void pwrbtn_job(void *arg)
{
	(void)arg;
	log_info("acpi: power button pressed\n");
	fflush(stdout);
	power_off(0);
}

static int pwrbtn_poll(void *arg)
{
	(void)arg;
	if (!pwrbtn_pressed)
		return 0;
	pwrbtn_pressed = 0;
	if (poll_toplevel(pwrbtn_job, NULL))
		pwrbtn_pressed = 1; /* the queue is full: ask again on the next turn */
	return 1;
}

/* §16.1.7 / §7.4.2.5: SLP_TYPx of \_S5, then SLP_EN, in PM1a_CNT and PM1b_CNT. */
static void acpi_s5_off(void)
{
	irq_disable();
	uint16_t a = (uint16_t)acpi.fadt.pm1a_cnt, b = (uint16_t)acpi.fadt.pm1b_cnt;
	uint16_t va = (inw(a) & ~(PM1_SLP_TYP_M | PM1_SLP_EN)) | PM1_SLP_TYP(acpi.s5_typa);
	uint16_t vb = b ? (inw(b) & ~(PM1_SLP_TYP_M | PM1_SLP_EN)) | PM1_SLP_TYP(acpi.s5_typb) : 0;
	outw(a, va);
	if (b)
		outw(b, vb);
	outw(a, va | PM1_SLP_EN);
	if (b)
		outw(b, vb | PM1_SLP_EN);
	udelay(100000); /* the machine is gone by now; if not, power_off says so */
	log_warn("acpi: S5 did not power off\n");
}

/* §16.3.1: the OS takes the hardware from SMM by writing ACPI_ENABLE to
 * SMI_CMD, then waits for SCI_EN. Already set on hardware-reduced or
 * firmware that booted in ACPI mode. */
static int acpi_mode_enable(void)
{
	uint16_t cnt = (uint16_t)acpi.fadt.pm1a_cnt;
	if (inw(cnt) & PM1_SCI_EN)
		return 0;
	if (!acpi.fadt.smi_cmd || !acpi.fadt.acpi_enable)
		return -ENODEV;
	outb((uint16_t)acpi.fadt.smi_cmd, acpi.fadt.acpi_enable);
	uint64_t end = now_ns() + 1000000000ull;
	while (!(inw(cnt) & PM1_SCI_EN))
		if (now_ns() > end)
			return -ETIMEDOUT;
	return 0;
}

/* §4.8.3.7: on hardware-reduced ACPI (QEMU's microvm) sleep is one register:
 * SLP_TYPx of \_S5 in bits 2-4, SLP_EN in bit 5. */
#define SLEEP_TYP(t) ((unsigned)(t) << 2)
#define SLEEP_EN     (1u << 5)
static void acpi_sleep_ctl_off(void)
{
	irq_disable();
	uint8_t v = (uint8_t)(SLEEP_TYP(acpi.s5_typa) | SLEEP_EN);
	if (acpi.fadt.sleep_ctl_io)
		outb((uint16_t)acpi.fadt.sleep_ctl, v);
	else
		mmio_write8(mmio_map(acpi.fadt.sleep_ctl, 1), v);
	udelay(100000);
	log_warn("acpi: S5 through the sleep control register did not power off\n");
}

int acpi_power_init(void)
{
	const struct acpi_fadt_info *f = &acpi.fadt;
	if (acpi.have_fadt && (f->flags & FADT_HW_REDUCED)) {
		if (acpi.have_s5 && f->sleep_ctl && (!f->sleep_ctl_io || f->sleep_ctl <= 0xffff) &&
		    (f->sleep_ctl_io || mmio_map(f->sleep_ctl, 1)))
			acpi_poweroff_hook = acpi_sleep_ctl_off;
		log_info("acpi: hardware-reduced; S5 %s, no power button\n",
			 acpi_poweroff_hook ? "through the sleep control register" : "not found");
		return acpi_poweroff_hook ? 0 : -ENODEV;
	}
	if (!acpi.have_fadt) {
		log_info("acpi: no FADT; no power button or S5\n");
		return -ENODEV;
	}
	if (!f->pm1a_evt || !f->pm1a_cnt || f->pm1_evt_len < 4 || f->pm1a_evt > 0xffff ||
	    f->pm1a_cnt > 0xffff || f->pm1b_evt > 0xffff || f->pm1b_cnt > 0xffff) {
		log_warn("acpi: no usable fixed hardware; no power button or S5\n");
		return -ENODEV;
	}
	if (acpi.have_s5)
		acpi_poweroff_hook = acpi_s5_off;
	int r = acpi_mode_enable();
	if (r) {
		log_warn("acpi: cannot enter ACPI mode (%d); no power button\n", r);
		return r;
	}
	/* Only the power button raises the SCI: every GPE off (the enable half
	 * of GPE0_BLK, §4.8.4.1), every status cleared. */
	if (f->gpe0_blk && f->gpe0_blk + f->gpe0_len <= 0x10000) {
		for (unsigned i = 0; i < f->gpe0_len / 2u; i++) {
			outb((uint16_t)(f->gpe0_blk + f->gpe0_len / 2 + i), 0);
			outb((uint16_t)(f->gpe0_blk + i), 0xff);
		}
	}
	outw(pm1_en_port(f->pm1a_evt), 0);
	if (f->pm1b_evt)
		outw(pm1_en_port(f->pm1b_evt), 0);
	pm1_status_ack();

	/* §5.2.9: the SCI is sharable, level, active low, unless the MADT overrides it */
	if (f->sci_irq > 15) {
		log_warn("acpi: SCI %u is not an ISA IRQ; no power button\n", f->sci_irq);
		return -EINVAL;
	}
	int v = isa_irq_register(f->sci_irq, GSI_LEVEL | GSI_LOW, sci_irq, NULL, "acpi-sci");
	if (v < 0) {
		log_warn("acpi: cannot route SCI %u (%d)\n", f->sci_irq, v);
		return v;
	}
	poll_register(pwrbtn_poll, NULL, "acpi-pwrbtn");
	outw(pm1_en_port(f->pm1a_evt), PM1_PWRBTN);
	if (f->pm1b_evt)
		outw(pm1_en_port(f->pm1b_evt), PM1_PWRBTN);
	unsigned mode;
	uint32_t gsi = isa_irq_gsi(f->sci_irq, GSI_LEVEL | GSI_LOW, &mode);
	log_info("acpi: power button on SCI irq %u gsi %u (%s, active %s), S5 %s\n", f->sci_irq, gsi,
		 mode & GSI_LEVEL ? "level" : "edge", mode & GSI_LOW ? "low" : "high",
		 acpi.have_s5 ? "ready" : "not found");
	return 0;
}
