/* apic.c - the 8259 masked, the local APIC (EOI, timer), IOAPIC redirection entries, MSI messages. */
#include "kernel/apic.h"
#include "kernel/acpi.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/poll.h"
#include "kernel/time.h"
#include <errno.h>

/* 8259A: command and data ports of the master and slave */
#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

/* Local APIC registers, offsets in its 4 KiB page (Intel SDM vol. 3 table 11-1) */
#define LAPIC_ID        0x020
#define LAPIC_VERSION   0x030
#define LAPIC_TPR       0x080
#define LAPIC_EOI       0x0b0
#define LAPIC_SVR       0x0f0 /* spurious vector; bit 8 enables the APIC */
#define LAPIC_ESR       0x280
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_ICR 0x380 /* initial count */
#define LAPIC_TIMER_CCR 0x390 /* current count */
#define LAPIC_TIMER_DCR 0x3e0 /* divide configuration */
#define LVT_MASKED      (1u << 16)
#define LVT_NMI         (4u << 8) /* delivery mode NMI */
#define LVT_LOW         (1u << 13)
#define SVR_ENABLE      (1u << 8)
#define DCR_DIV16       0x3
#define MSR_APIC_BASE   0x1b
#define APIC_BASE_EN    (1ull << 11)

/* IOAPIC (82093AA datasheet §3.0): an index register and a data window */
#define IOREGSEL     0x00
#define IOWIN        0x10
#define IOAPIC_VER   0x01 /* bits 16-23: highest redirection entry */
#define IOAPIC_REDIR 0x10 /* entry n: registers 0x10 + 2n (low), 0x11 + 2n (high) */
#define REDIR_LOW    (1u << 13)
#define REDIR_LEVEL  (1u << 15)
#define REDIR_MASKED (1u << 16)

static volatile uint8_t *lapic;
static struct ioapic {
	volatile uint8_t *base;
	uint8_t id;
	uint32_t gsi_base, count;
} ioapics[ACPI_MAX_IOAPICS];
static int nioapics;
static uint8_t my_apic_id;

/* What each vector was routed from, for the irq command. */
static struct {
	int gsi; /* -1 when not through the IOAPIC */
	unsigned mode;
} vec_route[256];

volatile uint64_t apic_ticks;
static volatile uint64_t timer_irqs;  /* every timer interrupt, tick or one-shot */
static uint64_t lapic_hz;             /* timer input clock after the divider */
static uint64_t next_tick_ns;         /* when the next periodic tick is due */
static uint64_t wake_ns = ~0ull;      /* earliest one-shot deadline */
static void (*sampler)(uint64_t rip); /* kernel/prof.c, while it samples */
static uint64_t sample_ns = ~0ull, sample_period;

static uint32_t lapic_read(uint32_t reg) { return mmio_read32(lapic + reg); }
static void lapic_write(uint32_t reg, uint32_t v) { mmio_write32(lapic + reg, v); }
static void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

uint8_t apic_id(void) { return my_apic_id; }
uint64_t apic_timer_hz(void) { return lapic_hz; }

/* Remap the 8259s off the exception vectors (ICW1-4), then mask every
 * line. LINT0, where their ExtINT output arrives, is masked as well. A
 * machine may have none (QEMU's microvm with pic=off): the mask register
 * then does not read back what was written, and there is nothing to do. */
static bool pic_disable(void)
{
	outb(PIC1_DATA, 0x5a);
	if (inb(PIC1_DATA) != 0x5a)
		return false;
	outb(PIC1_CMD, 0x11); /* ICW1: init, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, 0x20); /* ICW2: vector bases */
	outb(PIC2_DATA, 0x28);
	outb(PIC1_DATA, 0x04); /* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xff); /* OCW1: all masked */
	outb(PIC2_DATA, 0xff);
	return true;
}

/* -- local APIC timer ------------------------------------------------- */

/* Program the one-shot count for the earlier of the next tick and the
 * one-shot deadline. Interrupts off. */
static void timer_arm(uint64_t now)
{
	uint64_t target = next_tick_ns < wake_ns ? next_tick_ns : wake_ns;
	if (sample_ns < target)
		target = sample_ns;
	uint64_t delta = target > now ? target - now : 0;
	/* round up, so it never fires before the time it was set for */
	uint64_t count = (uint64_t)(((unsigned __int128)delta * lapic_hz + 999999999) / 1000000000);
	if (count < 1)
		count = 1;
	if (count > 0xffffffff)
		count = 0xffffffff;
	lapic_write(LAPIC_TIMER_ICR, (uint32_t)count);
}

