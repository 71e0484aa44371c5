/* log.h - kernel messages and panic; every line names the subsystem or device. */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H
#include <stdio.h>

/* `quiet` on the command line: log_info says nothing until the ready line
 * (warnings and errors still do). */
extern int log_quiet;
#define log_info(...) ((void)(log_quiet || kprintf(__VA_ARGS__)))
#define log_warn(...) kprintf("warning: " __VA_ARGS__)
#define log_err(...)  kprintf("error: " __VA_ARGS__)

/* printf that is safe anywhere, even in an exception handler: formats into a
 * buffer on the stack and writes it to the console directly. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
