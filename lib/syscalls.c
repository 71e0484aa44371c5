/* syscalls.c - the system calls newlib leaves to us: console, heap, clock, exit. */
#include "kernel/console.h"
#include "kernel/mm.h"
#include "kernel/poll.h"
#include "kernel/power.h"
#include "kernel/time.h"
#include <errno.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>

#undef errno
extern int errno;

/* Not in newlib's headers for a bare target; declared here to keep -Werror quiet. */
int _write(int fd, const void *buf, size_t n);
int _read(int fd, void *buf, size_t n);
void *_sbrk(ptrdiff_t incr);
void _exit(int status);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
off_t _lseek(int fd, off_t off, int whence);
int _getpid(void);
int _kill(int pid, int sig);
int _gettimeofday(struct timeval *tv, void *tz);
int _open(const char *path, int flags, int mode);

int _write(int fd, const void *buf, size_t n)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, n);
	return (int)n;
}

/* stdin: blocks until at least one byte has arrived, then returns what is there. */
static bool have_input(void *arg)
{
	(void)arg;
	return false;
}

int _read(int fd, void *buf, size_t n)
{
	char *p = buf;
	size_t got = 0;
	if (fd != 0) {
		errno = EBADF;
		return -1;
	}
	while (got < n) {
		int c = console_getc();
		if (c < 0) {
			if (got)
				break;
			console_flush(); /* no poller runs here to feed the UART */
			cpu_idle(have_input, NULL);
			continue;
		}
		p[got++] = (char)c;
		if (c == '\n')
			break;
	}
	return (int)got;
}

void *_sbrk(ptrdiff_t incr)
{
	void *p = heap_sbrk(incr);
	if (!p) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return p;
}

void _exit(int status) { power_off(status & 0x7f); }

int _close(int fd)
{
	(void)fd;
	errno = EBADF;
	return -1;
}

int _open(const char *path, int flags, int mode)
{
	(void)path, (void)flags, (void)mode;
	errno = ENOENT; /* no file system */
	return -1;
}

/* fds 0-2 are the serial console, a character device: newlib then does not
 * fully buffer stdout, and the prompt shows without a newline. */
int _fstat(int fd, struct stat *st)
{
	if (fd < 0 || fd > 2) {
		errno = EBADF;
		return -1;
	}
	st->st_mode = S_IFCHR;
	st->st_blksize = 0;
	return 0;
}

int _isatty(int fd)
{
	if (fd >= 0 && fd <= 2)
		return 1;
	errno = EBADF;
	return 0;
}

off_t _lseek(int fd, off_t off, int whence)
{
	(void)fd, (void)off, (void)whence;
	errno = ESPIPE;
	return -1;
}

int _getpid(void) { return 1; }

int _kill(int pid, int sig)
{
	(void)pid, (void)sig;
	errno = EINVAL;
	return -1;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	uint64_t ns = now_ns(); /* time since boot: there is no wall clock */
	tv->tv_sec = (time_t)(ns / 1000000000);
	tv->tv_usec = (suseconds_t)(ns % 1000000000 / 1000);
	return 0;
}

/*
 * newlib configured for x86_64-elf defines MISSING_SYSCALL_NAMES, so its
 * reentrant wrappers (_write_r, ...) call the plain names. Both names are
 * the same functions.
 */
#define ALIAS(name) __typeof__(_##name) name __attribute__((alias("_" #name)))
ALIAS(write);
ALIAS(read);
ALIAS(close);
ALIAS(open);
ALIAS(fstat);
ALIAS(isatty);
ALIAS(lseek);
ALIAS(getpid);
ALIAS(kill);
ALIAS(gettimeofday);
void *sbrk(ptrdiff_t incr) __attribute__((alias("_sbrk")));