static void timer_irq(void *arg)
{
	(void)arg;
	if (!timer_irqs++)
		poll_irqs_ready(); /* a timer wakes us up: the main loop may sleep in hlt from now on */
	uint64_t now = now_ns(), period = 1000000000ull / APIC_TICK_HZ;
	if (now >= next_tick_ns) {
		apic_ticks++;
		next_tick_ns += period;
		if (next_tick_ns <= now) /* ticks were missed: they stay uncounted */
			next_tick_ns = now + period;
	}
	if (now >= wake_ns) {
		wake_ns = ~0ull;
		poll_kick();
	}
	if (sampler && now >= sample_ns) {
		sampler(trap_interrupted_rip());
		sample_ns = now + sample_period; /* the handler's own time is not sampled again */
	}
	timer_arm(now);
}

void apic_timer_wake_at(uint64_t deadline_ns)
{
	uint64_t flags = irq_save();
	if (lapic_hz && deadline_ns < wake_ns) {
		wake_ns = deadline_ns;
		if (deadline_ns < next_tick_ns)
			timer_arm(now_ns());
	}
	irq_restore(flags);
}

/* kwait's test, which cpu_idle runs with interrupts off just before hlt:
 * re-arming there means no other waiter's deadline can have used ours up. */
static bool deadline_passed(void *arg)
{
	uint64_t end = *(uint64_t *)arg;
	if (now_ns() >= end)
		return true;
	apic_timer_wake_at(end);
	return false;
}

void apic_timer_sample(uint64_t period_ns, void (*fn)(uint64_t rip))
{
	uint64_t flags = irq_save();
	sampler = lapic_hz && period_ns ? fn : NULL;
	sample_period = period_ns;
	sample_ns = sampler ? now_ns() + period_ns : ~0ull;
	if (sampler)
		timer_arm(now_ns());
	irq_restore(flags);
}

void sleep_us(uint64_t us)
{
	uint64_t end = now_ns() + us * 1000;
	kwait(deadline_passed, &end, 0);
}

/* The timer counts down from the top while the boot goes on, and its rate
 * is the count it has done over the TSC time that passed: the calibration
 * costs the boot no wait of its own (at least CAL_US of it, which the boot
 * between apic_init and apic_timer_start takes many times over). Its rate
 * only sets when an interrupt comes; whoever waits checks the TSC again
 * when it does (deadline_passed), so a little off costs nothing. */
#define CAL_US 500
static uint64_t cal_tsc;

static void timer_calibrate_start(void)
{
	lapic_write(LAPIC_TIMER_DCR, DCR_DIV16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | APIC_TIMER_VECTOR);
	cal_tsc = rdtsc();
	lapic_write(LAPIC_TIMER_ICR, 0xffffffff);
}

static uint64_t timer_calibrate_end(uint64_t *us)
{
	uint64_t ns = tsc_to_ns(rdtsc() - cal_tsc);
	if (ns < CAL_US * 1000ull)
		udelay(CAL_US - ns / 1000);
	uint32_t left = lapic_read(LAPIC_TIMER_CCR);
	ns = tsc_to_ns(rdtsc() - cal_tsc);
	lapic_write(LAPIC_TIMER_ICR, 0);
	*us = ns / 1000;
	return ns ? (uint64_t)(0xffffffffu - left) * 1000000000ull / ns : 0;
}

/* -- IOAPIC ----------------------------------------------------------- */

static uint32_t ioapic_read(struct ioapic *io, uint32_t reg)
{
	mmio_write32(io->base + IOREGSEL, reg);
	return mmio_read32(io->base + IOWIN);
}

static void ioapic_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	mmio_write32(io->base + IOREGSEL, reg);
	mmio_write32(io->base + IOWIN, v);
}

static struct ioapic *ioapic_for(uint32_t gsi)
{
	for (int i = 0; i < nioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].count)
			return &ioapics[i];
	return NULL;
}

int ioapic_route(uint32_t gsi, int vector, unsigned mode)
{
	struct ioapic *io = ioapic_for(gsi);
	if (!io)
		return -ENODEV;
	if (vector < IRQ_VECTOR_FIRST || vector >= IRQ_VECTOR_SPURIOUS)
		return -EINVAL;
	uint32_t pin = gsi - io->gsi_base, low = (uint32_t)vector; /* fixed delivery, physical */
	if (mode & GSI_LEVEL)
		low |= REDIR_LEVEL;
	if (mode & GSI_LOW)
		low |= REDIR_LOW;
	uint64_t flags = irq_save();
	/* masked while it changes, destination first, then the live low half */
	ioapic_write(io, IOAPIC_REDIR + 2 * pin, REDIR_MASKED);
	ioapic_write(io, IOAPIC_REDIR + 2 * pin + 1, (uint32_t)my_apic_id << 24);
	ioapic_write(io, IOAPIC_REDIR + 2 * pin, low);
	vec_route[vector].gsi = (int)gsi;
	vec_route[vector].mode = mode;
	irq_restore(flags);
	return 0;
}

