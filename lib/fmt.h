/* fmt.h - printf formatting for the kernel's own lines and names, without the C library's. */
#ifndef LIB_FMT_H
#define LIB_FMT_H
#include <stdarg.h>
#include <stddef.h>

/*
 * What the kernel prints (the boot log, panics, device names) needs
 * integers, strings and characters, nothing more: %d %i %u %x %X %o %c %s %p
 * %%, with the flags '-' '0' '+' ' ' '#', a width and a precision (either
 * one a number or '*'), and the sizes hh h l ll z j t. No floating point:
 * the shell's printf, which has it, is newlib's.
 *
 * Why not newlib's vsnprintf: under TCG its first call costs the boot half a
 * millisecond (a large function QEMU translates before it runs), each call
 * runs thousands of instructions of locale and stream machinery, and it may
 * allocate, which a panic from inside malloc must not. This one is a loop
 * over the format that takes no lock and no memory but the caller's buffer.
 *
 * C99's contract: buf always ends in a NUL when size > 0, and the return is
 * the length the whole output would have had. A conversion it does not know
 * is copied as it stands, so a mistake shows in the line instead of
 * consuming an argument.
 *
 * The host tests and fuzzers, which build the drivers against the host's C
 * library, get the C library's (tests/unit/test_fmt.c holds this one to it).
 */
#ifdef HOST_TEST
#include <stdio.h>
#define kvsnprintf vsnprintf
#define ksnprintf  snprintf
#else
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
#endif