static int ioapic_set_mask(uint32_t gsi, int masked)
{
	struct ioapic *io = ioapic_for(gsi);
	if (!io)
		return -ENODEV;
	uint32_t reg = IOAPIC_REDIR + 2 * (gsi - io->gsi_base);
	uint64_t flags = irq_save();
	uint32_t low = ioapic_read(io, reg);
	ioapic_write(io, reg, masked ? low | REDIR_MASKED : low & ~REDIR_MASKED);
	irq_restore(flags);
	return 0;
}

int ioapic_mask(uint32_t gsi) { return ioapic_set_mask(gsi, 1); }
int ioapic_unmask(uint32_t gsi) { return ioapic_set_mask(gsi, 0); }

/* MPS INTI flags (ACPI 6.5 §5.2.12.5) to a mode; 00 means the bus default. */
static unsigned inti_mode(uint16_t flags, unsigned dflt)
{
	unsigned mode = dflt;
	if ((flags & ACPI_INTI_POL_MASK) == ACPI_INTI_POL_HIGH)
		mode &= ~GSI_LOW;
	else if ((flags & ACPI_INTI_POL_MASK) == ACPI_INTI_POL_LOW)
		mode |= GSI_LOW;
	if ((flags & ACPI_INTI_TRIG_MASK) == ACPI_INTI_TRIG_EDGE)
		mode &= ~GSI_LEVEL;
	else if ((flags & ACPI_INTI_TRIG_MASK) == ACPI_INTI_TRIG_LEVEL)
		mode |= GSI_LEVEL;
	return mode;
}

uint32_t isa_irq_gsi(int irq, unsigned dflt, unsigned *mode)
{
	for (int i = 0; i < acpi.noverrides; i++)
		if (acpi.overrides[i].bus_irq == irq) {
			*mode = inti_mode(acpi.overrides[i].flags, dflt);
			return acpi.overrides[i].gsi;
		}
	*mode = dflt;
	return (uint32_t)irq; /* identity mapped unless overridden */
}

int isa_irq_register(int irq, unsigned dflt, irq_handler_t fn, void *arg, const char *owner)
{
	if (irq < 0 || irq > 15)
		return -EINVAL;
	unsigned mode;
	uint32_t gsi = isa_irq_gsi(irq, dflt, &mode);
	int v = ISA_IRQ_VECTOR(irq);
	int r = irq_register(v, fn, arg, owner);
	if (r)
		return r;
	r = ioapic_route(gsi, v, mode);
	if (r) {
		irq_unregister(v);
		return r;
	}
	return v;
}

int apic_vector_gsi(int vector, unsigned *mode)
{
	if (vector < 0 || vector > 0xff)
		return -1;
	*mode = vec_route[vector].mode;
	return vec_route[vector].gsi;
}

static void ioapics_init(void)
{
	struct acpi_ioapic fallback = { .id = 0, .addr = 0xfec00000, .gsi_base = 0 }; /* the PC default */
	const struct acpi_ioapic *src = acpi.ioapics;
	int n = acpi.nioapics;
	if (!n) {
		log_warn("apic: no IOAPIC in the MADT; assuming one at 0x%x\n", fallback.addr);
		src = &fallback;
		n = 1;
	}
	for (int i = 0; i < n; i++) {
		struct ioapic *io = &ioapics[nioapics];
		io->base = mmio_map(src[i].addr, PAGE_SIZE);
		if (!io->base) {
			log_warn("apic: IOAPIC %u at 0x%x cannot be mapped\n", src[i].id, src[i].addr);
			continue;
		}
		io->id = src[i].id;
		io->gsi_base = src[i].gsi_base;
		uint32_t ver = ioapic_read(io, IOAPIC_VER);
		if (ver == 0xffffffff) { /* nothing answers there */
			log_warn("apic: no IOAPIC at 0x%x\n", src[i].addr);
			continue;
		}
		io->count = ((ver >> 16) & 0xff) + 1;
		for (uint32_t pin = 0; pin < io->count; pin++)
			ioapic_write(io, IOAPIC_REDIR + 2 * pin, REDIR_MASKED);
		nioapics++;
	}
}

/* -- local APIC ----------------------------------------------------------- */

static void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint64_t addr = acpi.lapic_addr ? acpi.lapic_addr : base & 0xffffff000ull;
	lapic = mmio_map(addr, PAGE_SIZE);
	if (!lapic)
		panic("apic: local APIC at 0x%llx cannot be mapped", (unsigned long long)addr);
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN);
	my_apic_id = (uint8_t)(lapic_read(LAPIC_ID) >> 24);

	lapic_write(LAPIC_TPR, 0); /* accept every priority */
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	/* LINT1 is NMI where the MADT says so (§5.2.12.7); otherwise masked */
	uint32_t lint1 = LVT_MASKED;
	for (int i = 0; i < acpi.nnmis; i++) {
		int mine = acpi.nmis[i].cpu_uid == 0xff;
		for (int c = 0; c < acpi.ncpus; c++)
			if (acpi.lapic_ids[c] == my_apic_id && acpi.cpu_uids[c] == acpi.nmis[i].cpu_uid)
				mine = 1;
		if (mine && acpi.nmis[i].lint == 1)
			lint1 = LVT_NMI |
				((acpi.nmis[i].flags & ACPI_INTI_POL_MASK) == ACPI_INTI_POL_LOW ? LVT_LOW
												: 0);
	}
	lapic_write(LAPIC_LVT_LINT1, lint1);
	lapic_write(LAPIC_SVR, SVR_ENABLE | IRQ_VECTOR_SPURIOUS);
	lapic_write(LAPIC_ESR, 0); /* SDM §11.5.3: write before read to latch */
	irq_eoi = lapic_eoi;
}

void msi_compose(int vector, uint64_t *addr, uint32_t *data)
{
	/* SDM vol. 3 §11.11.1: 0xFEE, destination id in 19:12, RH=0, DM=0 (physical) */
	*addr = 0xfee00000ull | ((uint64_t)my_apic_id << 12);
	/* §11.11.2: vector, delivery mode 000 (fixed), trigger 0 (edge) */
	*data = (uint32_t)vector & 0xff;
}

void apic_init(void)
{
	for (int v = 0; v < 256; v++)
		vec_route[v].gsi = -1;
	bool pic = pic_disable();
	lapic_init();
	ioapics_init();

	if (irq_register(APIC_TIMER_VECTOR, timer_irq, NULL, "lapic-timer"))
		panic("apic: timer vector 0x%x taken", APIC_TIMER_VECTOR);
	timer_calibrate_start(); /* apic_timer_start reads how far it got */
	irq_enable();

	log_info("apic: LAPIC id %u at 0x%llx, ", my_apic_id, (unsigned long long)(uintptr_t)lapic);
	for (int i = 0; i < nioapics; i++)
		log_info("IOAPIC %u at 0x%llx gsi %u-%u, ", ioapics[i].id,
			 (unsigned long long)(uintptr_t)ioapics[i].base, ioapics[i].gsi_base,
			 ioapics[i].gsi_base + ioapics[i].count - 1);
	log_info("8259 %s\n", pic ? "masked" : "absent");
}

static bool timer_interrupted(void *arg)
{
	(void)arg;
	return timer_irqs != 0;
}

/* A top-level job, the first after the ready line: a one-shot interrupt
 * shortly, rather than the first tick 10 ms away, whose handler turns hlt
 * on (poll_irqs_ready); until one comes, the main loop polls instead of
 * sleeping in hlt, which nothing might wake it from. */
static void timer_check(void *arg)
{
	(void)arg;
	apic_timer_wake_at(now_ns() + 20000);
	if (!kwait(timer_interrupted, NULL, 500000000ull))
		log_warn("apic: the timer does not interrupt; polling instead of hlt\n");
}

void apic_timer_start(void)
{
	uint64_t us;
	lapic_hz = timer_calibrate_end(&us);
	if (lapic_hz < 1000 * APIC_TICK_HZ)
		panic("apic: local APIC timer runs at %llu Hz, too slow", (unsigned long long)lapic_hz);
	uint64_t flags = irq_save();
	lapic_write(LAPIC_LVT_TIMER, APIC_TIMER_VECTOR); /* one-shot, re-armed by each interrupt */
	uint64_t now = now_ns();
	next_tick_ns = now + 1000000000ull / APIC_TICK_HZ;
	timer_arm(now);
	irq_restore(flags);

	/* Sleep in hlt only once it is known that a timer wakes us up: the
	 * first timer interrupt says so. The boot does not wait for one, and
	 * asks for one 2 ms on, not at once: under TCG a vCPU that spins keeps
	 * QEMU's timer thread off its host CPU (0.4-1.5 ms of waiting), and a
	 * one-shot that fires during the boot hands that thread the CPU then
	 * (0.3 ms). 2 ms is after the last steps of a boot with a static
	 * address, and early in a wait for DHCP, which then sleeps in hlt.
	 * timer_check asks again, at once, when the boot is done. */
	apic_timer_wake_at(now + 2000000);
	poll_toplevel(timer_check, NULL);
	log_info("apic: timer %d Hz (%llu kHz input, counted over the %llu us since apic_init)\n",
		 APIC_TICK_HZ, (unsigned long long)(lapic_hz / 1000), (unsigned long long)us);
}
